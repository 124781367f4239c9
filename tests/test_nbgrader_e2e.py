"""The whole chain through real nbgrader, in a temporary copy of the course.

Release from solutions/, submit a perfect and a blank notebook per module,
autograde, export grades, generate feedback.
"""

import csv

import nbformat
import pytest
from notebook_helpers import read

from mlai_course.authoring import assignment_names, run_tool
from mlai_course.submissions import solved_copy


def nbgrader(course_root, *args):
    return run_tool(["nbgrader", *args], cwd=course_root / "grading")


def points_of(notebook) -> float:
    return sum(cell.metadata.get("nbgrader", {}).get("points", 0) for cell in notebook.cells)


@pytest.fixture
def graded_course(course_copy):
    """The course copy after releasing, submitting, autograding and exporting every module."""
    grading = course_copy / "grading"
    for name in assignment_names(course_copy):
        nbgrader(course_copy, "generate_assignment", name, "--force")
        source = read(course_copy / "solutions" / name / f"{name}.ipynb")
        student = read(course_copy / "notebooks" / name / f"{name}.ipynb")
        for student_id, notebook in (("perfect", solved_copy(student, source)), ("blank", student)):
            folder = grading / "submitted" / student_id / name
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / f"{name}.ipynb")
        nbgrader(course_copy, "autograde", name, "--force")
        nbgrader(course_copy, "generate_feedback", name, "--force")
    nbgrader(course_copy, "export", "--to", str(grading / "grades.csv"))
    return course_copy


def test_perfect_gets_full_marks_and_blank_gets_zero(graded_course):
    with (graded_course / "grading" / "grades.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = assignment_names(graded_course)
    assert len(rows) == 2 * len(names)
    for name in names:
        possible = points_of(read(graded_course / "solutions" / name / f"{name}.ipynb"))
        assert possible > 0
        scores = {row["student_id"]: row for row in rows if row["assignment"] == name}
        assert float(scores["perfect"]["max_score"]) == possible
        assert float(scores["perfect"]["score"]) == possible
        assert float(scores["blank"]["score"]) == 0


def test_feedback_is_written_for_every_submission(graded_course):
    for name in assignment_names(graded_course):
        for student_id in ("perfect", "blank"):
            feedback = graded_course / "grading" / "feedback" / student_id / name / f"{name}.html"
            assert feedback.is_file()
            assert "Score" in feedback.read_text(encoding="utf-8")
