"""What one grading run grades and with which limits; checked before anything is touched.

One grader at a time per class folder (class_lock): a second one stops with a clear message. With `scheduler`
(a Dask scheduler's address) the students are graded by that cluster's workers instead of this machine.
"""

import contextlib
import fcntl
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mlai_course.grading.collect import DEFAULT_LMS_REGEX
from mlai_course.grading.results import GradingError

SCHEDULER_ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9a-fA-F:.]+\]|[^\s/:\[\]]+):\d{1,5}", re.ASCII)


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
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask scheduler: grade on its workers

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.class_dir / 'gradebook.db'}"

    @property
    def report_dir(self) -> Path:
        return self.class_dir / "reports" / self.assignment

    @property
    def source_notebook(self) -> Path:
        return self.course_root / "solutions" / self.assignment / f"{self.assignment}.ipynb"

    @property
    def data_dir(self) -> Path:
        return self.course_root / "data"

    def autograded_folder(self, student: str) -> Path:
        return self.class_dir / "autograded" / student / self.assignment

    def feedback_path(self, student: str) -> Path:
        return self.class_dir / "feedback" / student / self.assignment / f"{self.assignment}.html"


def check_options(options: GradingOptions) -> None:
    """Raise GradingError naming the first option that cannot work."""
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
    if options.scheduler is not None:
        if not SCHEDULER_ADDRESS.fullmatch(options.scheduler):
            raise GradingError(
                f"--scheduler {options.scheduler!r}: expected a Dask scheduler's address, tcp://HOST:PORT "
                "(or tls://HOST:PORT)"
            )
        if not options.sandbox:
            raise GradingError("--no-sandbox cannot be used with --scheduler: workers always sandbox")
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
