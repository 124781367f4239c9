"""What the benchmark scripts in tools/ share: where results go, how the machine is described, running a
notebook for what it prints, and timing a pytest run test by test.

Each `make benchmark-...` target runs one script, which writes benchmarks/<name>.md (and sometimes .json):
a record of what was measured, on which machine and how busy it was, never a pass/fail test.
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

import nbformat
from nbclient import NotebookClient

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def machine() -> str:
    """`x86_64, 2 cores, Python 3.11.7`."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def measured_by(script: str) -> str:
    """The opening of a benchmark's description: when, by which script, on which machine."""
    return f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `{script}` on {machine()}"


def load_average() -> float:
    """The 1-minute load average: how busy the machine was."""
    return os.getloadavg()[0]


def write_report(name: str, lines: list[str]) -> Path:
    """Write benchmarks/<name> from its lines, print it, return its path."""
    path = BENCHMARKS / name
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    print(path.read_text(encoding="utf-8"))
    return path


def printed_text(path: Path, timeout: int = 120) -> str:
    """Everything a notebook prints (its stdout), after running it once in its own folder; a cell that
    fails raises nbclient's CellExecutionError. The labs' tests and `make benchmark-labs` read their figures
    from it."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}).execute()
    return "\n".join(
        output.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


def timed_pytest(args: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, list[tuple]]:
    """Run pytest with `args`; return (wall seconds, exit code, [(test id, seconds, outcome)] from its
    JUnit report, the seconds being setup, call and teardown together)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *args, f"--junitxml={report}"], cwd=cwd, env=env, check=False
        )
        wall = time.perf_counter() - start
        rows = []
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            failed = case.find("failure") is not None or case.find("error") is not None
            outcome = "skipped" if case.find("skipped") is not None else ("FAILED" if failed else "passed")
            test_id = f"{case.get('classname')}::{case.get('name')}"
            rows.append((test_id, float(case.get("time")), outcome))
    return wall, result.returncode, rows
