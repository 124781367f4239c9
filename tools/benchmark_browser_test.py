"""Measure how long the real-browser test takes, test by test; write benchmarks/browser_test.md.

The browser test (tests/test_browser.py) is the slowest part of `make test`, which must stay under 10
minutes on 2 cores. Run with `make benchmark-browser`; the numbers are a record, not a test. The load
average is written beside them: on a shared machine the same test takes longer.
"""

import os
import platform
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "benchmarks" / "browser_test.md"


def main() -> int:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_browser.py", "-q", f"--junitxml={report}"],
            cwd=REPO_ROOT,
            check=False,
        )
        wall = time.perf_counter() - start
        cases = ElementTree.parse(report).getroot().iter("testcase")
        rows = []
        for case in cases:
            failed = case.find("failure") is not None or case.find("error") is not None
            outcome = "skipped" if case.find("skipped") is not None else ("FAILED" if failed else "passed")
            rows.append((case.get("name"), float(case.get("time")), outcome))
    load_after = os.getloadavg()
    lines = [
        "# Browser test time",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `tools/benchmark_browser_test.py` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}: one run of "
        "`pytest tests/test_browser.py` (JupyterLab and chromium start once for all its tests). "
        f"Load average (1 min) {load_before[0]:.1f} before and {load_after[0]:.1f} after.",
        "",
        f"Whole run, Python start to end: **{wall:.0f} s**.",
        "",
        "| test | seconds (setup, call, teardown) | outcome |",
        "| --- | ---: | --- |",
    ]
    lines += [f"| {name} | {seconds:.1f} | {outcome} |" for name, seconds, outcome in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
