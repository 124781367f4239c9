"""Measure the class hub test (tests/grading/test_class_hub.py); write benchmarks/class_hub.md.

The test starts a real JupyterHub with four users' servers, grades three students in the sandbox and opens
chromium; `make test` must stay under 12 minutes on 2 cores. Run with `make benchmark-class-hub` (as root);
the numbers are a record, not a test. Wall time depends on what else the machine runs (the load average is
written beside it); the CPU seconds of the test and everything it started (hub, proxy, servers, kernels,
grader, chromium) do much less.
"""

import resource
import sys
from pathlib import Path

from mlai_course.authoring.benchmarks import load_average, measured_by, timed_pytest, write_report

REPO_ROOT = Path(__file__).resolve().parents[1]
STEPS = REPO_ROOT / "test-artifacts" / "class-hub" / "steps.txt"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    load_before, cpu_before = load_average(), cpu_seconds()
    wall, returncode, rows = timed_pytest(["tests/grading/test_class_hub.py", "-q"], cwd=REPO_ROOT)
    cpu, load_after = cpu_seconds() - cpu_before, load_average()
    steps = (
        STEPS.read_text(encoding="utf-8").strip().removeprefix("class hub steps: ") if STEPS.exists() else ""
    )
    lines = [
        "# Class hub test time",
        "",
        f"{measured_by('tools/benchmark_class_hub.py')}: one run of `pytest tests/grading/test_class_hub.py` "
        "(the hub starts once for all its tests). "
        f"Load average (1 min) {load_before:.1f} before and {load_after:.1f} after.",
        "",
        f"Whole run, Python start to end: **{wall:.0f} s**; CPU time of the test and everything it started: "
        f"**{cpu:.0f} s**.",
        "",
        f"The class, step by step (wall seconds): {steps or 'not recorded'}.",
        "",
        "| test | seconds (setup, call, teardown) | outcome |",
        "| --- | ---: | --- |",
    ]
    lines += [
        f"| {name.rsplit('::', 1)[-1]} | {seconds:.1f} | {outcome} |" for name, seconds, outcome in rows
    ]
    write_report("class_hub.md", lines)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
