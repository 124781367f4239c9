"""Measure how long each notebook takes to run and how big it is; write benchmarks/notebooks.md.

Targets (README, For course authors; issue 9): each notebook runs in under 10 s on 2 cores, kernel start
included, and the whole series of student notebooks, run one after the other, in under 60 s.
Run with `make benchmark-notebooks`; the numbers are a record, not a test. Other work on the machine only adds
time, so the fastest run is the best estimate of the notebook's own cost; the load average at the start and
the end of the measurement is recorded beside it, to say how busy the machine was. The kernel's CPU time
(user and system, read by a last cell added to the in-memory copy) depends much less on other work, so it
shows a notebook's own cost even on a busy machine (the client's start-up is not in it).
"""

import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))
from mlai_course.authoring.benchmarks import load_average, measured_by, write_report  # noqa: E402
from mlai_course.authoring.release import assignment_names  # noqa: E402

REPEATS = 3
TARGET_SECONDS = 10
SERIES_TARGET_SECONDS = 60


KERNEL_CPU_CELL = (
    "import resource\n"
    "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(usage.ru_utime + usage.ru_stime)"
)


def run_seconds(path: Path) -> tuple[float, float]:
    """(seconds to start a kernel and run the notebook, the kernel's CPU seconds); errors allowed, as in a
    student notebook."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(KERNEL_CPU_CELL))
    start = time.perf_counter()
    NotebookClient(
        notebook, timeout=120, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    seconds = time.perf_counter() - start
    return seconds, float(notebook.cells[-1].outputs[0]["text"])


def main() -> None:
    rows, series = [], {"median": 0.0, "slowest": 0.0}
    load_before = load_average()
    for name in assignment_names(REPO_ROOT):
        for folder in ("solutions", "notebooks"):
            path = REPO_ROOT / folder / name / f"{name}.ipynb"
            runs = [run_seconds(path) for _ in range(REPEATS)]
            times = [seconds for seconds, _ in runs]
            verdict = "yes" if max(times) < TARGET_SECONDS else "NO"
            cells = [f"{folder}/{name}", *(f"{t:.2f}" for t in (min(times), statistics.median(times)))]
            cells += [f"{max(times):.2f}", f"{min(cpu for _, cpu in runs):.2f}"]
            cells += [f"{path.stat().st_size / 1024:.1f}", verdict]
            rows.append("| " + " | ".join(cells) + " |")
            if folder == "notebooks":
                series["median"] += statistics.median(times)
                series["slowest"] += max(times)
    load_after = load_average()
    series_verdict = "yes" if series["slowest"] < SERIES_TARGET_SECONDS else "NO"
    lines = [
        "# Notebook run time and size",
        "",
        f"{measured_by('tools/benchmark_notebooks.py')}; "
        f"fastest, median and slowest of {REPEATS} runs, kernel start included; load average (1 minute) "
        f"{load_before:.1f} at the start and {load_after:.1f} at the end. "
        f"Target: under {TARGET_SECONDS} s each.",
        "",
        "| notebook | fastest s | median s | slowest s | kernel CPU s | size KiB | under target (slowest) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        *rows,
        "",
        f"The series of {len(rows) // 2} student notebooks (`notebooks/`, one after the other): "
        f"{series['median']:.1f} s (sum of medians), {series['slowest']:.1f} s (sum of slowest runs); "
        f"target under {SERIES_TARGET_SECONDS} s: {series_verdict}.",
    ]
    write_report("notebooks.md", lines)


if __name__ == "__main__":
    main()
