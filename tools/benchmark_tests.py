"""Measure how long the whole test suite takes, as `make test` runs it; write benchmarks/test_suite.md.

    python tools/benchmark_tests.py        (or: make benchmark-tests)

Target (README, issue 18): `make test` under 10 minutes on 2 cores, the hub and cluster tests of later issues
included under 12. The suite runs on 2 test processes; tests/conftest.py groups the tests (a file, or one
module of the plain nbgrader chain) and hands out the longest groups first, using the seconds per group this
benchmark records (LONG_GROUPS there: update it from the table below when a group grows). A record, not a
test: the load average before and after says how busy the machine was.
"""

import shlex
import sys
from collections import defaultdict
from pathlib import Path

from mlai_course.authoring.benchmarks import load_average, measured_by, timed_pytest, write_report

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET_MINUTES = 10


def pytest_arguments() -> list[str]:
    """The arguments `make test` gives pytest, read from the Makefile (one source)."""
    lines = (REPO_ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()
    command = next(line for line in lines if "-m pytest" in line and line.startswith("\t"))
    return shlex.split(command.split("-m pytest", 1)[1])


def group_of(test_id: str) -> str:
    """The file of a test id from the JUnit report (`tests.grading.test_x::name` or a notebook path)."""
    classname, _, name = test_id.partition("::")
    if classname.startswith("solutions"):
        return classname.replace(".", "/", classname.count(".") - 1)
    return classname.replace(".", "/") + ".py"


def main() -> int:
    arguments = pytest_arguments()
    load_before = load_average()
    wall, returncode, rows = timed_pytest(arguments, cwd=REPO_ROOT)
    load_after = load_average()
    groups: dict[str, float] = defaultdict(float)
    for test_id, seconds, _ in rows:
        groups[group_of(test_id)] += seconds
    outcomes = defaultdict(int)
    for _, _, outcome in rows:
        outcomes[outcome] += 1
    verdict = "yes" if wall < TARGET_MINUTES * 60 else "NO"
    lines = [
        "# Test suite time",
        "",
        f"{measured_by('tools/benchmark_tests.py')}: one run of the suite as `make test` runs it "
        f"(`pytest {' '.join(arguments)}`), lint and install not included. Load average (1 minute) "
        f"{load_before:.1f} before and {load_after:.1f} after.",
        "",
        f"Whole run: **{wall / 60:.1f} min** ({wall:.0f} s); under {TARGET_MINUTES} minutes: {verdict}. "
        + ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        + ".",
        "",
        "Seconds per group (a test file, or a notebook for nbval), the 25 longest; both test processes run "
        "groups side by side, so they add up to about twice the whole run:",
        "",
        "| group | seconds |",
        "| --- | ---: |",
        *(
            f"| {name} | {seconds:.0f} |"
            for name, seconds in sorted(groups.items(), key=lambda g: -g[1])[:25]
        ),
        "",
        f"All {len(groups)} groups together: {sum(groups.values()):.0f} s.",
    ]
    write_report("test_suite.md", lines)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
