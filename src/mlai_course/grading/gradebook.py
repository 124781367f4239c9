"""nbgrader's gradebook, written by the grader only: the module recorded once, each student's grades saved.

- `record_assignment` puts the module (cells, points, hidden tests) into the gradebook with nbgrader's own
  `generate_assignment` (the release goes to a temporary folder), then reads it back once into a `Module`;
- `save_grades` stores one student's verdict as nbgrader's SaveAutoGrades does, in one transaction;
- `forget_submission` removes a failed student's stale grades, autograded notebook and feedback, so nothing
  old is reused; grades that hold an instructor's manual scores are kept.

Student kernels never see the gradebook: these run in the grader's process only.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
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

from mlai_course.grading.collect import student_id_problem
from mlai_course.grading.files import remove_tree
from mlai_course.grading.intake import nbgrader_meta
from mlai_course.grading.options import GradingOptions
from mlai_course.grading.results import GradingError, StudentResult


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
    points: dict[str, float]  # grade cells (tests and manually graded answers), in notebook order
    solutions: set[str]
    tasks: set[str]
    kernelspec: dict | None

    @property
    def max_score(self) -> float:
        return sum(self.points.values())

    @property
    def task_columns(self) -> list[tuple[str, float]]:
        """(grade_id, points) of every graded cell, in notebook order: the grades.csv columns."""
        return list(self.points.items())

    def cell(self, name: str) -> SourceCell | None:
        return next((cell for cell in self.cells if cell.name == name), None)

    def released_source(self, name: str) -> str | None:
        """The cell's source as students got it (hidden tests removed)."""
        for cell in self.release.cells:
            if nbgrader_meta(cell).get("grade_id") == name:
                return cell.source
        return None


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
        released_ids = [nbgrader_meta(cell).get("grade_id") for cell in release.cells]
        order = {name: index for index, name in enumerate(name for name in released_ids if name)}
        points = dict(sorted(points.items(), key=lambda item: order.get(item[0], len(order))))
        solutions = {cell.name for cell in notebook.solution_cells}
        tasks = {cell.name for cell in notebook.task_cells}
        kernelspec = json.loads(notebook.kernelspec) if notebook.kernelspec else None
    return Module(options.assignment, release, cells, points, solutions, tasks, kernelspec)


def _tail(log: str, lines: int = 15) -> str:
    kept = [line for line in log.splitlines() if "SAWarning" not in line and "for notebook in" not in line]
    return "\n".join(kept[-lines:])


def roster(options: GradingOptions) -> list[str]:
    """Students in the gradebook's student list (e.g. imported with `nbgrader db student import`)."""
    with Gradebook(options.db_url, course_id(options.course_root)) as gradebook:
        return sorted(student.id for student in gradebook.students)


def save_grades(
    options: GradingOptions, module: Module, student_id: str, verdict, submitted_at: str
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
                result.add_note("the gradebook keeps this student's earlier grades: they hold manual scores")
            elif submission is not None:
                gradebook.remove_submission(options.assignment, result.student_id)
        remove_tree(options.autograded_folder(result.student_id))
        remove_tree(options.feedback_path(result.student_id).parent)
