"""A hostile and awkward class, graded once with `mlai-course grade` (sandboxed, 2 jobs); then one test per
student that asserts what really happened: files unchanged, other students' scores unchanged, the attacker's
status, score and reason, nothing leaked into what students get back, no process left behind.

Attackers read solutions/ and classmates, write the gradebook, the config and classmates' files, leave a
detached process that rewrites grades.csv later, make the kernel report every cell as passed, read the
grader's environment, hold 4 GiB, write 1 GiB, fork without end, open network connections. Honest
students lose their metadata, copy cells, print to stderr, save as nbformat 3, hand in a stray timestamp.txt
or have odd ids.
Broken folders hold a folder, a link, a pipe, a device or a huge file in place of the notebook.
"""

import base64
import csv
import os
import socket
import subprocess
import sys
import threading
import time

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE, leftover_sandbox_processes, tree_digest
from nbgrader.api import Gradebook

from mlai_course.grading.demo_class import answer_cells, first_task_cells, graded_tasks, solved_copy
from mlai_course.grading.gradebook import course_id
from mlai_course.grading.secret_lines import course_secrets, hidden_test_lines

SECRET = "grader-token-5f0c2e9d7a"
ODD_IDS = ["-dash", "[br]*?", "trail ", "ünï", "=SUM(1,2)", "+1", "@at"]


# ---------------------------------------------------------------- building the class


def code(source: str):
    return nbformat.v4.new_code_cell(source)


def with_cell_first(notebook, source: str):
    """The notebook with a cell of `source` before the first answer cell."""
    first = next(
        i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("solution")
    )
    notebook.cells.insert(first, code(source))
    return notebook


def with_cell_last(notebook, source: str):
    notebook.cells.append(code(source))
    return notebook


def attacks(course, class_dir, port):
    """Attack code, with the real paths of this course copy (an attacker can guess them)."""
    solution = course / "solutions" / MODULE / f"{MODULE}.ipynb"
    classmate = class_dir / "submitted" / "perfect" / MODULE / f"{MODULE}.ipynb"
    gradebook = class_dir / "gradebook.db"
    config = course / "grading" / "nbgrader_config.py"
    grades_csv = class_dir / "reports" / MODULE / "grades.csv"
    steal = f"""
import glob, json, os
stolen = []
candidates = [{str(solution)!r}, {str(classmate)!r}, "../../../solutions/{MODULE}/{MODULE}.ipynb",
              "../../../../solutions/{MODULE}/{MODULE}.ipynb"]
candidates += glob.glob("/proc/*/cwd/solutions/*/*.ipynb") + glob.glob("/proc/*/root{solution}")
candidates += glob.glob(os.path.expanduser("~") + "/**/*.ipynb", recursive=True)
for path in candidates:
    try:
        cells = json.load(open(path))["cells"]
    except Exception as error:
        print("no", path, type(error).__name__)
        continue
    for cell in cells:
        text = "".join(cell["source"])
        if "def " in text and "raise NotImplementedError" not in text:
            exec(text.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
            stolen.append(path)
print("stolen from", stolen)
"""
    vandal = f"""
import sqlite3
payload = "\\nimport os; os.system('touch /tmp/pwned')\\n"
for path, text in [({str(classmate)!r}, "{{}}"), ({str(config)!r}, payload)]:
    try:
        with open(path, "a") as handle:
            handle.write(text)
        print("wrote", path)
    except OSError as error:
        print("could not write", path, error)
try:
    db = sqlite3.connect({str(gradebook)!r})
    db.execute("update grade set auto_score = 100")
    db.execute("update source_cell set source = 'pass'")
    db.commit()
    print("gradebook changed")
except Exception as error:
    print("gradebook safe", error)
"""
    detached = f"""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(8)
        for path in [{str(grades_csv)!r}, "/tmp/late-write"]:
            try:
                open(path, "w").write("student,score\\nattacker,100\\n")
            except OSError:
                pass
        os._exit(0)
    os._exit(0)
os.wait()
"""
    environment = """
import glob, os
print(dict(os.environ))
for path in glob.glob("/proc/*/environ"):
    try:
        print(path, open(path, "rb").read())
    except OSError as error:
        print(path, error)
"""
    memory = (
        "hog = None\ntry:\n    hog = bytearray(4 * 1024**3)\nexcept MemoryError:\n    print('no memory')\n"
    )
    disk = """
import os, sys
block = b"x" * (1024 * 1024)
sockets = os.path.dirname(sys.argv[sys.argv.index("-f") + 1])  # the one folder on the grader's disk
for path in ("written.bin", "/tmp/written.bin", os.path.join(sockets, "written.bin")):
    try:
        with open(path, "wb") as handle:
            for _ in range(1024):
                handle.write(block)
    except OSError as error:
        print(path, error)
    finally:
        if os.path.exists(path):
            os.remove(path)
"""
    fork_bomb = """
import os, time
children = 0
for _ in range(5000):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    children += 1
print("forked", children)
"""
    network = f"""
import socket
for host in ("127.0.0.1", "localhost", socket.gethostname()):
    try:
        socket.create_connection((host, {port}), timeout=2).close()
        print("connected", host)
    except OSError as error:
        print("no network", host, error)
"""
    input_transformer = "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n"
    run_cell_patch = """
shell = get_ipython()
original = shell.run_cell
def run_cell(raw_cell, *args, **kwargs):
    return original("pass", *args, **kwargs)
shell.run_cell = run_cell
"""
    do_execute_patch = """
kernel = get_ipython().kernel
async def do_execute(code, silent, store_history=True, user_expressions=None, allow_stdin=False, **kwargs):
    return {"status": "ok", "execution_count": kernel.execution_count, "payload": [], "user_expressions": {}}
kernel.do_execute = do_execute
"""
    fake_kernel = (
        "import json, os, sys\n"
        "kernel = get_ipython().kernel\n"
        "parent = kernel.get_parent('shell')\n"
        "ident = kernel._parent_ident['shell']\n"
        "pending = {'header': parent['header'], 'ident': [part.hex() for part in ident]}\n"
        "os.environ['PENDING'] = json.dumps(pending, default=str)\n"
        f"os.execv(sys.executable, [sys.executable, '-c', {FAKE_KERNEL!r}, *sys.argv[1:]])\n"
    )
    return locals()


# A fake kernel that answers "ok" to everything, and first answers the request that was running when the real
# kernel replaced itself with it (os.execv), so the grader does not even wait.
FAKE_KERNEL = """
import json, os
from ipykernel.ipkernel import IPythonKernel
from ipykernel.kernelapp import IPKernelApp


class Fake(IPythonKernel):
    async def do_execute(self, code, silent, *args, **kwargs):
        count = self.execution_count
        return {"status": "ok", "execution_count": count, "payload": [], "user_expressions": {}}


class App(IPKernelApp):
    kernel_class = Fake

    def start(self):
        pending = json.loads(os.environ.pop("PENDING"))
        reply = {"status": "ok", "execution_count": 1, "payload": [], "user_expressions": {}}
        self.session.send(self.shell_socket, "execute_reply", reply, parent={"header": pending["header"]},
                          ident=[bytes.fromhex(part) for part in pending["ident"]])
        self.session.send(self.iopub_socket, "status", {"execution_state": "idle"},
                          parent={"header": pending["header"]})
        super().start()


App.launch_instance()
"""


def leaky_outputs(secret_line: str, other_module_line: str) -> str:
    """Outputs that carry hidden-test and solution lines in every encoding, and active HTML."""
    hidden = base64.b64encode(secret_line.encode()).decode()
    other = base64.b64encode(other_module_line.encode()).decode()
    return f"""
import base64, html, urllib.parse
from IPython.display import HTML, Javascript, display
line = base64.b64decode({hidden!r}).decode()
other = base64.b64decode({other!r}).decode()
display(HTML("<!-- " + line + " --><script>fetch('/api')</script><style>/* " + other + " */</style>"))
display(HTML("<p title='" + html.escape(line) + "'>" + urllib.parse.quote(other) + "</p>"))
display(Javascript("console.log(" + repr(line) + ")"))
encoded = base64.b64encode(line.encode()).decode()
display({{"text/plain": "plain", "text/html": "<b>" + encoded + "</b>"}}, raw=True)
"""


HUGE_OUTPUTS = """
import base64, os
from IPython.display import HTML, display
display({"text/html": "<div>" + "y" * (30 * 1024 * 1024) + "</div>"}, raw=True)
display({"text/html": "<p>" + "w" * 100_000 + "</p>"}, raw=True)
display({"image/png": base64.b64encode(os.urandom(400_000)).decode()}, raw=True)
for _ in range(40):
    print("z" * 100_000)
import ipywidgets
display(ipywidgets.IntSlider())
"""


def build_class(course, class_dir, port) -> dict[str, str]:
    """Write every student's submission; return student -> the kind of expectation."""
    release = nbformat.read(course / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    source = nbformat.read(course / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)

    def solved():
        return solved_copy(release, source)

    def blank():
        return nbformat.from_dict(release)

    code_of = attacks(course, class_dir, port)
    hidden = sorted(hidden_test_lines(source), key=len)[-1]
    other_modules = sorted(course_secrets(course) - hidden_test_lines(source), key=len)
    students = {
        "perfect": solved(),
        "blank": blank(),
        "reads-solutions": with_cell_first(blank(), code_of["steal"]),
        "vandal": with_cell_last(solved(), code_of["vandal"]),
        "detached-writer": with_cell_last(solved(), code_of["detached"]),
        "reads-environment": with_cell_last(solved(), code_of["environment"]),
        "memory-hog": with_cell_last(solved(), code_of["memory"]),
        "disk-filler": with_cell_last(solved(), code_of["disk"]),
        "fork-bomb": with_cell_last(solved(), code_of["fork_bomb"]),
        "network": with_cell_last(solved(), code_of["network"]),
        "input-transformer": with_cell_first(blank(), code_of["input_transformer"]),
        "run-cell-patch": with_cell_first(blank(), code_of["run_cell_patch"]),
        "do-execute-patch": with_cell_first(blank(), code_of["do_execute_patch"]),
        "fake-kernel": with_cell_first(blank(), code_of["fake_kernel"]),
        "leaky-outputs": with_cell_last(solved(), leaky_outputs(hidden, other_modules[-1])),
        "huge-outputs": with_cell_last(solved(), HUGE_OUTPUTS),
    }
    # honest students
    lost = solved()
    for cell in lost.cells:
        cell.metadata = {}
    students["lost-metadata"] = lost
    copied = solved()
    first_answer = first_task_cells(copied)[0][0]
    original = answer_cells(copied)[first_answer]
    position = copied.cells.index(original)
    copy_cell = nbformat.from_dict(original)
    copy_cell.id = "copied-cell"
    original.source = next(
        c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == first_answer
    ).source
    copied.cells.insert(position + 1, copy_cell)
    students["copied-answer"] = copied
    debug = solved()
    answer = answer_cells(debug)[first_answer]
    answer.source = answer.source.replace(
        '"""\n', '"""\n    import sys\n    print("debug: called", file=sys.stderr)\n', 1
    )
    students["stderr-debug"] = debug
    for student in ODD_IDS:
        students[student] = solved()
    for student, notebook in students.items():
        folder = class_dir / "submitted" / student / MODULE
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{MODULE}.ipynb")
    v3 = class_dir / "submitted" / "nbformat-3" / MODULE
    v3.mkdir(parents=True)
    nbformat.write(nbformat.convert(solved(), 3), v3 / f"{MODULE}.ipynb", version=3)
    stray = class_dir / "submitted" / "stray-timestamp" / MODULE
    stray.mkdir(parents=True)
    nbformat.write(solved(), stray / f"{MODULE}.ipynb")
    (stray / "timestamp.txt").write_text("yesterday, honestly\n", encoding="utf-8")

    # broken folders: a row each, never a stop
    broken = {
        "folder-notebook": lambda f: (f / f"{MODULE}.ipynb").mkdir(),
        "dangling-link": lambda f: (f / f"{MODULE}.ipynb").symlink_to(f / "nowhere.ipynb"),
        "link-to-solutions": lambda f: (f / f"{MODULE}.ipynb").symlink_to(
            course / "solutions" / MODULE / f"{MODULE}.ipynb"
        ),
        "named-pipe": lambda f: os.mkfifo(f / f"{MODULE}.ipynb"),
        "device": lambda f: os.mknod(f / f"{MODULE}.ipynb", 0o600 | 0o020000, os.makedev(1, 3)),
        "huge-file": lambda f: os.truncate(_touch(f / f"{MODULE}.ipynb"), 150 * 1024 * 1024),
    }
    for student, make in broken.items():
        folder = class_dir / "submitted" / student / MODULE
        folder.mkdir(parents=True)
        make(folder)
    name_not_utf8 = class_dir / "submitted" / "bytes-name" / MODULE
    name_not_utf8.mkdir(parents=True)
    (name_not_utf8 / os.fsdecode(b"\xff\xfe.ipynb")).write_text(nbformat.writes(solved()), encoding="utf-8")
    folder_not_utf8 = class_dir / "submitted" / os.fsdecode(b"student-\xff") / MODULE
    folder_not_utf8.mkdir(parents=True)
    nbformat.write(solved(), folder_not_utf8 / f"{MODULE}.ipynb")
    return students


def _touch(path):
    path.write_bytes(b"")
    return path


# ---------------------------------------------------------------- grading it once


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("hostile") / "course"
    for folder in ("solutions", "notebooks", "data"):
        import shutil

        shutil.copytree(REPO_ROOT / folder, course / folder)
    (course / "grading").mkdir()
    (course / "grading" / "nbgrader_config.py").write_bytes(
        (REPO_ROOT / "grading" / "nbgrader_config.py").read_bytes()
    )
    class_dir = course / "grading"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connections.append(listener.accept()[0])
            except OSError:
                continue

    watcher = threading.Thread(target=accept, daemon=True)
    watcher.start()
    students = build_class(course, class_dir, listener.getsockname()[1])
    protected = {
        "solutions": tree_digest(course / "solutions"),
        "config": tree_digest(course / "grading"),
        "perfect": tree_digest(class_dir / "submitted" / "perfect"),
    }
    env = {**os.environ, "GRADER_TOKEN": SECRET}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "mlai_course.cli", "grade", MODULE, "--course-root", str(course)]
        + ["--cell-timeout", "10", "--student-timeout", "90", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = class_dir / "reports" / MODULE
    csv_digest = tree_digest(report)["grades.csv"]
    time.sleep(10)  # longer than the detached writer waits
    stop.set()
    watcher.join()
    listener.close()
    with (report / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    source = nbformat.read(course / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    total = sum(points for _, points in graded_tasks(source))
    return {
        "course": course,
        "class": class_dir,
        "rows": rows,
        "students": students,
        "protected": protected,
        "csv_digest": csv_digest,
        "connections": connections,
        "total": total,
        "output": result.stdout,
        "seconds": seconds,
    }


def row(graded, student):
    key = ("'" + student) if student[:1] in "=+-@" else student
    return graded["rows"][key]


def returned_files(graded, student):
    """Everything a student (or the instructor's browser) gets back: feedback and autograded notebook."""
    files = []
    for step in ("feedback", "autograded"):
        folder = graded["class"] / step / student / MODULE
        files += [path for path in folder.rglob("*") if path.is_file()]
    return files


def autograded(graded, student):
    return nbformat.read(graded["class"] / "autograded" / student / MODULE / f"{MODULE}.ipynb", as_version=4)


def output_text(graded, student) -> str:
    """What the student's cells printed or showed, as the grader stored it."""
    parts = []
    for cell in autograded(graded, student).cells:
        for output in cell.get("outputs", []):
            parts += [
                output.get("text", ""),
                output.get("data", {}).get("text/plain", ""),
                output.get("evalue", ""),
            ]
    return "\n".join(parts)


def output_kinds(graded, student) -> set[str]:
    kinds = set()
    for cell in autograded(graded, student).cells:
        for output in cell.get("outputs", []):
            kinds |= set(output.get("data", {})) or {output.output_type}
    return kinds


def status_score(graded, student):
    found = row(graded, student)
    return found["status"], float(found["score"])


# ---------------------------------------------------------------- the attackers


def test_every_student_has_exactly_one_row(graded):
    expected = set(graded["students"]) | {"nbformat-3", "stray-timestamp", "bytes-name"}
    expected |= {"folder-notebook", "dangling-link", "link-to-solutions", "named-pipe", "device", "huge-file"}
    expected |= {"student-\\xff"}
    shown = {name[1:] if name.startswith("'") and name[1:2] in "=+-@" else name for name in graded["rows"]}
    assert shown == expected
    lines = (graded["class"] / "reports" / MODULE / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(expected) + 1, "one row per student, `*` did not regrade anyone twice"


def test_solutions_and_classmates_cannot_be_read(graded):
    assert status_score(graded, "reads-solutions") == ("ok", 0.0)
    assert (graded["course"] / "solutions" / MODULE / f"{MODULE}.ipynb").is_file(), "the path it tried exists"
    assert "stolen from []" in output_text(graded, "reads-solutions")


def test_nothing_outside_the_sandbox_was_written(graded):
    assert tree_digest(graded["course"] / "solutions") == graded["protected"]["solutions"]
    config = tree_digest(graded["course"] / "grading")
    assert config["nbgrader_config.py"] == graded["protected"]["config"]["nbgrader_config.py"]
    assert tree_digest(graded["class"] / "submitted" / "perfect") == graded["protected"]["perfect"]
    assert not os.path.exists("/tmp/pwned") and not os.path.exists("/tmp/late-write")
    assert status_score(graded, "vandal") == ("ok", graded["total"])
    assert status_score(graded, "perfect") == ("ok", graded["total"])


def test_gradebook_holds_only_what_the_grader_observed(graded):
    with Gradebook(f"sqlite:///{graded['class'] / 'gradebook.db'}", course_id(graded["course"])) as gradebook:
        scores = {s.student.id: s.score for s in gradebook.find_assignment(MODULE).submissions}
        test_cell = gradebook.find_source_cell(graded_tasks_ids(graded)[0], MODULE, MODULE)
        assert "HIDDEN TESTS" in test_cell.source, "the test cells in the gradebook are the instructor's"
    assert scores["vandal"] == graded["total"] and scores["perfect"] == graded["total"]
    assert max(scores.values()) <= graded["total"]


def graded_tasks_ids(graded):
    source = nbformat.read(graded["course"] / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    return [grade_id for grade_id, _ in graded_tasks(source)]


def test_a_detached_process_dies_with_the_students_grading(graded):
    assert tree_digest(graded["class"] / "reports" / MODULE)["grades.csv"] == graded["csv_digest"]
    assert leftover_sandbox_processes() == [], "no process of any sandbox user is left"
    assert status_score(graded, "detached-writer") == ("ok", graded["total"])


def test_the_graders_environment_never_reaches_the_student(graded):
    for path in returned_files(graded, "reads-environment"):
        assert SECRET.encode() not in path.read_bytes(), path
    text = output_text(graded, "reads-environment")
    assert "MLAI_COURSE_DATA" in text and "GRADER_TOKEN" not in text and "/proc/1/environ" in text
    assert status_score(graded, "reads-environment") == ("ok", graded["total"])


@pytest.mark.parametrize("student", ["memory-hog", "disk-filler", "fork-bomb"])
def test_limits_hold_and_the_student_is_still_graded(graded, student):
    assert status_score(graded, student) == ("ok", graded["total"])
    text = output_text(graded, student)
    expected = {"memory-hog": "no memory", "disk-filler": "File too large", "fork-bomb": "forked"}[student]
    assert expected in text
    if student == "disk-filler":
        assert "Permission denied" in text, "the socket folder is sealed once the kernel runs"
    if student == "fork-bomb":
        assert int(text.split("forked ")[1].split()[0]) < 100, "the process limit stopped the fork bomb"


def test_no_network(graded):
    assert graded["connections"] == []
    text = output_text(graded, "network")
    assert "no network 127.0.0.1" in text and "connected" not in text


@pytest.mark.parametrize("student", ["input-transformer", "run-cell-patch", "do-execute-patch"])
def test_a_kernel_that_reports_every_cell_as_passed_is_caught(graded, student):
    found = row(graded, student)
    assert (found["status"], float(found["score"])) == ("tampered", 0.0)
    assert "tests that must fail were reported as passed" in found["reason"]
    assert returned_files(graded, student) == []
    assert f"| {student} | tampered |" in (graded["class"] / "reports" / MODULE / "summary.md").read_text(
        encoding="utf-8"
    )


def test_a_fake_kernel_earns_nothing(graded):
    """os.execv into a kernel that answers "ok" to everything: it cannot bind the sealed sockets (kernel
    crash), or it answers and the canaries catch it, or it hangs (timeout). Never points."""
    found = row(graded, "fake-kernel")
    assert found["status"] in ("tampered", "kernel_crash", "timeout") and float(found["score"]) == 0.0, found


def test_canaries_never_reach_gradebook_or_feedback(graded):
    ids = set(graded_tasks_ids(graded))
    autograded = nbformat.read(
        graded["class"] / "autograded" / "perfect" / MODULE / f"{MODULE}.ipynb", as_version=4
    )
    tests = [
        c.metadata["nbgrader"]["grade_id"]
        for c in autograded.cells
        if c.metadata.get("nbgrader", {}).get("grade")
        and c.cell_type == "code"
        and not c.metadata["nbgrader"].get("solution")
    ]
    assert sorted(tests) == sorted(i for i in ids if i.startswith("test_"))
    counts = [c.execution_count for c in autograded.cells if c.cell_type == "code" and c.execution_count]
    assert counts == list(range(1, len(counts) + 1))
    with Gradebook(f"sqlite:///{graded['class'] / 'gradebook.db'}", course_id(graded["course"])) as gradebook:
        names = {grade.name for grade in gradebook.find_submission(MODULE, "perfect").notebooks[0].grades}
    assert names <= ids


# ---------------------------------------------------------------- feedback: no leaks, small, passive


def test_leaky_feedback_is_withheld_and_the_reason_says_so(graded):
    found = row(graded, "leaky-outputs")
    assert (found["status"], float(found["score"])) == ("ok", graded["total"])
    assert "feedback withheld" in found["reason"]
    assert not (graded["class"] / "feedback" / "leaky-outputs").exists() or not list(
        (graded["class"] / "feedback" / "leaky-outputs").rglob("*.html")
    )
    assert output_kinds(graded, "leaky-outputs") <= {"text/plain", "image/png", "stream", "error"}


def test_huge_outputs_make_a_small_feedback_file(graded):
    html = graded["class"] / "feedback" / "huge-outputs" / MODULE / f"{MODULE}.html"
    assert html.stat().st_size < 4_000_000
    text = html.read_text(encoding="utf-8")
    assert "characters was left out" in text, "the 30 MB HTML output"
    assert "bytes was left out: the limit is" in text, "the 500 KB image"
    assert "text/html output shown as text" in text and "output cut:" in text
    assert output_kinds(graded, "huge-outputs") <= {"text/plain", "stream", "error"}


def test_no_feedback_file_holds_a_secret(graded):
    secrets = course_secrets(graded["course"])
    for html in (graded["class"] / "feedback").rglob("*.html"):
        student = html.relative_to(graded["class"] / "feedback").parts[0]
        if student in ("leaky-outputs",):
            continue
        raw = html.read_text(encoding="utf-8")
        # What the student wrote is theirs to see again: the lines of the cells they handed in (read as cells,
        # not as JSON text, where quotes are escaped; and as submitted, not as autograded, which holds the
        # hidden tests).
        own = {
            line.strip()
            for handed_in in (graded["class"] / "submitted" / student / MODULE).glob("*.ipynb")
            for cell in nbformat.read(handed_in, as_version=4).cells
            for line in cell.source.splitlines()
        }
        assert [line for line in secrets if line in raw and line not in own] == [], student


# ---------------------------------------------------------------- honest students keep their marks


@pytest.mark.parametrize(
    "student", ["lost-metadata", "copied-answer", "stderr-debug", "nbformat-3", "stray-timestamp", *ODD_IDS]
)
def test_honest_students_get_full_marks(graded, student):
    assert status_score(graded, student) == ("ok", graded["total"]), row(graded, student)


def test_honest_notes_say_what_was_done(graded):
    assert "metadata restored by content" in row(graded, "lost-metadata")["reason"]
    assert "graded the one holding the answer" in row(graded, "copied-answer")["reason"]
    assert "ignored timestamp.txt" in row(graded, "stray-timestamp")["reason"]


def test_odd_ids_are_text_in_the_spreadsheet(graded):
    raw = (graded["class"] / "reports" / MODULE / "grades.csv").read_text(encoding="utf-8")
    for line in raw.splitlines()[1:]:
        assert not line.lstrip('"').startswith(("=", "+", "-", "@")), line
    assert row(graded, "trail ")["student_id"] == "trail "
    assert (graded["class"] / "feedback" / "[br]*?" / MODULE / f"{MODULE}.html").is_file()


# ---------------------------------------------------------------- broken folders: a row each


@pytest.mark.parametrize(
    "student, words",
    [
        ("folder-notebook", "is a folder"),
        ("dangling-link", "symbolic link"),
        ("link-to-solutions", "symbolic link"),
        ("named-pipe", "named pipe"),
        ("device", "device"),
        ("huge-file", "the limit is 100 MiB"),
    ],
)
def test_broken_submissions_get_a_row_with_a_reason(graded, student, words):
    found = row(graded, student)
    assert found["status"] == "invalid_notebook" and words in found["reason"], found


def test_names_that_are_not_utf8(graded):
    assert status_score(graded, "bytes-name") == ("ok", graded["total"])
    assert "\\xff\\xfe.ipynb" in row(graded, "bytes-name")["reason"]
    assert row(graded, "student-\\xff")["status"] == "invalid_student_id"
