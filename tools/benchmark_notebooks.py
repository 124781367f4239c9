"""Measure how long each notebook takes to run and how big it is; write benchmarks/notebooks.md.

Target (README, For course authors): each notebook runs in under 10 s on 2 cores, kernel start included.
Run with `make benchmark-notebooks`; the numbers are a record, not a test. Other work on the machine only adds
time, so the fastest run is the best estimate of the notebook's own cost; the load average at the start and
the end of the measurement is recorded beside it, to say how busy the machine was.
"""

import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
from mlai_course.authoring import assignment_names  # noqa: E402

REPEATS = 3
TARGET_SECONDS = 10


def run_seconds(path: Path) -> float:
    """Seconds to start a kernel and run the notebook; errors allowed, as in a student notebook."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook, timeout=120, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return time.perf_counter() - start


def main() -> None:
    rows = []
    load_before = os.getloadavg()[0]
    for name in assignment_names(REPO_ROOT):
        for folder in ("solutions", "notebooks"):
            path = REPO_ROOT / folder / name / f"{name}.ipynb"
            times = [run_seconds(path) for _ in range(REPEATS)]
            rows.append(
                (f"{folder}/{name}", min(times), statistics.median(times), max(times), path.stat().st_size)
            )
    load_after = os.getloadavg()[0]
    lines = [
        "# Notebook run time and size",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `tools/benchmark_notebooks.py` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"fastest, median and slowest of {REPEATS} runs, kernel start included; load average (1 minute) "
        f"{load_before:.1f} at the start and {load_after:.1f} at the end. "
        f"Target: under {TARGET_SECONDS} s each.",
        "",
        "| notebook | fastest s | median s | slowest s | size KiB | within target (slowest run) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, fastest, median, worst, size in rows:
        verdict = "yes" if worst < TARGET_SECONDS else "NO"
        lines.append(
            f"| {label} | {fastest:.2f} | {median:.2f} | {worst:.2f} | {size / 1024:.1f} | {verdict} |"
        )
    out = REPO_ROOT / "benchmarks" / "notebooks.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
