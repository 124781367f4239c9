"""`mlai-course grade`: from a class's submissions to grades, scrubbed feedback and a summary.

One grader process, students isolated below it, in parallel. For one module (an nbgrader *assignment*) in a
class folder (an nbgrader course root, by default grading/):

1. check that the machine can sandbox student code (sandbox.py), unless --no-sandbox (said loudly);
2. record the module in the gradebook once, with nbgrader's Python API (`generate_assignment`, release
   written to a temporary folder), and read its cells, points and tests into memory;
3. with --lms-zip, collect the LMS download into submitted/ with our own safe collector (lms.py);
4. for each student folder submitted/<student>/<module>/ (never changed): find and read the notebook safely,
   restore lost nbgrader metadata, restore every locked cell (tests included) from the gradebook, put back
   deleted test cells, clear outputs, and add canary tests (canaries.py);
5. run it, `--jobs` students at a time, each in its own sandboxed kernel (per-cell timeout with an interrupt,
   per-student wall-clock limit, then every process of the sandbox killed);
6. from what the grader observed (each test cell's execute_reply and outputs), give each test its points, or
   the student `tampered` when a canary "passed"; write the gradebook (one transaction per student), the
   autograded notebook, feedback HTML (feedback.py) and the reports (grading_report.py), all from this
   process. Student kernels never see any of these files.

Every student ends up in grades.csv with one of STATUSES.
"""

import contextlib
import fcntl
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader import utils as nbgrader_utils
from nbgrader.api import (
    Assignment,
    Comment,
    Gradebook,
    MissingEntry,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from nbgrader.api import Grade as GradeRow
from traitlets.config.loader import PyFileConfigLoader

from mlai_course import canaries, feedback, grading_report, intake, lms, sandbox
from mlai_course.lms import DEFAULT_LMS_REGEX

# Status -> what it means. Every status but "ok" scores 0 points; the reason column says what happened.
STATUSES = {
    "ok": "autograded; the score comes from the gradebook (manual grades included once given)",
    "no_submission": "in the gradebook's student list, but handed nothing in for this module",
    "missing_notebook": "handed in files, but no notebook we could tell was this module's",
    "invalid_notebook": "the notebook cannot be read: not a plain file, not JSON, not a notebook, too large",
    "invalid_student_id": "the student's folder or LMS name cannot be used as an id (e.g. not UTF-8, '..')",
    "timeout": "a cell could not be interrupted at the per-cell limit, or the student took too long in all",
    "kernel_crash": "the Python kernel died while running the notebook (os._exit, a crash in C, no memory)",
    "tampered": "the kernel reported a test that must fail as passed: the notebook interferes with grading",
    "autograde_error": "the notebook could not be graded for another reason (quoted in the reason)",
}
STAGED_DIRECTORY = "work/submitted"
NO_SANDBOX_WARNING = "GRADED WITHOUT THE SANDBOX (--no-sandbox): student code ran with the grader's rights"
STARTUP_TIMEOUT = 60


class GradingError(RuntimeError):
    """The class could not be graded at all (bad options, no submissions, broken LMS zip, no sandbox)."""


@dataclass
class StudentResult:
    """One row of grades.csv."""

    student_id: str
    status: str
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""
    task_points: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    needs_manual_grading: bool = False
    feedback_problem: str = ""
    submitted_at: str = ""

    @property
    def full_reason(self) -> str:
        """The reason column: what grading noted, manual grading still to do, any problem with feedback."""
        manual = "needs manual grading in formgrader" if self.needs_manual_grading else ""
        return "; ".join(part for part in (self.reason, manual, self.feedback_problem) if part)


@dataclass
class GradingOptions:
    course_root: Path
    assignment: str
    class_dir: Path
    cell_timeout: int | None = None
    student_timeout: float = 300.0
    lms_zip: Path | None = None
    lms_regex: str = DEFAULT_LMS_REGEX
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    sandbox: bool = True

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.class_dir / 'gradebook.db'}"

    @property
    def report_dir(self) -> Path:
        return self.class_dir / "reports" / self.assignment

    @property
    def source_notebook(self) -> Path:
        return self.course_root / "solutions" / self.assignment / f"{self.assignment}.ipynb"


# ---------------------------------------------------------------- files written atomically


def write_atomic(path: Path, content: bytes | str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_tree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


# ---------------------------------------------------------------- the module, recorded once


def course_config(course_root: Path):
    return PyFileConfigLoader("nbgrader_config.py", path=str(course_root / "grading")).load_config()


def course_id(course_root: Path) -> str:
    """The course id set in grading/nbgrader_config.py (the gradebook files grades under it)."""
    return course_config(course_root).CourseDirectory.get("course_id", "default_course")


def configured_cell_timeout(course_root: Path) -> int:
    return int(course_config(course_root).Execute.get("timeout", 30))


@dataclass
class SourceCell:
    name: str
    cell_type: str
    locked: bool
    source: str
    checksum: str


@dataclass
class Module:
    """What the gradebook holds for the module, read once: cells in order, points, the release notebook."""

    name: str
    release: object
    cells: list[SourceCell]
    points: dict[str, float]  # grade cells (tests and manually graded answers), in order
    solutions: set[str]
    tasks: set[str]
    kernelspec: dict | None

    @property
    def max_score(self) -> float:
        return sum(self.points.values())

    def cell(self, name: str) -> SourceCell | None:
        return next((cell for cell in self.cells if cell.name == name), None)

    def released_source(self, name: str) -> str | None:
        """The cell's source as students got it (hidden tests removed)."""
        for cell in self.release.cells:
            if intake.nbgrader_meta(cell).get("grade_id") == name:
                return cell.source
        return None


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def record_assignment(options: GradingOptions, release_dir: Path) -> Module:
    """Put the module (cells, points, hidden tests) into the gradebook with nbgrader's API; read it back."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = course_config(options.course_root)
    config.CourseDirectory.root = str(options.class_dir)
    config.CourseDirectory.source_directory = str(options.course_root / "solutions")
    config.CourseDirectory.release_directory = str(release_dir)
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    result = api.generate_assignment(options.assignment, force=True, create=True)
    if not result["success"]:
        raise GradingError(
            f"nbgrader generate_assignment {options.assignment} failed:\n"
            f"{_tail(result.get('log', '') + result.get('error', ''))}"
        )
    release = nbformat.read(release_dir / options.assignment / f"{options.assignment}.ipynb", as_version=4)
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        notebook = gradebook.find_notebook(options.assignment, options.assignment)
        cells = [
            SourceCell(cell.name, cell.cell_type, bool(cell.locked), cell.source, cell.checksum)
            for cell in notebook.source_cells
        ]
        points = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
        order = {name: index for index, name in enumerate(meta["grade_id"] for meta in _release_ids(release))}
        points = dict(sorted(points.items(), key=lambda item: order.get(item[0], len(order))))
        solutions = {cell.name for cell in notebook.solution_cells}
        tasks = {cell.name for cell in notebook.task_cells}
        kernelspec = json.loads(notebook.kernelspec) if notebook.kernelspec else None
    return Module(options.assignment, release, cells, points, solutions, tasks, kernelspec)


def _release_ids(release) -> list[dict]:
    return [
        intake.nbgrader_meta(cell) for cell in release.cells if intake.nbgrader_meta(cell).get("grade_id")
    ]


def _tail(log: str, lines: int = 15) -> str:
    kept = [line for line in log.splitlines() if "SAWarning" not in line and "for notebook in" not in line]
    return "\n".join(kept[-lines:])


def task_names(module: Module) -> list[tuple[str, float]]:
    """(grade_id, points) of every graded cell of the module, in notebook order: the grades.csv columns."""
    return list(module.points.items())


def source_tasks(source_notebook) -> list[tuple[str, float]]:
    """(grade_id, points) of every graded cell of a source notebook, in order."""
    return [
        (cell.metadata["nbgrader"]["grade_id"], float(cell.metadata["nbgrader"].get("points", 0)))
        for cell in source_notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    ]


# ---------------------------------------------------------------- students


@dataclass
class Submission:
    """One student's folder for the module, before grading."""

    student_id: str
    folder: Path | None
    problem: StudentResult | None = None
    submitted_at: str = ""
    notes: list[str] = field(default_factory=list)


ID_PROBLEM = re.compile(r"[\x00-\x1f\x7f/\\]")


def student_id_problem(name: str) -> str:
    """Why a folder or LMS name cannot be a student id, or ""."""
    if any(0xDC80 <= ord(char) <= 0xDCFF for char in name):
        return "the name is not UTF-8"
    if name in ("", ".", ".."):
        return f"{name!r} is not a name"
    if ID_PROBLEM.search(name):
        return "the name holds a control character or a path separator"
    return ""


def submitted_students(options: GradingOptions, lms_times: dict[str, str]) -> list[Submission]:
    """Every student folder under submitted/ that has this module, checked without following links."""
    submitted = options.class_dir / "submitted"
    if not submitted.is_dir():
        return []
    found = []
    with os.scandir(submitted) as entries:
        for entry in sorted(entries, key=lambda entry: entry.name):
            name, shown = entry.name, intake.display_name(entry.name)
            if name.startswith("."):
                continue  # hidden files and the collector's temporary folders
            problem = student_id_problem(name)
            if entry.is_symlink():
                problem = problem or "the student's folder is a symbolic link (links are never followed)"
            elif not entry.is_dir(follow_symlinks=False):
                continue  # a stray file beside the student folders
            if problem:
                status = "invalid_student_id" if student_id_problem(name) else "missing_notebook"
                found.append(Submission(shown, None, StudentResult(shown, status, reason=problem)))
                continue
            module_dir = Path(entry.path) / options.assignment
            try:
                module_info = os.lstat(module_dir)
            except OSError:
                continue
            if not stat.S_ISDIR(module_info.st_mode):
                kind = "a symbolic link" if stat.S_ISLNK(module_info.st_mode) else "not a folder"
                result = StudentResult(name, "missing_notebook", reason=f"{options.assignment}/ is {kind}")
                found.append(Submission(name, None, result))
                continue
            found.append(Submission(name, module_dir, submitted_at=lms_times.get(name, "")))
    return found


def roster(options: GradingOptions) -> list[str]:
    """Students in the gradebook's student list (e.g. imported with `nbgrader db student import`)."""
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        return sorted(student.id for student in gradebook.students)


def folder_timestamp(folder: Path) -> tuple[str, str]:
    """A timestamp.txt written by nbgrader's exchange (collect), if valid: (ISO time, note)."""
    path = folder / "timestamp.txt"
    if not os.path.lexists(path):
        return "", ""
    try:
        text = intake.read_regular_file(path, 200, "timestamp.txt").decode("utf-8").strip()
        parsed = nbgrader_utils.parse_utc(text)
    except (intake.SubmissionProblem, UnicodeDecodeError, ValueError, TypeError, OverflowError):
        return "", "ignored timestamp.txt: not a readable time"
    return parsed.replace(tzinfo=UTC).isoformat(), ""


# ---------------------------------------------------------------- preparing one notebook


def restore_cells(notebook, module: Module) -> list[str]:
    """What nbgrader's sanitising does, in memory, from the module read once from the gradebook.

    Cells whose grade_id the module does not know lose their nbgrader metadata; every known cell gets the
    gradebook's cell type, lock, points and checksum; locked cells (tests included) get the gradebook's
    source back whatever the student did to them; deleted graded cells are put back after the cell that came
    before them in the source.
    """
    notes = []
    seen = set()
    edited = []
    for cell in notebook.cells:
        meta = intake.nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        source_cell = module.cell(grade_id)
        if source_cell is None or grade_id in seen:
            del cell.metadata["nbgrader"]
            continue
        seen.add(grade_id)
        if cell.cell_type != source_cell.cell_type:
            cell.cell_type = source_cell.cell_type
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            else:
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
        meta["locked"] = source_cell.locked
        meta["grade"] = grade_id in module.points
        meta["solution"] = grade_id in module.solutions
        meta["task"] = grade_id in module.tasks
        if grade_id in module.points:
            meta["points"] = module.points[grade_id]
        meta["checksum"] = source_cell.checksum
        meta.setdefault("schema_version", 3)
        if source_cell.locked:
            released = module.released_source(grade_id)
            if (
                grade_id in module.points
                and released is not None
                and _normal(cell.source) != _normal(released)
            ):
                edited.append(grade_id)
            cell.source = source_cell.source
    if edited:
        notes.append(f"edited test cells restored: {', '.join(edited)}")
    missing = []
    names = [cell.name for cell in module.cells]
    for index, source_cell in enumerate(module.cells):
        if source_cell.name in seen or source_cell.name not in module.points:
            continue
        position = 0
        for earlier in reversed(names[:index]):
            where = [
                i
                for i, cell in enumerate(notebook.cells)
                if intake.nbgrader_meta(cell).get("grade_id") == earlier
            ]
            if where:
                position = where[0] + 1
                break
        cell = (
            nbformat.v4.new_code_cell if source_cell.cell_type == "code" else nbformat.v4.new_markdown_cell
        )(source_cell.source)
        cell.metadata["nbgrader"] = {
            "grade": True,
            "grade_id": source_cell.name,
            "locked": source_cell.locked,
            "points": module.points[source_cell.name],
            "solution": source_cell.name in module.solutions,
            "task": False,
            "checksum": source_cell.checksum,
            "schema_version": 3,
        }
        notebook.cells.insert(position, cell)
        seen.add(source_cell.name)
        missing.append(source_cell.name)
    if missing:
        notes.append(f"deleted test cells put back: {', '.join(missing)}")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata = nbformat.from_dict(
            {key: value for key, value in cell.metadata.items() if key in ("nbgrader", "tags")}
        )
        cell.pop("attachments", None) if cell.cell_type == "code" else None
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": module.kernelspec or notebook.metadata.get("kernelspec", {}),
            "language_info": {"name": "python"},
        }
    )
    return notes


def prepare(options: GradingOptions, module: Module, submission: Submission):
    """Read, repair and sanitise a student's notebook; return (notebook, notes). Raises SubmissionProblem."""
    notebook_path, note = intake.find_notebook(submission.folder, options.assignment)
    label = intake.display_name(notebook_path.name)
    notebook = intake.parse_notebook(intake.read_regular_file(notebook_path), label)
    notes = [note] if note else []
    notes += intake.restore_metadata(notebook, module.release)
    notes += restore_cells(notebook, module)
    others = intake.other_files(submission.folder, notebook_path)
    if others:
        notes.append(f"ignored other files: {intake._names(others)}")
    return notebook, notes


# ---------------------------------------------------------------- running one notebook in a sandbox


class GradingClient(NotebookClient):
    """nbclient with the grader's rules: on a cell timeout interrupt once; if the kernel does not answer
    within another timeout, give up on the notebook (CellTimeoutError)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.interrupted: list[int] = []
        self.replies: dict[int, str] = {}
        self.output_chars: dict[int, int] = {}
        self.on_cell_executed = self._record_reply
        self.on_notebook_start = self._seal

    def _seal(self, notebook):
        if isinstance(self.km, sandbox.SandboxedKernelManager):
            self.km.slot.seal()

    def process_message(self, msg, cell, cell_index):
        """Cap outputs as they arrive, so a notebook that prints gigabytes never fills the grader's memory."""
        content = msg.get("content", {})
        kind = msg.get("msg_type")
        if kind == "stream" and isinstance(content.get("text"), str):
            used = self.output_chars.get(id(cell), 0)
            text = content["text"]
            self.output_chars[id(cell)] = used + len(text)
            if used + len(text) > feedback.MAX_RECEIVED_CHARACTERS:
                room = max(feedback.MAX_RECEIVED_CHARACTERS - used, 0)
                cut = (
                    "\n... [output cut while the notebook ran] ...\n"
                    if used <= feedback.MAX_RECEIVED_CHARACTERS
                    else ""
                )
                content["text"] = text[:room] + cut
        elif kind in ("display_data", "update_display_data", "execute_result") and isinstance(
            content.get("data"), dict
        ):
            size = sum(len(value) if isinstance(value, str) else 0 for value in content["data"].values())
            if size > feedback.MAX_RECEIVED_CHARACTERS:
                content["data"] = {"text/plain": f"[an output of {size:,} characters was left out]"}
        return super().process_message(msg, cell, cell_index)

    def _record_reply(self, cell, cell_index, execute_reply):
        self.replies[id(cell)] = execute_reply.get("content", {}).get("status", "missing")

    async def _async_handle_timeout(self, timeout, cell=None):
        if cell is not None and id(cell) in self.interrupted:
            raise CellTimeoutError.error_from_timeout_and_cell("Cell could not be interrupted", timeout, cell)
        if cell is not None:
            self.interrupted.append(id(cell))
        await self.km.interrupt_kernel()
        return None


@dataclass
class Execution:
    status: str = "ok"
    reason: str = ""
    replies: dict[int, str] = field(default_factory=dict)
    interrupted: list[int] = field(default_factory=list)


def execute(notebook, options: GradingOptions, slot: sandbox.Slot | None, cell_timeout: int) -> Execution:
    """Run every cell in a fresh kernel in the slot's sandbox; never raises for student code."""
    if slot is not None:
        manager = sandbox.SandboxedKernelManager(slot)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    else:
        from jupyter_client.manager import AsyncKernelManager

        manager = AsyncKernelManager(kernel_name="python3")
        env = {**os.environ, **sandbox.sandbox_env(str(Path.home()))}
        env["MLAI_COURSE_DATA"] = str(options.course_root / "data")
    client = GradingClient(
        notebook,
        km=manager,
        timeout=cell_timeout,
        startup_timeout=STARTUP_TIMEOUT,
        interrupt_on_timeout=True,
        allow_errors=True,
        raise_on_iopub_timeout=False,
        shutdown_kernel="immediate",
        record_timing=False,
        iopub_timeout=4,
    )
    expired = threading.Event()

    def expire():
        expired.set()
        if isinstance(manager, sandbox.SandboxedKernelManager):
            manager.kill_sandbox()
        else:
            process = getattr(manager.provisioner, "process", None)
            if process is not None:
                sandbox.kill_tree(process.pid)

    timer = threading.Timer(options.student_timeout, expire)
    timer.daemon = True
    timer.start()
    result = Execution()
    try:
        with tempfile.TemporaryDirectory(prefix=sandbox.temporary_prefix("kernel")) as folder:
            where = {"cwd": folder} if slot is None else {}  # in the sandbox: its own tmpfs home
            client.execute(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **where)
    except CellTimeoutError as error:
        preview = _cell_preview(str(error))
        result.status = "timeout"
        result.reason = f"a cell ran past the {cell_timeout} s limit and could not be interrupted{preview}"
    except DeadKernelError:
        result.status = "kernel_crash"
        result.reason = "the Python kernel died while running the notebook"
    except Exception as error:  # nbclient, zmq and the kernel launcher raise many kinds
        result.status = "autograde_error"
        result.reason = f"{type(error).__name__}: {str(error).strip()[:300]}"
    finally:
        timer.cancel()
        if isinstance(manager, sandbox.SandboxedKernelManager):
            manager.kill_sandbox()
            slot.clean()
        else:
            with contextlib.suppress(Exception):
                process = getattr(manager.provisioner, "process", None)
                if process is not None:
                    sandbox.kill_tree(process.pid)
    if expired.is_set():
        result.status = "timeout"
        result.reason = (
            f"grading passed the {options.student_timeout:g} s per-student limit; "
            "every process of the sandbox was killed"
        )
    result.replies = client.replies
    result.interrupted = client.interrupted
    return result


def _cell_preview(message: str) -> str:
    preview = re.search(r"Here is a preview of the cell contents:\s*\n\s*-+\s*\n\s*(.+)", message)
    return f" (cell starting `{preview.group(1).strip()[:60]}`)" if preview else ""


# ---------------------------------------------------------------- verdicts


def is_test_cell(cell) -> bool:
    meta = intake.nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def test_passed(cell, replies: dict[int, str]) -> bool:
    """A test passes when its execute_reply said ok and it produced no error output (stderr is fine)."""
    return replies.get(id(cell)) == "ok" and not any(
        output.get("output_type") == "error" for output in cell.get("outputs", [])
    )


@dataclass
class Verdict:
    """What the grader concluded for one notebook: auto scores per grade cell, comments per answer cell."""

    auto_scores: dict[str, float | None]
    no_response: dict[str, bool]


def judge(notebook, replies: dict[int, str]) -> Verdict:
    scores, no_response = {}, {}
    for cell in notebook.cells:
        meta = intake.nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        unchanged = meta.get("checksum") == nbgrader_utils.compute_checksum(cell)
        if meta.get("grade"):
            if meta.get("solution"):
                scores[grade_id] = 0.0 if unchanged else None
            elif cell.cell_type == "code":
                scores[grade_id] = float(meta.get("points", 0)) if test_passed(cell, replies) else 0.0
            else:
                scores[grade_id] = None
        if meta.get("solution") or meta.get("task"):
            no_response[grade_id] = unchanged and not meta.get("task")
    return Verdict(scores, no_response)


# ---------------------------------------------------------------- the gradebook, written by the grader only


def save_grades(
    options: GradingOptions, module: Module, student_id: str, verdict: Verdict, submitted_at: str
) -> StudentResult:
    """Store one student's grades as nbgrader's SaveAutoGrades does, in one transaction; return the scores."""
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        db = gradebook.db
        try:
            student = db.get(Student, student_id)
            if student is None:
                student = Student(id=student_id)
                db.add(student)
            assignment = db.query(Assignment).filter(Assignment.name == options.assignment).one()
            submission = (
                db.query(SubmittedAssignment)
                .filter(SubmittedAssignment.assignment == assignment, SubmittedAssignment.student == student)
                .one_or_none()
            )
            if submission is None:
                submission = SubmittedAssignment(assignment=assignment, student=student)
                db.add(submission)
            submission.timestamp = (
                nbgrader_utils.parse_utc(submitted_at) if submitted_at else submission.timestamp
            )
            submitted = {notebook.notebook.name: notebook for notebook in submission.notebooks}
            for notebook in assignment.notebooks:
                current = submitted.get(notebook.name)
                if current is None:
                    current = SubmittedNotebook(notebook=notebook, assignment=submission)
                    db.add(current)
                grades = {grade.name: grade for grade in current.grades}
                comments = {comment.name: comment for comment in current.comments}
                for cell in [*notebook.grade_cells, *notebook.task_cells]:
                    grade = grades.get(cell.name)
                    if grade is None:
                        grade = GradeRow(cell_id=cell.id, notebook=current)
                        db.add(grade)
                    default = None if cell.name in module.tasks else 0.0
                    grade.auto_score = verdict.auto_scores.get(cell.name, default)
                    grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
                for cell in [*notebook.solution_cells, *notebook.task_cells]:
                    comment = comments.get(cell.name)
                    if comment is None:
                        comment = Comment(cell_id=cell.id, notebook=current)
                        db.add(comment)
                    comment.auto_comment = "No response." if verdict.no_response.get(cell.name) else None
            db.commit()
        except BaseException:
            db.rollback()
            raise
    return read_scores(options, StudentResult(student_id, "ok", submitted_at=submitted_at))


def read_scores(options: GradingOptions, result: StudentResult) -> StudentResult:
    """Fill in a graded student's score and per-task points from the gradebook."""
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        submission = gradebook.find_submission(options.assignment, result.student_id)
        result.score = float(submission.score)
        result.max_score = float(submission.max_score)
        result.needs_manual_grading = bool(submission.needs_manual_grade)
        result.task_points = {
            grade.name: float(grade.score) for notebook in submission.notebooks for grade in notebook.grades
        }
    return result


def forget_submission(options: GradingOptions, result: StudentResult) -> None:
    """Remove a failed student's stale grades, autograded notebook and feedback, so nothing old is reused.

    Grades from an earlier run that hold manual scores stay in the gradebook (an instructor's work is never
    thrown away); the reason says so.
    """
    if not student_id_problem(result.student_id):
        with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
            try:
                submission = gradebook.find_submission(options.assignment, result.student_id)
            except MissingEntry:
                submission = None
            grades = [
                grade
                for notebook in (submission.notebooks if submission else [])
                for grade in notebook.grades
            ]
            if any(grade.manual_score is not None for grade in grades):
                _add_note(
                    result, "the gradebook keeps this student's earlier grades: they hold manual scores"
                )
            elif submission is not None:
                gradebook.remove_submission(options.assignment, result.student_id)
        for step in ("autograded", "feedback"):
            remove_tree(options.class_dir / step / result.student_id / options.assignment)


def _add_note(result: StudentResult, note: str) -> None:
    result.reason = "; ".join(part for part in (result.reason, note) if part)


# ---------------------------------------------------------------- one student, start to end


@dataclass
class Graded:
    """A worker's result for one student: the executed notebook and what was observed."""

    submission: Submission
    notebook: object = None
    notes: list[str] = field(default_factory=list)
    execution: Execution | None = None
    canaries: list = field(default_factory=list)
    problem: StudentResult | None = None
    seconds: float = 0.0


def grade_in_worker(options, module, submission, slots, cell_timeout) -> Graded:
    """Prepare and run one student's notebook (a worker thread); touches no grading output."""
    started = time.monotonic()
    graded = Graded(submission)
    try:
        graded.notebook, graded.notes = prepare(options, module, submission)
    except intake.SubmissionProblem as problem:
        graded.problem = StudentResult(submission.student_id, problem.status, reason=str(problem))
    except Exception as error:  # a notebook that breaks our repair code is still one student's problem
        graded.problem = StudentResult(
            submission.student_id, "autograde_error", reason=f"{type(error).__name__}: {str(error)[:300]}"
        )
    if graded.problem is None:
        graded.canaries = canaries.insert_canaries(graded.notebook)
        slot = slots.get() if slots is not None else None
        try:
            graded.execution = execute(graded.notebook, options, slot, cell_timeout)
        finally:
            if slots is not None:
                slots.put(slot)
    graded.seconds = time.monotonic() - started
    return graded


def finish_student(
    options: GradingOptions, module: Module, graded: Graded, cell_timeout: int
) -> StudentResult:
    """In the grader: verdicts, gradebook, autograded notebook. Feedback comes next (FeedbackWriter)."""
    submission = graded.submission
    if graded.problem is not None:
        result = graded.problem
    elif graded.execution.status != "ok":
        result = StudentResult(submission.student_id, graded.execution.status, reason=graded.execution.reason)
    else:
        notebook, execution = graded.notebook, graded.execution
        lying = [cell for cell in graded.canaries if test_passed(cell, execution.replies)]
        if lying:
            result = StudentResult(
                submission.student_id,
                "tampered",
                reason=f"{len(lying)} of {len(graded.canaries)} tests that must fail were reported as "
                "passed: the notebook changes how the kernel runs or reports cells; look at it yourself",
            )
        else:
            interrupted = any(id(cell) in execution.interrupted for cell in notebook.cells)
            canaries.remove_canaries(notebook, graded.canaries)
            verdict = judge(notebook, execution.replies)
            feedback.sanitize_outputs(notebook)
            result = save_grades(options, module, submission.student_id, verdict, submission.submitted_at)
            path = options.class_dir / "autograded" / submission.student_id / options.assignment
            remove_tree(path)
            write_atomic(path / f"{options.assignment}.ipynb", nbformat.writes(notebook))
            result.reason = "; ".join(graded.notes)
            if interrupted:
                _add_note(result, f"a cell ran past the {cell_timeout} s limit and was interrupted")
    if result.status != "ok":
        notes = [note for note in graded.notes if note] if graded.problem is None else []
        result.reason = "; ".join([result.reason, *notes]) if notes else result.reason
        forget_submission(options, result)
    result.submitted_at = submission.submitted_at
    result.max_score = module.max_score
    result.seconds = graded.seconds
    return result


# ---------------------------------------------------------------- feedback


class FeedbackWriter:
    """Feedback HTML for graded students, each checked for leaks and size before it is kept."""

    def __init__(self, options: GradingOptions):
        self.options = options
        self.hidden = feedback.hidden_test_lines(nbformat.read(options.source_notebook, as_version=4))
        self.secrets = feedback.course_secrets(options.course_root)
        self.renderer = feedback.FeedbackRenderer(options.db_url)

    def write(self, result: StudentResult) -> None:
        options = self.options
        result.feedback_problem = ""
        target = feedback_path(options, result.student_id)
        if result.status != "ok":
            return
        autograded = options.class_dir / "autograded" / result.student_id / options.assignment
        try:
            notebook = nbformat.read(autograded / f"{options.assignment}.ipynb", as_version=4)
        except (OSError, ValueError) as error:
            result.feedback_problem = f"no feedback: cannot read the autograded notebook ({error})"
            remove_tree(target.parent)
            return
        own = feedback.student_lines(notebook)
        try:
            scrubbed = feedback.scrub_notebook(notebook, self.hidden)
            html = self.renderer.render(scrubbed, options.assignment, result.student_id)
        except Exception as error:  # nbconvert on a strange notebook: one student's problem
            result.feedback_problem = f"no feedback HTML: {type(error).__name__}: {str(error)[:200]}"
            remove_tree(target.parent)
            return
        leaks = feedback.leaked_secrets(html, self.secrets - own)
        if leaks:
            remove_tree(target.parent)
            result.feedback_problem = (
                f"feedback withheld: it would show {len(leaks)} hidden-test or solution lines"
            )
            return
        if len(html.encode("utf-8")) > feedback.MAX_FEEDBACK_BYTES:
            remove_tree(target.parent)
            result.feedback_problem = "feedback withheld: still over the size limit after cutting outputs"
            return
        write_atomic(target, html)


def feedback_path(options: GradingOptions, student: str) -> Path:
    return options.class_dir / "feedback" / student / options.assignment / f"{options.assignment}.html"


# ---------------------------------------------------------------- the whole class


def check_options(options: GradingOptions) -> None:
    if (
        not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", options.assignment)
        or not options.source_notebook.is_file()
    ):
        raise GradingError(
            f"{options.source_notebook}: no such module; expected solutions/<module>/<module>.ipynb"
        )
    if options.student_timeout <= 0 or (options.cell_timeout is not None and options.cell_timeout <= 0):
        raise GradingError("timeouts must be positive numbers of seconds")
    if options.jobs < 1:
        raise GradingError("--jobs must be at least 1")
    if options.lms_zip is not None:
        if not options.lms_zip.is_file():
            raise GradingError(f"{options.lms_zip}: no such file")
        if not zipfile.is_zipfile(options.lms_zip):
            raise GradingError(f"{options.lms_zip}: not a zip file")
        try:
            pattern = re.compile(options.lms_regex)
        except re.error as error:
            raise GradingError(
                f"--lms-regex {options.lms_regex!r} is not a regular expression: {error}"
            ) from None
        if not {"student_id", "file_id"} <= set(pattern.groupindex):
            raise GradingError("--lms-regex needs the named groups (?P<student_id>...) and (?P<file_id>...)")


@contextlib.contextmanager
def class_lock(options: GradingOptions):
    """One grader at a time per class folder: a second one stops with a clear message."""
    lock_path = options.class_dir / "work" / "grade.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GradingError(f"another `mlai-course grade` is grading {options.class_dir}") from None
        yield


def grade_class(options: GradingOptions) -> list[StudentResult]:
    """Grade every student of the class for one module; write grades.csv, feedback and the summary."""
    check_options(options)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    if options.sandbox:
        try:
            sandbox.check_machine(options.course_root / "data", options.course_root)
        except sandbox.SandboxUnavailable as error:
            raise GradingError(f"cannot sandbox student code: {error}") from None
    if (
        not options.lms_zip
        and not (options.class_dir / "submitted").is_dir()
        and not (options.class_dir / "gradebook.db").exists()
    ):
        raise GradingError(
            f"no submissions for {options.assignment} in {options.class_dir / 'submitted'} "
            f"(expected submitted/<student>/{options.assignment}/<notebook>, or use --lms-zip)"
        )
    options.class_dir.mkdir(parents=True, exist_ok=True)
    cell_timeout = options.cell_timeout or configured_cell_timeout(options.course_root)
    sandbox.remove_stale_folders()
    release_prefix = sandbox.temporary_prefix("release")
    with class_lock(options), tempfile.TemporaryDirectory(prefix=release_prefix) as release:
        module = record_assignment(options, Path(release))
        lms_times, lms_notes = {}, {}
        if options.lms_zip:
            try:
                collection = lms.collect(
                    options.lms_zip, options.class_dir / "submitted", options.assignment, options.lms_regex
                )
            except lms.CollectError as error:
                raise GradingError(str(error)) from None
            for warning in collection.warnings:
                print(f"warning: {warning}")
            lms_times, lms_notes = collection.times, collection.notes
        submissions = submitted_students(options, lms_times)
        for submission in submissions:
            submission.notes += lms_notes.get(submission.student_id, [])
            if submission.folder is not None and not submission.submitted_at and not options.lms_zip:
                submission.submitted_at, note = folder_timestamp(submission.folder)
                if note:
                    submission.notes.append(note)
        names = {submission.student_id for submission in submissions}
        absent = [student for student in roster(options) if student not in names]
        if not submissions and not absent:
            raise GradingError(
                f"no submissions and no students for {options.assignment} in {options.class_dir}"
            )
        results = run_class(options, module, submissions, cell_timeout, FeedbackWriter(options))
        for student in absent:
            result = StudentResult(student, "no_submission", max_score=module.max_score)
            forget_submission(options, result)
            results.append(result)
        results.sort(key=lambda result: result.student_id)
        write_reports(options, results, task_names(module))
    return results


def run_class(
    options, module, submissions: list[Submission], cell_timeout: int, writer: FeedbackWriter
) -> list[StudentResult]:
    """Grade every submission: workers prepare and run notebooks, this thread records what they observed
    and writes each student's feedback while the workers run the next notebooks."""
    results = []
    waiting = []
    for submission in submissions:
        if submission.problem is not None:
            result = submission.problem
            result.max_score = module.max_score
            forget_submission(options, result)
            results.append(_report(result))
        else:
            waiting.append(submission)
    if not waiting:
        return results
    jobs = min(options.jobs, len(waiting))
    slots = None
    if options.sandbox:
        sandbox.become_subreaper()
        try:
            slots = sandbox.SlotPool(jobs, options.course_root / "data")
        except sandbox.SandboxUnavailable as error:
            raise GradingError(str(error)) from None
    try:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade") as pool:
            pending = {
                pool.submit(grade_in_worker, options, module, submission, slots, cell_timeout): submission
                for submission in waiting
            }
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    submission = pending.pop(future)
                    try:
                        graded = future.result()
                        graded.notes = [*submission.notes, *graded.notes]
                        result = finish_student(options, module, graded, cell_timeout)
                        writer.write(result)
                    except Exception as error:  # a bug for one student must not stop the class
                        traceback.print_exc()
                        result = StudentResult(
                            submission.student_id,
                            "autograde_error",
                            max_score=module.max_score,
                            reason=f"{type(error).__name__}: {str(error)[:300]}",
                        )
                        forget_submission(options, result)
                    if not options.sandbox:
                        _add_note(result, NO_SANDBOX_WARNING)
                    results.append(_report(result))
    finally:
        if slots is not None:
            slots.close()
    return results


def _report(result: StudentResult) -> StudentResult:
    print(_progress_line(result), flush=True)
    return result


def export_again(options: GradingOptions) -> list[StudentResult]:
    """After manual grading in formgrader: the last run's statuses, today's gradebook scores, new reports."""
    check_options(options)
    run_file = options.report_dir / "grading-run.json"
    if not run_file.is_file():
        raise GradingError(f"{run_file}: no earlier grading run to export again; run without --export-only")
    run = json.loads(run_file.read_text(encoding="utf-8"))
    results = [StudentResult(**row) for row in run["students"]]
    for result in results:
        if result.status == "ok":
            read_scores(options, result)
    with class_lock(options):
        writer = FeedbackWriter(options)
        for result in results:
            writer.write(result)
        write_reports(options, results, [tuple(task) for task in run["tasks"]], run.get("sandbox", True))
    return results


def write_reports(
    options: GradingOptions, results: list[StudentResult], tasks, sandboxed: bool | None = None
) -> None:
    sandboxed = options.sandbox if sandboxed is None else sandboxed
    warning = "" if sandboxed else NO_SANDBOX_WARNING
    grading_report.write_grades_csv(options.report_dir / "grades.csv", results, tasks, write_atomic)
    grading_report.write_summary(
        options.report_dir, options.assignment, results, tasks, STATUSES, warning, write_atomic
    )
    run = {
        "assignment": options.assignment,
        "sandbox": sandboxed,
        "tasks": tasks,
        "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "students": [asdict(result) for result in results],
    }
    write_atomic(options.report_dir / "grading-run.json", json.dumps(run, indent=1) + "\n")


def _progress_line(result: StudentResult) -> str:
    shown = intake.display_name(result.student_id)
    line = f"{shown}: {result.status} {result.score:g}/{result.max_score:g} ({result.seconds:.1f} s)"
    return line + (f" - {result.full_reason}" if result.full_reason else "")
