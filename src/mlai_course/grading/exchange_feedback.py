"""`mlai-course release-feedback MODULE --exchange DIR`: the course's scrubbed feedback, back to the students
through nbgrader's exchange, where their Assignments tab fetches it.

`mlai-course grade` writes each student's feedback (hidden tests removed, checked for every secret line of
the course) to CLASS_DIR/feedback/<student>/<module>/<module>.html. This puts each file where nbgrader's
`fetch_feedback` looks for it: EXCHANGE/<course>/feedback/<hash>.html, the hash of the submission's secret
(submission_secret.txt, written by the student's submit and collected with it) and the notebook's name, as
nbgrader's own `release_feedback` does. Only the submitter knows the secret, so only they find the file; the
folder cannot be listed.

Before a file leaves, it is checked again, whoever wrote it (nbgrader's own `generate_feedback`, e.g. from
formgrader, writes the hidden tests in full into the same place):

- a regular file (never a link), not over the grader's size limit;
- none of the course's secret lines (hidden tests, solutions: secret_lines.leaked_secrets) and no hidden-test
  marker, in any of the encodings the grader looks through;
- feedback for the submission that was collected: the last grading run graded the submission time that
  submitted/<student>/<module>/timestamp.txt holds now (a student who handed in again after grading gets
  nothing until the class is graded again);
- the student handed in through the exchange (submission_secret.txt is there).

A file that fails is withheld, and the reason is printed; the others are released.

With `--for-nbgrader` (an exchange other than nbgrader's file exchange, e.g. ngshare on Kubernetes), the same
checks run, and nbgrader's timestamp.txt and submission_secret.txt are put beside each student's checked
files, so that `nbgrader release_feedback`, run right after, sends exactly these.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.utils import notebook_hash

from mlai_course.grading import secret_lines
from mlai_course.grading.collect import folder_timestamp
from mlai_course.grading.feedback import MAX_FEEDBACK_BYTES
from mlai_course.grading.files import write_atomic
from mlai_course.grading.intake import SubmissionProblem, display_name, read_regular_file
from mlai_course.grading.options import GradingOptions
from mlai_course.grading.report import read_run
from mlai_course.grading.results import GradingError


@dataclass
class FeedbackRelease:
    student_id: str
    released: bool
    reason: str = ""


def feedback_folder(exchange: Path, course_id: str) -> Path:
    """EXCHANGE/<course>/feedback/, made as nbgrader's release_feedback makes it (0711) if missing."""
    course = exchange / course_id
    if not course.is_dir() or course.is_symlink():
        raise GradingError(f"{course}: no such course in the exchange (release a module first)")
    folder = course / "feedback"
    if folder.is_symlink():
        raise GradingError(f"{folder}: a link, not the exchange's feedback folder")
    if not folder.exists():
        folder.mkdir(mode=0o711)
        owner = course.stat()
        if os.geteuid() == 0:
            os.chown(folder, owner.st_uid, owner.st_gid)
        folder.chmod(0o711)
    return folder


def _read_text(path: Path, limit: int, what: str) -> str:
    try:
        return read_regular_file(path, limit, what).decode("utf-8")
    except (SubmissionProblem, UnicodeDecodeError) as error:
        raise GradingError(str(error)) from None


def check_feedback(options: GradingOptions, student: str, html: str, secrets: set[str]) -> str:
    """Why this student's feedback must not be released, or ""."""
    if len(html.encode("utf-8")) > MAX_FEEDBACK_BYTES:
        return "over the feedback size limit"
    autograded = options.autograded_folder(student) / f"{options.assignment}.ipynb"
    own = set()
    if autograded.is_file() and not autograded.is_symlink():
        own = secret_lines.student_lines(nbformat.read(autograded, as_version=4))
    rebuild = f"rebuild the course's own with `mlai-course grade {options.assignment} --export-only`"
    views = secret_lines.decoded_views(html)
    if any(marker in view for view in views for marker in secret_lines.HIDDEN_MARKERS):
        return f"it shows a hidden-test region (nbgrader's own generate_feedback?); {rebuild}"
    leaks = secret_lines.leaked_secrets(html, secrets - own)
    if leaks:
        return f"it would show {len(leaks)} hidden-test or solution lines; {rebuild}"
    return ""


def release_student(
    options: GradingOptions, student: str, target: Path | None, secrets: set[str], graded_at: dict[str, str]
) -> FeedbackRelease:
    """Check one student's feedback files, all of them, then release them: into the exchange's feedback
    folder (`target`), or with `target` None beside themselves for `nbgrader release_feedback`."""
    shown = display_name(student)
    folder = options.feedback_path(student).parent
    submitted = options.class_dir / "submitted" / student / options.assignment
    try:
        secret = None
        if os.path.lexists(submitted / "submission_secret.txt"):
            secret = _read_text(submitted / "submission_secret.txt", 1024, "submission_secret.txt")
        elif target is not None:
            return FeedbackRelease(shown, False, "not handed in through the exchange: return it another way")
        collected_at, _ = folder_timestamp(submitted)
        if not collected_at or graded_at.get(student) != collected_at:
            return FeedbackRelease(
                shown, False, "the collected submission is not the one graded: run `mlai-course grade` again"
            )
        files = sorted(folder.glob("*.html"))
        if not files:
            return FeedbackRelease(shown, False, "no feedback file")
        checked = []
        for path in files:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return FeedbackRelease(shown, False, f"{path.name} is not a regular file")
            html = _read_text(path, MAX_FEEDBACK_BYTES + 1, path.name)
            problem = check_feedback(options, student, html, secrets)
            if problem:
                return FeedbackRelease(shown, False, f"withheld: {problem}")
            checked.append((path, html))
        if target is None:
            write_atomic(
                folder / "timestamp.txt", _read_text(submitted / "timestamp.txt", 200, "timestamp.txt")
            )
            if secret is not None:
                write_atomic(folder / "submission_secret.txt", secret)
        else:
            for path, html in checked:
                checksum = notebook_hash(secret=secret, notebook_id=path.stem)  # as nbgrader: the file as is
                write_atomic(target / f"{checksum}.html", html)
    except GradingError as error:
        return FeedbackRelease(shown, False, str(error))
    return FeedbackRelease(shown, True)


def release_feedback(options: GradingOptions, exchange: Path | None, course_id: str) -> list[FeedbackRelease]:
    """Release every graded student's checked feedback for the module into a file exchange; with `exchange`
    None, make it ready for `nbgrader release_feedback` instead (any exchange nbgrader is set up with, e.g.
    ngshare): nbgrader's timestamp.txt and submission_secret.txt beside each student's checked files."""
    run = read_run(options)
    graded_at = {
        result.student_id: result.submitted_at for result in run["students"] if result.status == "ok"
    }
    secrets = secret_lines.course_secrets(options.course_root)
    target = feedback_folder(exchange, course_id) if exchange is not None else None
    releases = [
        release_student(options, student, target, secrets, graded_at) for student in sorted(graded_at)
    ]
    if target is not None and os.geteuid() == 0:
        owner = target.stat()
        for path in target.iterdir():
            if path.is_file() and not path.is_symlink() and path.stat().st_uid == 0:
                os.chown(path, owner.st_uid, owner.st_gid)
    return releases
