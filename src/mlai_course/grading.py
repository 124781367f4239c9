"""`mlai-course grade`: from a class's submissions to grades, scrubbed feedback and a summary.

The command wraps nbgrader and grades each student on their own, so that one bad submission never stops or
corrupts the class. For one module (an nbgrader *assignment*) in a class folder (an nbgrader course root,
by default grading/):

1. record the module in the gradebook: `nbgrader generate_assignment --force`, with the release written to a
   temporary folder (the committed notebooks/ folder is never written);
2. with --lms-zip, unpack the LMS download into submitted/ with `nbgrader zip_collect` (see lms.py);
3. for each student folder submitted/<student>/<module>/ (never changed), find the notebook, check it is a
   readable notebook, and copy it alone to work/submitted/<student>/<module>/<module>.ipynb;
4. run `nbgrader autograde <module> --student <student>` on that copy in its own process, with a per-cell
   timeout and a per-student wall-clock limit; past the limit the process and every process under it
   (including the kernel, which runs in its own session) are killed;
5. read each student's score and per-task points from the gradebook, or give the student an error status;
6. write feedback HTML from scrubbed copies of the autograded notebooks (feedback.py), and the reports
   (grading_report.py): reports/<module>/grades.csv, summary.md and summary.png.

Every student ends up in grades.csv with one of STATUSES.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from traitlets.config.loader import PyFileConfigLoader

from mlai_course import feedback, grading_report
from mlai_course.authoring import tool_environment
from mlai_course.lms import DEFAULT_LMS_REGEX
from mlai_course.paths import DATA_ENV_VAR

# Status -> what it means. Every status but "ok" scores 0 points; the reason column says what happened.
STATUSES = {
    "ok": "autograded; the score comes from the gradebook (manual grades included once given)",
    "no_submission": "in the gradebook's student list, but handed nothing in for this module",
    "missing_notebook": "handed in files, but no notebook we could tell was this module's",
    "invalid_notebook": "the notebook file cannot be read: not JSON, not a notebook, or too large",
    "timeout": "a cell could not be interrupted at the per-cell limit, or the student took too long in all",
    "kernel_crash": "the Python kernel died while running the notebook (os._exit, a crash in C, no memory)",
    "autograde_error": "nbgrader could not grade the notebook for another reason (quoted in the reason)",
}
MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024
STAGED_DIRECTORY = "work/submitted"
FEEDBACK_INPUT_DIRECTORY = "work/feedback-input"


class GradingError(RuntimeError):
    """The class could not be graded at all (bad options, no submissions, broken LMS zip)."""


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

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.class_dir / 'gradebook.db'}"

    @property
    def report_dir(self) -> Path:
        return self.class_dir / "reports" / self.assignment

    @property
    def source_notebook(self) -> Path:
        return self.course_root / "solutions" / self.assignment / f"{self.assignment}.ipynb"


# ---------------------------------------------------------------- processes


def descendants(pid: int) -> list[int]:
    """The ids of every process below pid (children, grandchildren, ...), read from `ps`."""
    try:
        listing = subprocess.run(["ps", "-A", "-o", "pid=", "-o", "ppid="], capture_output=True, text=True)
    except OSError:
        return []
    children: dict[int, list[int]] = {}
    for line in listing.stdout.splitlines():
        child, parent = (int(number) for number in line.split())
        children.setdefault(parent, []).append(child)
    found, waiting = [], [pid]
    while waiting:
        for child in children.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


def kill_process_tree(process: subprocess.Popen) -> None:
    """Kill a process and everything it started, even processes in another session (Jupyter kernels)."""
    if os.name != "posix":
        process.kill()
        return
    tree = [process.pid, *descendants(process.pid)]
    for pid in tree:  # freeze first, so nothing starts new processes while we kill
        _signal(pid, signal.SIGSTOP)
    for pid in [process.pid, *descendants(process.pid)]:
        _signal(pid, signal.SIGKILL)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def run_with_deadline(
    command: list[str], cwd: Path, log_path: Path, deadline: float | None, env: dict | None = None
) -> int | None:
    """Run a command with output to log_path; return its exit code, or None if it passed the deadline (s)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            return process.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            kill_process_tree(process)
            process.wait()
            return None


# ---------------------------------------------------------------- nbgrader


def course_id(course_root: Path) -> str:
    """The course id set in grading/nbgrader_config.py (the gradebook files grades under it)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root / "grading")).load_config()
    return config.CourseDirectory.get("course_id", "default_course")


def configured_cell_timeout(course_root: Path) -> int:
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root / "grading")).load_config()
    return int(config.Execute.get("timeout", 30))


def nbgrader_environment(options: GradingOptions) -> dict:
    """nbgrader's environment: this Python's bin first on PATH; notebooks load data from this course."""
    return {**tool_environment(), DATA_ENV_VAR: str(options.course_root / "data")}


def nbgrader_command(options: GradingOptions, release_dir: Path, *args: str) -> list[str]:
    """A `python -m nbgrader ...` command on the class folder, reading the course's nbgrader_config.py."""
    return [
        sys.executable,
        "-m",
        "nbgrader",
        *args,
        f"--CourseDirectory.root={options.class_dir}",
        f"--CourseDirectory.source_directory={options.course_root / 'solutions'}",
        f"--CourseDirectory.release_directory={release_dir}",
    ]


def run_nbgrader(options: GradingOptions, release_dir: Path, log_name: str, *args: str) -> tuple[int, str]:
    """Run an nbgrader step for the whole class (no student code runs); return its exit code and log."""
    log_path = options.class_dir / "work" / "logs" / options.assignment / f"{log_name}.log"
    code = run_with_deadline(
        nbgrader_command(options, release_dir, *args),
        options.course_root / "grading",
        log_path,
        None,
        nbgrader_environment(options),
    )
    return code, log_path.read_text(encoding="utf-8", errors="replace")


def record_assignment(options: GradingOptions, release_dir: Path) -> None:
    """Put the module (its cells, points and hidden tests) into the class's gradebook."""
    code, log = run_nbgrader(
        options, release_dir, "generate_assignment", "generate_assignment", options.assignment, "--force"
    )
    if code != 0:
        raise GradingError(f"nbgrader generate_assignment {options.assignment} failed:\n{_tail(log)}")


def collect_lms_zip(options: GradingOptions, release_dir: Path) -> None:
    """Unpack an LMS download into submitted/<student>/<module>/ with nbgrader zip_collect."""
    archive = options.lms_zip
    archive_dir = options.class_dir / "downloaded" / options.assignment / "archive"
    if archive_dir.exists():
        shutil.rmtree(archive_dir)
    archive_dir.mkdir(parents=True)
    shutil.copy2(archive, archive_dir / archive.name)
    code, log = run_nbgrader(
        options,
        release_dir,
        "zip_collect",
        "zip_collect",
        options.assignment,
        "--force",
        "--ZipCollectApp.collector_plugin=mlai_course.lms.AnyFileCollector",
        f"--FileNameCollectorPlugin.named_regexp={options.lms_regex}",
    )
    if code != 0:
        raise GradingError(f"nbgrader zip_collect could not read {archive}:\n{_tail(log)}")
    skipped = re.findall(r"Skipped submission with no match information provided: (.*)", log)
    for path in skipped:
        print(f"warning: {Path(path).name} in {archive.name} does not match --lms-regex; skipped")


def _tail(log: str, lines: int = 15) -> str:
    """The last lines of an nbgrader log, without SQLAlchemy's warnings."""
    kept = [line for line in log.splitlines() if "SAWarning" not in line and "for notebook in" not in line]
    return "\n".join(kept[-lines:])


# ---------------------------------------------------------------- students


def submitted_students(options: GradingOptions) -> list[str]:
    """Students with a folder for this module under submitted/."""
    submitted = options.class_dir / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(folder.name for folder in submitted.iterdir() if (folder / options.assignment).is_dir())


def roster(options: GradingOptions) -> list[str]:
    """Students in the gradebook's student list (e.g. imported with `nbgrader db student import`)."""
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        return sorted(student.id for student in gradebook.students)


def find_notebook(folder: Path, assignment: str) -> tuple[Path | None, str]:
    """The notebook to grade in a submission folder, and a note when it is not simply <assignment>.ipynb."""
    expected = f"{assignment}.ipynb"
    notebooks = sorted(
        (path for path in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts),
        key=lambda path: (len(path.relative_to(folder).parts), str(path)),
    )
    exact = [path for path in notebooks if path.name == expected]
    if exact:
        note = "" if exact[0].parent == folder else f"graded {exact[0].relative_to(folder)}"
        return exact[0], note
    named = [path for path in notebooks if path.stem.startswith(assignment)]
    for candidates in (named, notebooks):
        if len(candidates) == 1:
            return candidates[0], f"graded '{candidates[0].relative_to(folder)}' as {expected}"
    files = sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    if notebooks:
        return None, f"no {expected}, and {len(notebooks)} other notebooks: cannot tell which to grade"
    return None, f"no notebook in the submission; found: {_names(files) or 'nothing'}"


def _names(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def check_notebook(path: Path) -> str:
    """Why a notebook file cannot be graded, or "" if it can be read."""
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return f"{path.name} is {size / 1e6:.0f} MB; the limit is {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB"
    try:
        content = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        return f"{path.name} is not UTF-8 text ({error.reason} at byte {error.start})"
    except json.JSONDecodeError as error:
        return f"{path.name} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list):
        return f"{path.name} is JSON but not a notebook (no list of cells)"
    try:
        nbformat.reads(json.dumps(content), as_version=4)
    except Exception as error:  # nbformat raises many kinds for malformed notebooks
        return f"{path.name} is not a readable notebook: {type(error).__name__}: {error}"
    return ""


def stage_submission(options: GradingOptions, student: str) -> StudentResult | str:
    """Copy the notebook to grade into work/submitted/; return a note, or an error result for the student."""
    original = options.class_dir / "submitted" / student / options.assignment
    staged = options.class_dir / STAGED_DIRECTORY / student / options.assignment
    if staged.exists():
        shutil.rmtree(staged)
    notebook, note = find_notebook(original, options.assignment)
    if notebook is None:
        return StudentResult(student, "missing_notebook", reason=note)
    problem = check_notebook(notebook)
    if problem:
        return StudentResult(student, "invalid_notebook", reason=problem)
    staged.mkdir(parents=True)
    shutil.copyfile(notebook, staged / f"{options.assignment}.ipynb")
    if (original / "timestamp.txt").is_file():
        shutil.copyfile(original / "timestamp.txt", staged / "timestamp.txt")
    ignored = sorted(
        str(path.relative_to(original))
        for path in original.rglob("*")
        if path.is_file() and path != notebook and path.name != "timestamp.txt"
    )
    notes = [note] if note else []
    if ignored:
        notes.append(f"ignored other files: {_names(ignored)}")
    return "; ".join(notes)


def failure_from_log(log: str, cell_timeout: int) -> tuple[str, str]:
    """The status and reason for a student whose autograde process failed, from nbgrader's log."""
    if "DeadKernelError" in log:
        return "kernel_crash", "the Python kernel died while running the notebook"
    if "CellTimeoutError" in log or "UnresponsiveKernelError" in log:
        preview = re.search(r"Here is a preview of the cell contents:\s*\n\s*-+\s*\n\s*(.+)", log)
        where = f" (cell starting `{preview.group(1).strip()[:60]}`)" if preview else ""
        return "timeout", f"a cell ran past the {cell_timeout} s limit and could not be interrupted{where}"
    errors = re.findall(r"^\s*((?:[\w.]+\.)?\w*(?:Error|Exception)\b:.*)$", log, re.M)
    if errors:
        return "autograde_error", errors[-1].strip()[:300]
    messages = [
        line.split("ERROR]", 1)[1].strip()
        for line in log.splitlines()
        if "| ERROR]" in line and "Please see" not in line and "There was an error processing" not in line
    ]
    return "autograde_error", (messages[-1] if messages else "nbgrader autograde failed; see its log")[:300]


def task_names(source_notebook) -> list[tuple[str, float]]:
    """(grade_id, points) of every graded cell of a source notebook, in order: the module's tasks."""
    return [
        (cell.metadata["nbgrader"]["grade_id"], float(cell.metadata["nbgrader"].get("points", 0)))
        for cell in source_notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
    ]


def read_scores(options: GradingOptions, result: StudentResult) -> None:
    """Fill in a graded student's score and per-task points from the gradebook."""
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        submission = gradebook.find_submission(options.assignment, result.student_id)
        result.score = float(submission.score)
        result.max_score = float(submission.max_score)
        result.needs_manual_grading = bool(submission.needs_manual_grade)
        result.task_points = {
            grade.name: float(grade.score) for notebook in submission.notebooks for grade in notebook.grades
        }


def assignment_max_score(options: GradingOptions) -> float:
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        return float(gradebook.find_assignment(options.assignment).max_score)


def forget_submission(options: GradingOptions, result: StudentResult) -> None:
    """Remove a failed student's stale grades, autograded notebook and feedback, so nothing old is reused.

    Grades from an earlier run that hold manual scores stay in the gradebook (an instructor's work is never
    thrown away); the reason says so.
    """
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        try:
            submission = gradebook.find_submission(options.assignment, result.student_id)
        except MissingEntry:
            submission = None
        grades = [
            grade for notebook in (submission.notebooks if submission else []) for grade in notebook.grades
        ]
        if any(grade.manual_score is not None for grade in grades):
            _add_note(result, "the gradebook keeps this student's earlier grades: they hold manual scores")
        elif submission is not None:
            gradebook.remove_submission(options.assignment, result.student_id)
    student = result.student_id
    for step in ("autograded", "feedback", FEEDBACK_INPUT_DIRECTORY):
        folder = options.class_dir / step / student / options.assignment
        if folder.exists():
            shutil.rmtree(folder)


def timeout_note(options: GradingOptions, student: str, cell_timeout: int) -> str:
    """A note when a cell of a graded notebook was stopped at the per-cell limit (its task then fails)."""
    path = options.class_dir / "autograded" / student / options.assignment / f"{options.assignment}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "CellTimeoutError":
                return f"a cell ran past the {cell_timeout} s limit and was interrupted"
    return ""


def autograde_student(
    options: GradingOptions, release_dir: Path, student: str, cell_timeout: int
) -> StudentResult:
    """Stage and autograde one student in a process of its own; never raises for a bad submission."""
    started = time.monotonic()
    staged = stage_submission(options, student)
    if isinstance(staged, StudentResult):
        forget_submission(options, staged)
        staged.seconds = time.monotonic() - started
        return staged
    args = ["autograde", options.assignment, "--student", student, "--force"]
    args += [f"--CourseDirectory.submitted_directory={STAGED_DIRECTORY}", f"--Execute.timeout={cell_timeout}"]
    log_path = options.class_dir / "work" / "logs" / options.assignment / f"{student}.autograde.log"
    code = run_with_deadline(
        nbgrader_command(options, release_dir, *args),
        options.course_root / "grading",
        log_path,
        options.student_timeout,
        nbgrader_environment(options),
    )
    log = log_path.read_text(encoding="utf-8", errors="replace")
    result = StudentResult(student, "ok", reason=staged)
    if code is None:
        result.status = "timeout"
        result.reason = f"grading passed the {options.student_timeout:g} s per-student limit and was stopped"
    elif code != 0:
        result.status, result.reason = failure_from_log(log, cell_timeout)
    else:
        try:
            read_scores(options, result)
            note = timeout_note(options, student, cell_timeout)
            if note:
                _add_note(result, note)
        except (MissingEntry, OSError) as error:
            result.status, result.reason = "autograde_error", f"nbgrader stored no grades: {error}"
    if result.status != "ok":
        forget_submission(options, result)
    result.seconds = time.monotonic() - started
    return result


# ---------------------------------------------------------------- feedback


def write_feedback(options: GradingOptions, release_dir: Path, results: list[StudentResult]) -> None:
    """Feedback HTML for every graded student, from scrubbed copies of their autograded notebooks."""
    source = nbformat.read(options.source_notebook, as_version=4)
    hidden = feedback.hidden_test_lines(source)
    feedback_input = options.class_dir / FEEDBACK_INPUT_DIRECTORY
    name = f"{options.assignment}.ipynb"
    graded = [result for result in results if result.status == "ok"]
    for result in results:
        result.feedback_problem = ""
        for folder in (feedback_input, options.class_dir / "feedback"):
            stale = folder / result.student_id / options.assignment
            if stale.exists():
                shutil.rmtree(stale)
    secrets = {}
    for result in list(graded):
        autograded_path = options.class_dir / "autograded" / result.student_id / options.assignment / name
        try:
            autograded = nbformat.read(autograded_path, as_version=4)
        except (OSError, ValueError) as error:
            result.feedback_problem = f"no feedback: cannot read the autograded notebook ({error})"
            graded.remove(result)
            continue
        secrets[result.student_id] = feedback.secret_hidden_lines(source, autograded)
        scrubbed = feedback.scrub_notebook(autograded, hidden)
        target = feedback_input / result.student_id / options.assignment / name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(scrubbed, target)
    if not graded:
        return
    run_nbgrader(
        options,
        release_dir,
        "generate_feedback",
        "generate_feedback",
        options.assignment,
        "--force",
        f"--CourseDirectory.autograded_directory={FEEDBACK_INPUT_DIRECTORY}",
    )
    for result in graded:
        html = feedback_path(options, result.student_id)
        if not html.is_file():
            result.feedback_problem = "no feedback HTML: see work/logs/ for nbgrader's error"
            continue
        leaks = feedback.leaked_lines(html.read_text(encoding="utf-8"), secrets[result.student_id])
        if leaks:
            html.unlink()
            result.feedback_problem = "feedback withheld: it would show hidden tests"


def feedback_path(options: GradingOptions, student: str) -> Path:
    return options.class_dir / "feedback" / student / options.assignment / f"{options.assignment}.html"


def _add_note(result: StudentResult, note: str) -> None:
    result.reason = "; ".join(part for part in (result.reason, note) if part)


# ---------------------------------------------------------------- the whole class


def check_options(options: GradingOptions) -> None:
    if not options.source_notebook.is_file():
        raise GradingError(
            f"{options.source_notebook}: no such module; expected solutions/<module>/<module>.ipynb"
        )
    if options.student_timeout <= 0 or (options.cell_timeout is not None and options.cell_timeout <= 0):
        raise GradingError("timeouts must be positive numbers of seconds")
    if options.lms_zip is not None:
        if not options.lms_zip.is_file():
            raise GradingError(f"{options.lms_zip}: no such file")
        if not zipfile.is_zipfile(options.lms_zip):
            raise GradingError(f"{options.lms_zip}: not a zip file")
        try:
            re.compile(options.lms_regex)
        except re.error as error:
            raise GradingError(
                f"--lms-regex {options.lms_regex!r} is not a regular expression: {error}"
            ) from None
        if not {"student_id", "file_id"} <= set(re.compile(options.lms_regex).groupindex):
            raise GradingError("--lms-regex needs the named groups (?P<student_id>...) and (?P<file_id>...)")


def grade_class(options: GradingOptions) -> list[StudentResult]:
    """Grade every student of the class for one module; write grades.csv, feedback and the summary."""
    check_options(options)
    if (
        not options.lms_zip
        and not submitted_students(options)
        and not (options.class_dir / "gradebook.db").exists()
    ):
        raise GradingError(
            f"no submissions for {options.assignment} in {options.class_dir / 'submitted'} "
            f"(expected submitted/<student>/{options.assignment}/<notebook>, or use --lms-zip)"
        )
    options.class_dir.mkdir(parents=True, exist_ok=True)
    cell_timeout = options.cell_timeout or configured_cell_timeout(options.course_root)
    with tempfile.TemporaryDirectory(prefix="mlai-release-") as release:
        release_dir = Path(release)
        record_assignment(options, release_dir)
        if options.lms_zip:
            collect_lms_zip(options, release_dir)
        students = submitted_students(options)
        absent = [student for student in roster(options) if student not in students]
        if not students and not absent:
            raise GradingError(
                f"no submissions and no students for {options.assignment} in {options.class_dir}"
            )
        max_score = assignment_max_score(options)
        results = []
        for student in students:
            result = autograde_student(options, release_dir, student, cell_timeout)
            result.max_score = max_score
            print(_progress_line(result), flush=True)
            results.append(result)
        results += [StudentResult(student, "no_submission", max_score=max_score) for student in absent]
        results.sort(key=lambda result: result.student_id)
        write_feedback(options, release_dir, results)
    write_reports(options, results)
    return results


def export_again(options: GradingOptions) -> list[StudentResult]:
    """After manual grading in formgrader: the last run's statuses, today's gradebook scores, new reports."""
    check_options(options)
    run_file = options.report_dir / "grading-run.json"
    if not run_file.is_file():
        raise GradingError(f"{run_file}: no earlier grading run to export again; run without --export-only")
    results = [StudentResult(**row) for row in json.loads(run_file.read_text(encoding="utf-8"))["students"]]
    for result in results:
        if result.status == "ok":
            read_scores(options, result)
    with tempfile.TemporaryDirectory(prefix="mlai-release-") as release:
        write_feedback(options, Path(release), results)
    write_reports(options, results)
    return results


def write_reports(options: GradingOptions, results: list[StudentResult]) -> None:
    source = nbformat.read(options.source_notebook, as_version=4)
    tasks = task_names(source)
    options.report_dir.mkdir(parents=True, exist_ok=True)
    grading_report.write_grades_csv(options.report_dir / "grades.csv", results, tasks)
    grading_report.write_summary(options.report_dir, options.assignment, results, tasks, STATUSES)
    run = {"assignment": options.assignment, "students": [asdict(result) for result in results]}
    (options.report_dir / "grading-run.json").write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")


def _progress_line(result: StudentResult) -> str:
    line = (
        f"{result.student_id}: {result.status} {result.score:g}/{result.max_score:g} ({result.seconds:.1f} s)"
    )
    return line + (f" - {result.full_reason}" if result.full_reason else "")
