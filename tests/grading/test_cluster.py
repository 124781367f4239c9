"""Grading on a real Dask cluster of local processes: `mlai-course grade MODULE --scheduler tcp://HOST:PORT`.

One module-wide cluster on 127.0.0.1 (free ports): a `dask scheduler`, two `dask worker --nthreads 1` that can
grade (with their nannies, which restart a worker that dies), and two that must refuse: one whose course is
another version (a data file changed) and one that cannot sandbox (no bubblewrap on its PATH). A small class
from the demo class's fault kinds, plus a student whose notebook sleeps (so a worker can be killed while it
grades them), is graded once on this machine as the reference, in a pseudo-terminal (the live bar), then:

- on the cluster: grades.csv matches the local run (student, status, score) row for row;
- on the cluster with the worker grading the slow student killed mid-run: the same rows, each student once;
- a notebook that kills its worker each time (the test hook of cluster.py): `worker_crash` after MAX_TRIES;
- a scheduler that cannot be reached, and one killed mid-run: a clear message; a rerun finishes the class.

Every process started here is stopped here, by its process group.
"""

import csv
import fcntl
import os
import pty
import re
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import nbformat
import pytest
from conftest import REPO_ROOT, copy_course
from grading_helpers import MODULE, leftover_sandbox_processes

from mlai_course.grading.cluster import MAX_TRIES, TEST_KILL_WORKER_FOR
from mlai_course.grading.demo_class import build_submission, solved_copy

pytestmark = pytest.mark.skipif(os.getuid() != 0, reason="the grading sandbox runs as root (grading/README)")

KINDS = ["perfect", "partly-right", "kernel-crash", "tampered", "invalid-json"]
SLOW = "slow-sleeper"
KILLER = "worker-killer"
SLEEP_SECONDS = 4
TIMEOUTS = ["--cell-timeout", "30", "--student-timeout", "120"]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_class(course: Path, class_dir: Path, students: list[str]) -> None:
    release = nbformat.read(course / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    source = nbformat.read(course / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    for student in students:
        if student in (SLOW, KILLER):
            notebook = solved_copy(release, source)
            notebook.cells.append(nbformat.v4.new_code_cell(f"import time\ntime.sleep({SLEEP_SECONDS})"))
            files = {f"{MODULE}.ipynb": nbformat.writes(notebook).encode()}
        else:
            files = build_submission(student, MODULE, release, source)
        folder = class_dir / "submitted" / student / MODULE
        folder.mkdir(parents=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)


def grade_command(course: Path, class_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mlai_course.cli", "grade", MODULE, "--course-root", str(course)] + [
        "--class-dir",
        str(class_dir),
        *TIMEOUTS,
        *extra,
    ]


def grader_env() -> dict:
    return {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "5s",
    }


def run_grader(command: list[str], timeout: float = 600) -> subprocess.CompletedProcess:
    """`mlai-course grade` to its end, its output captured."""
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=grader_env(), cwd=REPO_ROOT
    )


def rows_of(class_dir: Path) -> list[tuple[str, str, float]]:
    with (class_dir / "reports" / MODULE / "grades.csv").open(encoding="utf-8") as handle:
        return [(row["student_id"], row["status"], float(row["score"])) for row in csv.DictReader(handle)]


def run_in_terminal(command: list[str], timeout: float = 600) -> str:
    """Run a command with a pseudo-terminal (120 columns) as its stdout and stderr; return what it printed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(command, stdout=follower, stderr=follower, env=grader_env(), cwd=REPO_ROOT)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command closed the terminal: it ended
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == 0, b"".join(chunks).decode(errors="replace")[-3000:]
    return b"".join(chunks).decode(errors="replace")


class Cluster:
    """A scheduler and workers, each its own process group; `stop` ends every one of them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], cwd: Path, env: dict | None = None) -> None:
        log = (self.folder / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command, cwd=cwd, env=env or os.environ.copy(), stdout=log, stderr=log, start_new_session=True
        )

    def start_scheduler(self) -> None:
        command = [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(self.port)]
        self.start("scheduler", [*command, "--no-dashboard"], self.folder)

    def start_worker(self, name: str, cwd: Path, env: dict | None = None, nanny: bool = True) -> None:
        command = [str(BIN / "dask"), "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1"]
        command += ["--name", name, "--no-dashboard", *([] if nanny else ["--no-nanny"])]
        self.start(name, command, cwd, env)

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name in list(self.processes):
            try:
                self.processes[name].wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
            self.kill(name)

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30)

    def wait_for(self, names: set[str], timeout: float = 120) -> None:
        with self.client() as client:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if names <= {info["name"] for info in client.scheduler_info()["workers"].values()}:
                    return
                time.sleep(0.5)
        raise AssertionError(f"workers {names} did not join; logs in {self.folder}")


def running_on(cluster: Cluster, student: str, grader: subprocess.Popen) -> str:
    """The name of the worker grading `student` (the task's key ends with the student id), once its notebook
    has been running for 2 s."""
    with cluster.client() as client:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and grader.poll() is None:
            for address, keys in client.processing().items():
                if any(str(key).endswith(f"-{student}") for key in keys):
                    time.sleep(2)  # inside the notebook's sleep
                    return client.scheduler_info()["workers"][address]["name"]
            time.sleep(0.2)
    raise AssertionError(f"{student} was never being graded on a worker")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return copy_course(tmp_path_factory.mktemp("cluster") / "course")


@pytest.fixture(scope="module")
def reference(course, tmp_path_factory) -> dict:
    """The class graded on this machine (2 jobs) in a pseudo-terminal: the rows cluster runs must match."""
    class_dir = tmp_path_factory.mktemp("local") / "class"
    write_class(course, class_dir, [*KINDS, SLOW])
    output = run_in_terminal(grade_command(course, class_dir, "--jobs", "2"))
    return {"rows": rows_of(class_dir), "output": output}


@pytest.fixture(scope="module")
def cluster(course, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    other_course = copy_course(folder / "other-course")
    table = next((other_course / "data").glob("*.csv"))
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    running = Cluster(folder)
    running.start_scheduler()
    hook = {**os.environ, TEST_KILL_WORKER_FOR: KILLER}
    try:
        for name in ("w1", "w2"):
            running.start_worker(name, course, hook)
        running.start_worker("other-version", other_course, nanny=False)
        no_bwrap = {**os.environ, "PATH": str(BIN)}
        running.start_worker("no-bubblewrap", course, no_bwrap, nanny=False)
        running.wait_for({"w1", "w2", "other-version", "no-bubblewrap"})
        yield running
    finally:
        running.stop()
    assert not leftover_sandbox_processes()


def test_a_class_graded_on_the_cluster_matches_the_local_run(course, reference, cluster, tmp_path):
    class_dir = tmp_path / "class"
    write_class(course, class_dir, [*KINDS, SLOW])
    result = run_grader(grade_command(course, class_dir, "--scheduler", cluster.address))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert rows_of(class_dir) == reference["rows"]
    assert {status for _, status, _ in reference["rows"]} >= {
        "ok",
        "kernel_crash",
        "tampered",
        "invalid_notebook",
    }
    lines = [line for line in result.stdout.splitlines() if re.match(r"\[\d/6\] ", line)]
    assert len(lines) == 6 and all(
        re.search(r"\| \d:\d\d elapsed, (\?|about \d:\d\d) left$", line) for line in lines
    )
    ran = [line for line in lines if "invalid-json" not in line]
    assert all(re.search(r"\[on w[12]\]", line) for line in ran), "which worker graded whom"
    assert {"on w1", "on w2"} <= {match.group(0) for match in re.finditer(r"on w[12]", result.stdout)}
    # the workers that cannot grade say why, and graded no one
    assert re.search(
        r"refuses to grade: its course is another version than the grader's: data/\S+ differs", result.stdout
    )
    assert (
        "refuses to grade: cannot sandbox student code: bubblewrap (bwrap) is not installed" in result.stdout
    )
    assert "on other-version" not in result.stdout and "on no-bubblewrap" not in result.stdout
    # the grader wrote what the workers sent back
    assert (class_dir / "autograded" / "perfect" / MODULE / f"{MODULE}.ipynb").is_file()
    assert (class_dir / "feedback" / "perfect" / MODULE / f"{MODULE}.html").is_file()
    # and the local run, in a terminal, showed a live bar above which each student's line was printed
    shown = reference["output"]
    assert "\r" in shown and "grading [6/6]" in shown and "elapsed" in shown
    assert re.search(r"\[\d/6\] perfect: ok 5/5", shown) and "graded 6 of 6 students" in shown


def test_a_notebook_that_kills_worker_after_worker_gets_a_row(course, cluster, tmp_path):
    class_dir = tmp_path / "class"
    write_class(course, class_dir, [KILLER, "perfect"])
    result = run_grader(grade_command(course, class_dir, "--scheduler", cluster.address))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = {student: (status, score) for student, status, score in rows_of(class_dir)}
    assert rows == {KILLER: ("worker_crash", 0.0), "perfect": ("ok", 5.0)}
    with (class_dir / "reports" / MODULE / "grades.csv").open(encoding="utf-8") as handle:
        reason = next(row["reason"] for row in csv.DictReader(handle) if row["student_id"] == KILLER)
    assert f"died each of the {MAX_TRIES} times" in reason
    assert result.stdout.count(f"was lost while grading {KILLER}") == MAX_TRIES - 1
    cluster.wait_for({"w1", "w2"})  # the nannies restarted the workers it killed


def test_a_worker_killed_mid_run_loses_no_student(course, reference, cluster, tmp_path):
    class_dir = tmp_path / "class"
    write_class(course, class_dir, [*KINDS, SLOW])
    cluster.wait_for({"w1", "w2"})
    command = grade_command(course, class_dir, "--scheduler", cluster.address)
    grader = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=grader_env()
    )
    try:
        victim = running_on(cluster, SLOW, grader)
        assert victim in ("w1", "w2"), "the slow student was being graded on a worker"
        cluster.kill(victim)
        output, _ = grader.communicate(timeout=600)
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
    assert grader.returncode == 0, output[-3000:]
    assert rows_of(class_dir) == reference["rows"], "none lost, none graded twice"
    assert f"worker {victim}" in output and f"was lost while grading {SLOW}" in output
    finished = [
        line.split("] ", 1)[1].split(":")[0] for line in output.splitlines() if re.match(r"\[\d/6\] ", line)
    ]
    assert sorted(finished) == sorted([*KINDS, SLOW]), "each student reported once"
    survivor = "w2" if victim == "w1" else "w1"
    assert re.search(rf"\[\d/6\] {SLOW}: ok 5/5 .*\[on {survivor}\]", output)


def test_an_unreachable_scheduler_is_named_and_nothing_is_graded(course, tmp_path):
    class_dir = tmp_path / "class"
    write_class(course, class_dir, ["perfect"])
    address = f"tcp://127.0.0.1:{free_port()}"
    result = run_grader(grade_command(course, class_dir, "--scheduler", address), timeout=300)
    assert result.returncode == 2
    assert (
        f"cannot reach the Dask scheduler at {address}" in result.stderr and "dask scheduler" in result.stderr
    )
    assert not (class_dir / "reports").exists() and not (class_dir / "gradebook.db").exists()


def test_a_scheduler_killed_mid_run_stops_clearly_and_a_rerun_finishes(course, reference, cluster, tmp_path):
    class_dir = tmp_path / "class"
    write_class(course, class_dir, [SLOW])
    cluster.wait_for({"w1"} if "w1" in cluster.processes else {"w2"})
    command = grade_command(course, class_dir, "--scheduler", cluster.address)
    grader = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=grader_env()
    )
    try:
        running_on(cluster, SLOW, grader)
        cluster.kill("scheduler")
        _, errors = grader.communicate(timeout=300)
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
    assert grader.returncode == 2, errors[-3000:]
    assert f"lost the Dask scheduler at {cluster.address} after 0 of 1 students" in errors
    assert "run the same command" in errors and "Traceback" not in errors
    assert not (class_dir / "reports" / MODULE / "grades.csv").exists()
    # a new scheduler and worker: the same command finishes the class
    fresh = Cluster(tmp_path)
    fresh.start_scheduler()
    try:
        fresh.start_worker("w3", course, nanny=False)
        fresh.wait_for({"w3"})
        again = grade_command(course, class_dir, "--scheduler", fresh.address)
        result = run_grader(again)
    finally:
        fresh.stop()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert rows_of(class_dir) == [row for row in reference["rows"] if row[0] == SLOW]
