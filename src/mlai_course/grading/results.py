"""What grading says: of each student, a status from STATUSES, a score and a reason (one row of grades.csv);
of a class that cannot be graded at all, a GradingError."""

from dataclasses import dataclass, field


class GradingError(RuntimeError):
    """The class could not be graded at all (bad options, no submissions, broken LMS zip, no sandbox)."""


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
    "worker_crash": "on a cluster, the worker grading it died on each of a few tries (e.g. out of memory)",
    "autograde_error": "the notebook could not be graded for another reason (quoted in the reason)",
}
NO_SANDBOX_WARNING = "GRADED WITHOUT THE SANDBOX (--no-sandbox): student code ran with the grader's rights"


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
    worker: str = ""  # on a cluster, the Dask worker that graded the student

    @property
    def full_reason(self) -> str:
        """The reason column: what grading noted, manual grading still to do, any problem with feedback."""
        manual = "needs manual grading in formgrader" if self.needs_manual_grading else ""
        return "; ".join(part for part in (self.reason, manual, self.feedback_problem) if part)

    def add_note(self, note: str) -> None:
        """Add a note to the reason column."""
        self.reason = "; ".join(part for part in (self.reason, note) if part)
