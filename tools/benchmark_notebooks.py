"""Measure how long each notebook takes to run and how big it is; write benchmarks/notebooks.md.

Target (DEVELOPERS.md): each notebook runs in a few seconds on 2 cores. Run with
`make benchmark-notebooks`; the numbers are a record, not a test.
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
    for name in assignment_names(REPO_ROOT):
        for folder in ("solutions", "notebooks"):
            path = REPO_ROOT / folder / name / f"{name}.ipynb"
            times = [run_seconds(path) for _ in range(REPEATS)]
            rows.append((f"{folder}/{name}", statistics.median(times), max(times), path.stat().st_size))
    lines = [
        "# Notebook run time and size",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `tools/benchmark_notebooks.py` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"median and max of {REPEATS} runs, kernel start included. Target: under {TARGET_SECONDS} s each.",
        "",
        "| notebook | median s | max s | size KiB | within target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for label, median, worst, size in rows:
        verdict = "yes" if worst < TARGET_SECONDS else "NO"
        lines.append(f"| {label} | {median:.2f} | {worst:.2f} | {size / 1024:.1f} | {verdict} |")
    out = REPO_ROOT / "benchmarks" / "notebooks.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
