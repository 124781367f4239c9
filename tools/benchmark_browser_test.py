"""Measure how long the real-browser test takes, test by test; write benchmarks/browser_test.md.

The browser test (tests/course/test_browser.py) is the slowest part of `make test`, which must stay under 10
minutes on 2 cores. Run with `make benchmark-browser`; the numbers are a record, not a test. The load
average is written beside them: on a shared machine the same test takes longer.
"""

import sys
from pathlib import Path

from mlai_course.authoring.benchmarks import load_average, measured_by, timed_pytest, write_report

REPO_ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    load_before = load_average()
    wall, returncode, rows = timed_pytest(["tests/course/test_browser.py", "-q"], cwd=REPO_ROOT)
    load_after = load_average()
    lines = [
        "# Browser test time",
        "",
        f"{measured_by('tools/benchmark_browser_test.py')}: one run of "
        "`pytest tests/course/test_browser.py` (JupyterLab and chromium start once for all its tests). "
        f"Load average (1 min) {load_before:.1f} before and {load_after:.1f} after.",
        "",
        f"Whole run, Python start to end: **{wall:.0f} s**.",
        "",
        "| test | seconds (setup, call, teardown) | outcome |",
        "| --- | ---: | --- |",
    ]
    lines += [f"| {name} | {seconds:.1f} | {outcome} |" for name, seconds, outcome in rows]
    write_report("browser_test.md", lines)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
