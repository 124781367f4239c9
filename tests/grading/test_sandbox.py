"""The sandbox itself, the machine check, --no-sandbox said loudly, and a grader killed mid-run.

The hostile class (test_grading_hostile.py) shows what the sandbox stops; these tests show the pieces: the
smoke check passes here and fails clearly without bubblewrap; a sandboxed process runs as its slot's user with
its limits; a grader killed with SIGKILL leaves no sandbox process, and a second run finishes the class with
consistent files.
"""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE, grade, leftover_sandbox_processes
from nbgrader.api import Gradebook

from mlai_course.grading import sandbox
from mlai_course.grading.demo_class import graded_tasks, solved_copy
from mlai_course.grading.gradebook import course_id

pytestmark = pytest.mark.skipif(
    os.getuid() != 0, reason="the grading sandbox runs as root (see grading/README)"
)


def test_the_machine_check_passes_here():
    sandbox.check_machine(REPO_ROOT / "data", REPO_ROOT)


def test_a_sandboxed_process_is_its_slots_user_with_limits(tmp_path):
    pool = sandbox.SlotPool(1, REPO_ROOT / "data")
    slot = pool.get()
    try:
        probe = (
            "import os, resource; print(repr((os.getuid(), os.getgid(), os.getgroups(), "
            "resource.getrlimit(resource.RLIMIT_NPROC)[0], os.getcwd(), sorted(os.listdir('/')), "
            "os.path.exists('/course/data/README.md'), os.environ.get('HOME'))))"
        )
        result = subprocess.run(
            slot.command("-c", probe), capture_output=True, text=True, timeout=60, env={"SECRET": "x"}
        )
    finally:
        pool.close()
    uid, gid, groups, nproc, cwd, top, data, home = eval(result.stdout)  # noqa: S307 - our own probe's repr
    assert (uid, gid, groups) == (slot.uid, slot.gid, []) and uid >= sandbox.SANDBOX_FIRST_ID
    assert nproc == sandbox.Limits().processes
    assert cwd == home == sandbox.HOME and data
    assert "work" not in top or not os.path.exists("/work/solutions")


def test_without_bubblewrap_grading_stops_with_a_clear_message(course_copy, tmp_path):
    folder = tmp_path / "class" / "submitted" / "ann" / MODULE
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_text("{}", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mlai_course.cli", "grade", MODULE, "--course-root", str(course_copy)]
        + ["--class-dir", str(tmp_path / "class")],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(Path(sys.executable).parent)},
        timeout=120,
    )
    assert result.returncode == 2
    assert "bubblewrap" in result.stderr and "apt-get install bubblewrap" in result.stderr
    assert "--no-sandbox" in result.stderr
    assert not (tmp_path / "class" / "reports").exists(), "nothing graded unprotected in silence"


def write_solved(class_dir, students, course):
    release = nbformat.read(course / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    source = nbformat.read(course / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    for student, extra in students.items():
        notebook = solved_copy(release, source)
        if extra:
            notebook.cells.append(nbformat.v4.new_code_cell(extra))
        folder = class_dir / "submitted" / student / MODULE
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{MODULE}.ipynb")
    return sum(points for _, points in graded_tasks(source))


def rows_of(class_dir):
    with (class_dir / "reports" / MODULE / "grades.csv").open(encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_no_sandbox_is_said_loudly(course_copy, tmp_path):
    class_dir = tmp_path / "class"
    total = write_solved(class_dir, {"ann": ""}, course_copy)
    result = grade(course_copy, "--class-dir", str(class_dir), "--no-sandbox", "--cell-timeout", "60")
    assert result.returncode == 0, result.stdout + result.stderr
    row = rows_of(class_dir)["ann"]
    assert (row["status"], float(row["score"])) == ("ok", total)
    assert "WITHOUT THE SANDBOX" in row["reason"]
    assert "WARNING: GRADED WITHOUT THE SANDBOX" in (class_dir / "reports" / MODULE / "summary.md").read_text(
        encoding="utf-8"
    )


def test_a_grader_killed_mid_run_is_finished_cleanly_by_the_next_run(course_copy, tmp_path):
    class_dir = tmp_path / "class"
    slow = "import time\ntime.sleep(60)\n"
    total = write_solved(class_dir, {"ann": "", "bob": slow, "cat": "", "dan": ""}, course_copy)
    command = [sys.executable, "-m", "mlai_course.cli", "grade", MODULE, "--course-root", str(course_copy)]
    command += ["--class-dir", str(class_dir), "--jobs", "2", "--cell-timeout", "120"]
    grader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in grader.stdout:
            if line.split("] ", 1)[-1].startswith(("ann:", "cat:", "dan:")):  # [1/4] ann: ok ...
                break  # one student finished, bob's kernel is sleeping in its sandbox
        time.sleep(1)
        running = [uid for uid in range(sandbox.SANDBOX_FIRST_ID, sandbox.SANDBOX_FIRST_ID + 32)]
        assert any(sandbox.user_processes(uid) for uid in running), "bob's sandbox is running"
        os.kill(grader.pid, signal.SIGKILL)
    finally:
        grader.wait(timeout=60)
    for _ in range(50):
        if not leftover_sandbox_processes():
            break
        time.sleep(0.2)
    assert leftover_sandbox_processes() == [], "every sandbox died with the grader"
    assert not (class_dir / "reports" / MODULE / "grades.csv").exists()

    left_behind = sorted(Path("/tmp").glob(f"mlai-*-{grader.pid}-*"))
    assert left_behind, "a killed grader leaves its temporary folders (student code in them) behind"

    # bob still sleeps: the cell timeout interrupts him, with room for the others on a loaded machine
    result = grade(course_copy, "--class-dir", str(class_dir), "--jobs", "2", "--cell-timeout", "12")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [path for path in left_behind if path.exists()] == [], "the next run removes them"
    rows = rows_of(class_dir)
    assert {student: (row["status"], float(row["score"])) for student, row in rows.items()} == {
        "ann": ("ok", total),
        "bob": ("ok", total),
        "cat": ("ok", total),
        "dan": ("ok", total),
    }
    with Gradebook(f"sqlite:///{class_dir / 'gradebook.db'}", course_id(course_copy)) as gradebook:
        stored = sorted(s.student.id for s in gradebook.find_assignment(MODULE).submissions)
    assert stored == ["ann", "bob", "cat", "dan"]
    for path in class_dir.rglob("*"):
        if path.suffix == ".ipynb" and "autograded" in path.parts:
            nbformat.read(path, as_version=4)  # every file the grader wrote is whole


def test_a_dead_graders_folders_are_removed_whoever_of_its_slots_owns_them(tmp_path):
    """A grader killed between two students leaves its slot's socket folder owned by the slot's user."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    dead, alive = ended.pid, os.getpid()
    folders = {
        "dead, slot user": (f"mlai-s0-{dead}-a", sandbox.SANDBOX_FIRST_ID),
        "dead, root": (f"mlai-kernel-{dead}-b", 0),
        "alive, slot user": (f"mlai-s1-{alive}-c", sandbox.SANDBOX_FIRST_ID + 1),
        "dead, not a slot folder, slot user": (f"mlai-kernel-{dead}-d", sandbox.SANDBOX_FIRST_ID),
        "dead, another user": (f"mlai-s2-{dead}-e", 4242),
    }
    paths = {}
    for case, (name, owner) in folders.items():
        paths[case] = Path("/tmp") / name
        paths[case].mkdir()
        os.chown(paths[case], owner, owner)
    try:
        removed = set(sandbox.remove_stale_folders())
        assert {case for case, path in paths.items() if path in removed} == {"dead, slot user", "dead, root"}
        assert all(path.exists() != (path in removed) for path in paths.values())
    finally:
        for path in paths.values():
            if path.exists():
                path.rmdir()


def test_past_the_per_student_limit_the_sandbox_is_killed_and_the_class_goes_on(course_copy, tmp_path):
    """Every cell is under the cell timeout, the notebook is not: `timeout`, and nothing is left running."""
    class_dir = tmp_path / "class"
    slow = "import subprocess, time\nsubprocess.Popen(['sleep', '600'], start_new_session=True)\n"
    slow += "for _ in range(200):\n    time.sleep(1)\n"
    total = write_solved(class_dir, {"ann": "", "slow": slow}, course_copy)
    started = time.monotonic()
    result = grade(
        course_copy, "--class-dir", str(class_dir), "--cell-timeout", "300", "--student-timeout", "25"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - started < 200, "the slow student is stopped at the limit, not at the end"
    rows = rows_of(class_dir)
    assert (rows["slow"]["status"], float(rows["slow"]["score"])) == ("timeout", 0.0)
    assert "25 s per-student limit" in rows["slow"]["reason"]
    assert (rows["ann"]["status"], float(rows["ann"]["score"])) == ("ok", total)
    assert leftover_sandbox_processes() == []
