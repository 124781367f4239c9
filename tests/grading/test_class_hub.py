"""A class on the course's JupyterHub, end to end, with a real hub, driven as its users drive it.

`mlai-course class-hub` (what `make class-hub` runs) starts on 127.0.0.1, on free ports, from a roster of an
instructor and three students: new system users with passwords (PAM login), homes of their own, nbgrader's
exchange, each server in its own sandbox as its own user. Everything goes through the hub's REST API and each
user's Jupyter server, at the endpoints JupyterLab and its Assignments tab use:

1. the instructor releases module 01 with formgrader (their server also lists the course);
2. the students fetch it, answer (one right, one partly, one not at all) and submit. The third is hostile:
   from a kernel in their own server they hand in under the right student's name, plant a link, try to read
   classmates' work, the gradebook and solutions/, and run nbgrader's instructor commands;
3. the instructor, as root on the machine, collects from the exchange (`mlai-course collect`), grades in the
   sandbox (`mlai-course grade`) and releases the feedback (`mlai-course release-feedback`);
4. each student fetches their feedback. grades.csv holds the scores computed from the solution's points; each
   student gets their own scrubbed feedback and no one else's; the hostile student tries again to read it;
5. a student logs in with chromium and opens the Assignments tab.

The hub is started once for the module and stopped by the last test, which checks that every process it
started is gone; the users it created are removed. Runs as root (it creates users); elsewhere it is skipped.
"""

import contextlib
import csv
import hashlib
import io
import json
import os
import pwd
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE, tree_digest
from hub_helpers import ClassHubProcess, free_port, run_in_kernel, start_kernel, unique_prefix, user_processes

from mlai_course import cli
from mlai_course.grading.demo_class import first_task_cells, graded_tasks, solved_copy
from mlai_course.grading.gradebook import course_id
from mlai_course.grading.secret_lines import course_secrets, hidden_test_lines, leaked_secrets

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="the class hub creates system users and runs as root (see grading/README.md)"
)

SOURCE = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
COURSE_ID = course_id(REPO_ROOT)
PREFIX = unique_prefix()
INSTRUCTOR, RIGHT, PARTLY, BLANK = (f"{PREFIX}-{name}" for name in ("teach", "right", "partly", "blank"))
STUDENTS = [RIGHT, PARTLY, BLANK]
HOSTILE = BLANK  # the student who hands nothing in also attacks the class
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
CHROMIUM_FLAGS += ["--disable-background-networking", "--disable-component-update"]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "class-hub"  # what the hostile student tried, and the steps' times


def answered(student: str, notebook):
    """What each student hands in, built from the notebook they fetched and the solution."""
    if student == RIGHT:
        return solved_copy(notebook, SOURCE)
    if student == PARTLY:
        first_answers, _ = first_task_cells(notebook)
        return solved_copy(notebook, SOURCE, only=first_answers)
    return notebook


def expected_points() -> dict[str, dict[str, float]]:
    """Points per graded task for each student, from the solution: all, the first task only, none."""
    tasks = graded_tasks(SOURCE)
    first_id = tasks[0][0]
    return {
        RIGHT: dict(tasks),
        PARTLY: {task: points if task == first_id else 0.0 for task, points in tasks},
        BLANK: {task: 0.0 for task, _ in tasks},
    }


# ---------------------------------------------------------------- the hub and the class, once per module


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    members = {INSTRUCTOR: "instructor", **{student: "student" for student in STUDENTS}}
    running = ClassHubProcess(tmp_path_factory.mktemp("class-hub"), members)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        left = running.remove_users()
        assert not left, f"users left behind: {left}"


def course_dir(hub: ClassHubProcess) -> Path:
    return hub.home_root / INSTRUCTOR / COURSE_ID


def exchange(hub: ClassHubProcess) -> Path:
    return hub.class_root / "exchange"


def mlai_course(hub: ClassHubProcess, command: str, *args: str) -> subprocess.CompletedProcess:
    """The instructor's command on the machine, as root: `mlai-course <command> MODULE ...`. `grade` runs in a
    process of its own, as an instructor runs it; `collect` and `release-feedback` run the same entry point
    in this process (it has imported nbgrader already: seconds saved on a busy machine)."""
    argv = [command, MODULE, "--course-root", str(course_dir(hub)), *args]
    if command == "grade":
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        command_line = [sys.executable, "-m", "mlai_course.cli", *argv]
        return subprocess.run(command_line, capture_output=True, text=True, timeout=600, env=env)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def hostile_paths(hub: ClassHubProcess) -> dict:
    """What the hostile student knows or can guess: where things are (the course is no secret)."""
    victim_home = hub.home_root / RIGHT
    course = course_dir(hub)
    return {
        "module": MODULE,
        "course_id": COURSE_ID,
        "victim": RIGHT,
        "victim_home": str(victim_home),
        "victim_notebook": str(victim_home / MODULE / f"{MODULE}.ipynb"),
        "victim_cache": str(victim_home / ".local" / "share" / "jupyter" / "nbgrader_cache" / COURSE_ID),
        "exchange": str(exchange(hub)),
        "inbound": str(exchange(hub) / COURSE_ID / "inbound"),
        "outbound_module": str(exchange(hub) / COURSE_ID / "outbound" / MODULE),
        "feedback": str(exchange(hub) / COURSE_ID / "feedback"),
        "course": str(course),
        "course_grading": str(course / "grading"),
        "gradebook": str(course / "grading" / "gradebook.db"),
        "course_solution": str(course / "solutions" / MODULE / f"{MODULE}.ipynb"),
        "repo_solution": str(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb"),
        "instructor_home": str(hub.home_root / INSTRUCTOR),
    }


# What the hostile student runs in their own kernel: every attempt is recorded with its outcome ("done" and
# the value, or the exception's name and message). nbgrader's commands run as `nbgrader <command>` would (the
# same app, its arguments, its exit code and log), in the kernel's process: one nbgrader start, not four.
HOSTILE_PRELUDE = r"""
import contextlib, glob, hashlib, io, json, os, shutil, tempfile
from datetime import datetime, timedelta, timezone

results = {}
def attempt(name, action):
    try:
        results[name] = {"outcome": "done", "value": action()}
    except Exception as error:
        results[name] = {"outcome": type(error).__name__, "value": str(error)[:300]}

def nbgrader(app_class, *argv, cwd=None):
    log, code, here = io.StringIO(), 0, os.getcwd()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            os.chdir(cwd or here)
            app = app_class()  # not .instance(): the kernel's own app is the singleton here
            app.initialize(list(argv))
            app.start()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except Exception as error:
            code, _ = 1, print(f"{type(error).__name__}: {error}")
        finally:
            os.chdir(here)
    return {"returncode": code, "log": log.getvalue()[-800:]}

P = PATHS
module = P["module"]
exchange_args = [f"--Exchange.root={P['exchange']}", f"--CourseDirectory.course_id={P['course_id']}"]
"""

# ... before collection
HOSTILE_BEFORE = r"""
def uids_of_processes():
    found = {}
    for status in glob.glob("/proc/[0-9]*/status"):
        try:
            uid = next(line.split()[1] for line in open(status) if line.startswith("Uid:"))
            found[status.split("/")[2]] = int(uid)
        except (OSError, StopIteration):
            continue
    return found

inbound = P["inbound"]
def stamp(seconds):
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S.%f %Z")

def impostor():
    when = stamp(1)
    folder = os.path.join(inbound, f"{P['victim']}+{module}+{when}+impostor")
    os.mkdir(folder)
    shutil.copy(os.path.expanduser(f"~/{module}/{module}.ipynb"), os.path.join(folder, f"{module}.ipynb"))
    for name, text in (("timestamp.txt", when), ("submission_secret.txt", "chosen by the impostor")):
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(text)
    os.chmod(folder, 0o777)
    return os.path.basename(folder)

def link():
    target = os.path.join(inbound, f"{P['victim']}+{module}+{stamp(2)}+link")
    os.symlink(P["victim_home"], target)
    return os.path.basename(target)

def course_helpers():
    import mlai_course
    from mlai_course.learner.data import load_table, table_names
    tables = {name: len(load_table(name)) for name in table_names()}
    return {"package": mlai_course.__file__, "tables": tables}

attempt("use the course's helper package and data", course_helpers)
attempt("import the grading code", lambda: __import__("mlai_course.grading.pipeline"))
attempt("hand in under the classmate's name", impostor)
attempt("hand in a link under the classmate's name", link)
attempt("list the inbound folder", lambda: os.listdir(inbound))
attempt("find the classmate's submission", lambda: glob.glob(os.path.join(inbound, P["victim"] + "+*")))
attempt("list the classmate's home", lambda: os.listdir(P["victim_home"]))
attempt("read the classmate's notebook", lambda: open(P["victim_notebook"]).read(100))
attempt("read the classmate's nbgrader cache", lambda: os.listdir(P["victim_cache"]))
attempt("list the instructor's home", lambda: os.listdir(P["instructor_home"]))
attempt("list the instructor's course", lambda: os.listdir(P["course"]))
attempt("read the gradebook", lambda: open(P["gradebook"], "rb").read(16).hex())
attempt("read the instructor's solutions", lambda: open(P["course_solution"]).read(100))
attempt("read the repository's solutions", lambda: open(P["repo_solution"]).read(100))
attempt("see the processes", uids_of_processes)
attempt("remove the released module", lambda: shutil.rmtree(P["outbound_module"]))

# nbgrader's instructor commands, as this student, on the exchange and on the instructor's course
from nbgrader.apps.collectapp import CollectApp
from nbgrader.apps.dbapp import DbStudentListApp
from nbgrader.apps.releaseassignmentapp import ReleaseAssignmentApp

work = tempfile.mkdtemp(dir=os.path.expanduser("~"))
os.makedirs(os.path.join(work, "release", module))
with open(os.path.join(work, "release", module, f"{module}.ipynb"), "w") as handle:
    handle.write("{}")
own_course = f"--CourseDirectory.root={work}"
collected = nbgrader(CollectApp, module, *exchange_args, own_course)
results["nbgrader collect"] = {"outcome": "done", "value": collected}
results["nbgrader collect"]["value"]["collected"] = glob.glob(os.path.join(work, "submitted", "*", "*"))
results["nbgrader release_assignment --force"] = {
    "outcome": "done", "value": nbgrader(ReleaseAssignmentApp, module, "--force", *exchange_args, own_course)}
results["nbgrader db student list on the instructor's course"] = {"outcome": "done", "value": nbgrader(
    DbStudentListApp, f"--CourseDirectory.root={P['course_grading']}", cwd=work)}
print(json.dumps(results))
"""

# ... and after the feedback was released.
HOSTILE_AFTER = r"""
attempt("list the feedback folder", lambda: os.listdir(P["feedback"]))
attempt("find the classmate's feedback",
        lambda: glob.glob(os.path.join(P["victim_home"], module, "feedback", "*", "*.html")))

def fetch_as_classmate():
    from nbgrader.apps.fetchfeedbackapp import FetchFeedbackApp

    work = tempfile.mkdtemp(dir=os.path.expanduser("~"))
    claimed = f"--CourseDirectory.student_id={P['victim']}"
    nbgrader(FetchFeedbackApp, module, claimed, *exchange_args, cwd=work)
    files = glob.glob(os.path.join(work, "**", "*.html"), recursive=True)
    return [hashlib.sha256(open(path, "rb").read()).hexdigest() for path in files]
attempt("fetch feedback as the classmate", fetch_as_classmate)
print(json.dumps(results))
"""


# What the instructor's own kernel sees: the helper package (grading rooms too) and data, their course.
INSTRUCTOR_KERNEL = r"""
import json, os
import mlai_course
from mlai_course.grading import pipeline
from mlai_course.learner.data import load_table, table_names
tables = {name: len(load_table(name)) for name in table_names()}
print(json.dumps({"package": mlai_course.__file__, "tables": tables, "course": sorted(os.listdir(COURSE))}))
"""


def hostile(hub: ClassHubProcess, code: str, kernel: str) -> dict:
    program = (
        f"import json\nPATHS = json.loads({json.dumps(hostile_paths(hub))!r})\n{HOSTILE_PRELUDE}\n{code}"
    )
    return json.loads(run_in_kernel(hub, HOSTILE, program, kernel).strip().splitlines()[-1])


def hand_in(hub: ClassHubProcess, student: str) -> dict:
    """Fetch module 01 (the Assignments tab's Fetch), answer it (JupyterLab's save), submit it (Submit)."""
    token, base = hub.tokens[student], f"/user/{student}"
    listed = hub.call("GET", f"{base}/assignments", token, course_id=COURSE_ID).json()
    ids = {"course_id": COURSE_ID, "assignment_id": MODULE}
    fetched = hub.call("POST", f"{base}/assignments/fetch", token, **ids).json()
    path = f"{base}/api/contents/{MODULE}/{MODULE}.ipynb"
    notebook = nbformat.from_dict(hub.call("GET", path, token, content=1).json()["content"])
    model = {"type": "notebook", "format": "json", "content": answered(student, notebook)}
    saved = hub.call("PUT", path, token, body=model)
    assert saved.status == 200, saved.text
    submitted = hub.call("POST", f"{base}/assignments/submit", token, **ids).json()
    return {"listed": listed, "fetched": fetched, "submitted": submitted}


def fetch_feedback(hub: ClassHubProcess, student: str) -> dict[str, bytes]:
    """Fetch Feedback in the Assignments tab, then read every feedback file in the student's home."""
    token, base = hub.tokens[student], f"/user/{student}"
    ids = {"course_id": COURSE_ID, "assignment_id": MODULE}
    reply = hub.call("POST", f"{base}/assignments/fetch_feedback", token, **ids).json()
    assert reply["success"], reply
    files = {}
    for folder in hub.call("GET", f"{base}/api/contents/{MODULE}/feedback", token).json()["content"]:
        for entry in hub.call("GET", f"{base}/api/contents/{folder['path']}", token).json()["content"]:
            content = hub.call("GET", f"{base}/api/contents/{entry['path']}", token, content=1, format="text")
            files[entry["path"]] = content.json()["content"].encode("utf-8")
    return files


@pytest.fixture(scope="module")
def class_run(hub):
    """The whole class, once: release, hand in (and attack), collect, grade, feedback."""
    run, clock = {}, Clock()
    for user in [INSTRUCTOR, *STUDENTS]:
        hub.log_in(user)
    hub.start_servers([INSTRUCTOR, *STUDENTS])
    clock.lap("log in, start 4 servers")
    teacher, formgrader = hub.tokens[INSTRUCTOR], f"/user/{INSTRUCTOR}/formgrader/api"
    run["courses"] = hub.call("GET", f"/user/{INSTRUCTOR}/formgraders", teacher).json()
    run["assignments"] = hub.call("GET", f"{formgrader}/assignments", teacher).json()
    run["release"] = hub.call("POST", f"{formgrader}/assignment/{MODULE}/release", teacher).json()
    outbound = exchange(hub) / COURSE_ID / "outbound" / MODULE
    run["outbound_before"] = tree_digest(outbound)
    run["students"] = {student: hand_in(hub, student) for student in STUDENTS}
    clock.lap("release, fetch, answer, submit")

    kernel = start_kernel(hub, HOSTILE)
    run["hostile_before"] = hostile(hub, HOSTILE_BEFORE, kernel)
    run["outbound_after"] = tree_digest(outbound)
    clock.lap("hostile student, before collection")
    program = f"COURSE = {str(course_dir(hub))!r}\n{INSTRUCTOR_KERNEL}"
    printed = run_in_kernel(hub, INSTRUCTOR, program, start_kernel(hub, INSTRUCTOR))
    run["instructor_kernel"] = json.loads(printed.strip().splitlines()[-1])
    clock.lap("the instructor's kernel")

    run["collect"] = mlai_course(hub, "collect", "--exchange", str(exchange(hub)))
    clock.lap("mlai-course collect")
    run["grade"] = mlai_course(hub, "grade", "--cell-timeout", "20", "--student-timeout", "120")
    clock.lap("mlai-course grade")
    run["release_feedback"] = mlai_course(hub, "release-feedback", "--exchange", str(exchange(hub)))
    clock.lap("mlai-course release-feedback")
    run["feedback"] = {student: fetch_feedback(hub, student) for student in STUDENTS}
    run["hostile_after"] = hostile(hub, HOSTILE_AFTER, kernel)
    clock.lap("fetch feedback, hostile student again")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    attempts = {"before collection": run["hostile_before"], "after feedback": run["hostile_after"]}
    (ARTIFACTS / "hostile-student.json").write_text(json.dumps(attempts, indent=1), encoding="utf-8")
    (ARTIFACTS / "steps.txt").write_text(f"{clock}\n", encoding="utf-8")
    print(clock)
    return run


class Clock:
    """Seconds per step of the class, printed with the test's output (pytest -s) to see where time goes."""

    def __init__(self):
        self.laps, self.last = [], time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append((name, now - self.last))
        self.last = now

    def __str__(self) -> str:
        return "class hub steps: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.laps)


def grades(hub: ClassHubProcess) -> dict[str, dict]:
    with (course_dir(hub) / "grading" / "reports" / MODULE / "grades.csv").open(encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def failed(result: dict) -> bool:
    """The attempt raised (PermissionError, FileNotFoundError...) instead of doing what it tried."""
    return result["outcome"] != "done"


# ---------------------------------------------------------------- the instructor's path and the students'


def test_the_instructor_releases_with_formgrader_and_sees_the_course(class_run, hub):
    assert class_run["release"]["success"], class_run["release"]
    assert MODULE in {assignment["name"] for assignment in class_run["assignments"]}
    courses = class_run["courses"]["value"]
    assert [(course["course_id"], course["kind"]) for course in courses] == [(COURSE_ID, "local")]
    released = exchange(hub) / COURSE_ID / "outbound" / MODULE / f"{MODULE}.ipynb"
    assert released.read_bytes() == (REPO_ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb").read_bytes()


def test_each_student_sees_fetches_and_submits_module_01(class_run):
    for student, steps in class_run["students"].items():
        listed = steps["listed"]["value"]
        assert [(item["assignment_id"], item["status"]) for item in listed] == [(MODULE, "released")], student
        statuses = {item["status"] for item in steps["submitted"]["value"]}
        assert statuses == {"fetched", "submitted"}, (student, steps["submitted"])


def test_a_students_kernel_has_the_course_helpers_and_data_but_no_grading_code(class_run, hub):
    helpers = class_run["hostile_before"]["use the course's helper package and data"]
    assert helpers["outcome"] == "done", helpers
    edition = hub.class_root / "course"
    assert helpers["value"]["package"] == str(edition / "src" / "mlai_course" / "__init__.py")
    tables = helpers["value"]["tables"]
    assert tables and all(rows > 0 for rows in tables.values()), tables
    assert class_run["hostile_before"]["import the grading code"]["outcome"] == "ModuleNotFoundError"


def test_the_instructors_kernel_has_the_helpers_the_data_and_the_course(class_run):
    seen = class_run["instructor_kernel"]
    assert seen["package"] == str(REPO_ROOT / "src" / "mlai_course" / "__init__.py"), "the grading rooms too"
    assert seen["tables"] and all(rows > 0 for rows in seen["tables"].values()), seen["tables"]
    assert {"data", "grading", "notebooks", "solutions"} <= set(seen["course"]), seen["course"]


def test_collection_takes_each_students_own_submission(class_run, hub):
    assert class_run["collect"].returncode == 0, class_run["collect"].stdout + class_run["collect"].stderr
    submitted = course_dir(hub) / "grading" / "submitted"
    assert sorted(path.name for path in submitted.iterdir()) == sorted(STUDENTS)
    for student in STUDENTS:
        cached = next((hub.home_root / student / ".local/share/jupyter/nbgrader_cache" / COURSE_ID).iterdir())
        collected = submitted / student / MODULE
        assert (collected / f"{MODULE}.ipynb").read_bytes() == (cached / f"{MODULE}.ipynb").read_bytes()
        assert (collected / "submission_secret.txt").read_text() == (
            cached / "submission_secret.txt"
        ).read_text()


def test_grades_csv_holds_the_expected_scores(class_run, hub):
    assert class_run["grade"].returncode == 0, class_run["grade"].stdout + class_run["grade"].stderr
    rows = grades(hub)
    assert sorted(rows) == sorted(STUDENTS)
    max_score = sum(points for _, points in graded_tasks(SOURCE))
    for student, points in expected_points().items():
        row = rows[student]
        assert row["status"] == "ok", row
        assert float(row["score"]) == sum(points.values()), (student, row)
        assert float(row["max_score"]) == max_score
        assert {task: float(row[task]) for task in points} == points, student
    assert len({float(rows[student]["score"]) for student in STUDENTS}) == 3, "three different scores"


def test_grading_leaves_the_instructors_files_theirs(class_run, hub):
    """Graded as root, the class folder is handed back: the instructor's formgrader writes the gradebook."""
    instructor = pwd.getpwnam(INSTRUCTOR).pw_uid
    grading = course_dir(hub) / "grading"
    not_theirs = [
        str(path.relative_to(grading))
        for path in [grading, *grading.rglob("*")]
        if path.lstat().st_uid != instructor
    ]
    assert not_theirs == []
    reply = hub.call("GET", f"/user/{INSTRUCTOR}/formgrader/api/submissions/{MODULE}", hub.tokens[INSTRUCTOR])
    assert reply.status == 200
    assert {row["student"] for row in reply.json() if row["autograded"]} == set(STUDENTS)


def test_each_student_fetches_their_own_scrubbed_feedback(class_run, hub):
    released = class_run["release_feedback"]
    assert released.returncode == 0, released.stdout + released.stderr
    feedback_dir = course_dir(hub) / "grading" / "feedback"
    own = {student: (feedback_dir / student / MODULE / f"{MODULE}.html").read_bytes() for student in STUDENTS}
    assert len(set(own.values())) == 3
    hidden = hidden_test_lines(SOURCE) & course_secrets(REPO_ROOT)  # the module's hidden lines no one sees
    assert hidden
    for student, files in class_run["feedback"].items():
        assert len(files) == 1, (student, sorted(files))
        ((path, content),) = files.items()
        assert path.startswith(f"{MODULE}/feedback/") and path.endswith(f"/{MODULE}.html")
        assert content == own[student], f"{student} fetched feedback that is not theirs"
        html = content.decode("utf-8")
        assert leaked_secrets(html, hidden) == [], student
        assert "Hidden tests: your instructor ran more tests here" in html
        score = float(grades(hub)[student]["score"])
        assert f"Score: {score:.1f}" in html, student
    assert len(list((exchange(hub) / COURSE_ID / "feedback").iterdir())) == 3


# ---------------------------------------------------------------- the hub under attack


def test_an_impostors_submission_is_refused_and_never_replaces_the_real_one(class_run, hub):
    made = class_run["hostile_before"]["hand in under the classmate's name"]
    assert made["outcome"] == "done", "the default exchange lets a student write under another's name"
    collected = class_run["collect"].stdout
    assert f"{made['value']}: refused" in collected
    with (course_dir(hub) / "grading" / "reports" / MODULE / "exchange-collection.csv").open() as handle:
        rows = {row["inbound_folder"]: row for row in csv.DictReader(handle)}
    refusal = rows[made["value"]]
    assert refusal["status"] == "refused" and refusal["student_id"] == RIGHT
    assert (
        f"belongs to {HOSTILE}" in refusal["reason"]
        and f"only {RIGHT} can hand in as {RIGHT}" in refusal["reason"]
    )
    assert [row["status"] for row in rows.values() if row["student_id"] == RIGHT].count("collected") == 1
    right = grades(hub)[RIGHT]
    assert float(right["score"]) == sum(expected_points()[RIGHT].values()), (
        "the impostor's blank did not count"
    )


def test_a_link_in_the_inbound_folder_is_refused(class_run, hub):
    made = class_run["hostile_before"]["hand in a link under the classmate's name"]
    assert made["outcome"] == "done"
    assert f"{made['value']}: refused" in class_run["collect"].stdout


def test_a_student_cannot_find_or_read_a_classmates_submission(class_run):
    results = class_run["hostile_before"]
    assert results["list the inbound folder"]["outcome"] == "PermissionError"
    assert results["find the classmate's submission"] == {"outcome": "done", "value": []}
    for name in (
        "list the classmate's home",
        "read the classmate's notebook",
        "read the classmate's nbgrader cache",
    ):
        assert failed(results[name]), (name, results[name])


def test_a_student_cannot_read_a_classmates_feedback(class_run, hub):
    results = class_run["hostile_after"]
    assert results["list the feedback folder"]["outcome"] == "PermissionError"
    assert results["find the classmate's feedback"] == {"outcome": "done", "value": []}
    victims = {hashlib.sha256(content).hexdigest() for content in class_run["feedback"][RIGHT].values()}
    fetched = results["fetch feedback as the classmate"]
    assert fetched["outcome"] == "done" and not victims & set(fetched["value"]), fetched


def test_a_student_cannot_reach_the_gradebook_or_solutions(class_run):
    results = class_run["hostile_before"]
    for name in (
        "list the instructor's home",
        "list the instructor's course",
        "read the gradebook",
        "read the instructor's solutions",
        "read the repository's solutions",
    ):
        assert failed(results[name]), (name, results[name])


def test_a_student_cannot_run_instructor_commands_on_the_course(class_run):
    results = class_run["hostile_before"]
    collect = results["nbgrader collect"]["value"]
    assert collect["returncode"] != 0 and collect["collected"] == [], collect
    assert "read permissions" in collect["log"]
    release = results["nbgrader release_assignment --force"]["value"]
    assert release["returncode"] != 0 and "You don't own the directory" in release["log"], release
    assert failed(results["remove the released module"])
    assert class_run["outbound_after"] == class_run["outbound_before"], "the released module is unchanged"
    listing = results["nbgrader db student list on the instructor's course"]["value"]
    assert RIGHT not in listing["log"] and PARTLY not in listing["log"], listing


def test_a_student_has_no_instructor_tools_on_the_hub(class_run, hub):
    token, base = hub.tokens[HOSTILE], f"/user/{HOSTILE}"
    assert hub.call("GET", f"{base}/formgrader/api/status", token).status == 404
    assert hub.call("GET", f"{base}/formgraders", token).status == 404
    page = hub.call("GET", f"{base}/lab", token).text
    config = json.loads(
        page.split('<script id="jupyter-config-data" type="application/json">')[1].split("</script>")[0]
    )
    disabled = set(config["disabledExtensions"])
    assert {
        f"@jupyter/nbgrader:{plugin}" for plugin in ("formgrader", "course-list", "create-assignment")
    } <= disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled and "@jupyter/nbgrader:menu" not in disabled
    # The instructor's server, another student's, the hub's user list: not with this student's token.
    assert hub.call("GET", f"/user/{INSTRUCTOR}/formgrader/api/assignments", token).status == 403
    assert hub.call("GET", f"/user/{RIGHT}/api/contents", token).status == 403
    assert hub.call("GET", "/hub/api/users", token).status == 403
    assert hub.call("POST", f"/hub/api/users/{INSTRUCTOR}/tokens", token, body={}).status == 403


def test_a_student_sees_no_one_elses_processes(class_run):
    seen = class_run["hostile_before"]["see the processes"]["value"]
    own = pwd.getpwnam(HOSTILE).pw_uid
    others = {pwd.getpwnam(user).pw_uid for user in [INSTRUCTOR, RIGHT, PARTLY]}
    assert own in seen.values() and not others & set(seen.values()), seen
    assert len(seen) < 10, f"a sandbox of its own shows only its own few processes: {seen}"


def test_the_class_files_have_the_owners_and_modes_nbgrader_expects(hub, class_run):
    instructor = pwd.getpwnam(INSTRUCTOR).pw_uid
    for member in [INSTRUCTOR, *STUDENTS]:
        home = hub.home_root / member
        assert (
            stat.S_IMODE(home.stat().st_mode) == 0o700 and home.stat().st_uid == pwd.getpwnam(member).pw_uid
        )
    course = exchange(hub) / COURSE_ID
    expected = {
        exchange(hub): (0, 0o1777),
        course: (instructor, 0o755),
        course / "outbound": (instructor, 0o755),
        course / "inbound": (instructor, 0o3733),
        course / "feedback": (instructor, 0o711),
        course_dir(hub): (instructor, 0o700),
    }
    found = {path: (path.stat().st_uid, stat.S_IMODE(path.stat().st_mode)) for path in expected}
    assert found == expected


# ---------------------------------------------------------------- a real browser


def test_a_student_logs_in_and_sees_module_01_in_the_assignments_tab(class_run, hub, tmp_path):
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install chromium` (.ci/run does)")
    port = free_port()
    log = tmp_path / "chromium.log"
    with log.open("w") as log_file:
        chromium = subprocess.Popen(
            [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
            + ["--remote-debugging-address=127.0.0.1", f"--remote-debugging-port={port}", "about:blank"],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        with sync_playwright() as playwright:
            browser = connect(playwright, port, chromium, log)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(90_000)
            page.goto(f"{hub.url}/hub/login")
            page.fill("#username_input", PARTLY)
            page.fill("#password_input", hub.passwords[PARTLY])
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{PARTLY}/lab**")
            page.locator("#jp-main-dock-panel").wait_for()
            page.get_by_role("menuitem", name="Nbgrader").click()
            items = page.get_by_role("menuitem").all_inner_texts()
            page.get_by_role("menuitem", name="Assignment List").click()
            assignments = page.locator("#nbgrader-assignment-list")
            assignments.get_by_text(MODULE).first.wait_for()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "class-hub-assignments.png")
            text = assignments.inner_text()
            browser.close()
    finally:
        os.killpg(chromium.pid, 9)
        chromium.wait(timeout=30)
    assert not any("Formgrader" in item or "Course List" in item for item in items), items
    assert MODULE in text and "Submitted assignments" in text, text


def connect(playwright, port: int, chromium: subprocess.Popen, log: Path):
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert chromium.poll() is None, log.read_text()[-2000:]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2).close()
            return playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"chromium did not start:\n{log.read_text()[-2000:]}")


# ---------------------------------------------------------------- last: stopping


def test_stopping_the_hub_stops_everything_it_started(hub, class_run):
    uids = {pwd.getpwnam(user).pw_uid for user in [INSTRUCTOR, *STUDENTS]}
    assert user_processes(uids), "the users' servers run until the hub stops"
    survivors = hub.stop()
    assert survivors == [], f"still running after the hub's shutdown: {survivors}"
    assert user_processes(uids) == []
    with pytest.raises(OSError):
        hub.call("GET", "/hub/api/")
