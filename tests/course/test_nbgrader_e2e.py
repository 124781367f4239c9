"""The whole chain through real nbgrader, in a temporary copy of the course.

Release from solutions/, submit a perfect and a blank notebook per module,
autograde, export grades, generate feedback. Written answers (nbgrader's manually graded answers) wait for a
person: the perfect submission's are flagged for manual grading; a blank one's, left unchanged, get 0 from
nbgrader itself ("No response") and need no grader.
"""

import csv

import nbformat
import pytest
from conftest import copy_course
from nbgrader.api import Gradebook
from notebook_helpers import is_answer_cell, nbgrader_meta, read

from mlai_course.authoring.release import assignment_names, run_tool
from mlai_course.grading.demo_class import solved_copy
from mlai_course.grading.gradebook import course_id


def nbgrader(course_root, *args):
    return run_tool(["nbgrader", *args], cwd=course_root / "grading")


def points_of(notebook) -> float:
    return sum(cell.metadata.get("nbgrader", {}).get("points", 0) for cell in notebook.cells)


def written_answers(notebook) -> dict[str, float]:
    """grade_id -> points of each manually graded answer (a graded answer cell)."""
    return {
        nbgrader_meta(cell)["grade_id"]: nbgrader_meta(cell)["points"]
        for cell in notebook.cells
        if is_answer_cell(cell) and nbgrader_meta(cell).get("grade")
    }


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course copy after releasing, submitting, autograding and exporting every module (once per file)."""
    course_copy = copy_course(tmp_path_factory.mktemp("e2e") / "course")
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
        source = read(graded_course / "solutions" / name / f"{name}.ipynb")
        possible = points_of(source)
        autograded = possible - sum(written_answers(source).values())
        assert autograded > 0
        scores = {row["student_id"]: row for row in rows if row["assignment"] == name}
        assert float(scores["perfect"]["max_score"]) == possible
        assert float(scores["perfect"]["score"]) == autograded, "full marks for every autograded task"
        assert float(scores["blank"]["score"]) == 0


def test_written_answers_need_manual_grading(graded_course):
    names = assignment_names(graded_course)
    answers = {
        name: written_answers(read(graded_course / "solutions" / name / f"{name}.ipynb")) for name in names
    }
    assert any(answers.values()), "at least one module has a manually graded answer"
    database = f"sqlite:///{graded_course / 'grading' / 'gradebook.db'}"
    with Gradebook(database, course_id(graded_course)) as gradebook:
        for name in names:
            perfect = gradebook.find_submission(name, "perfect")
            blank = gradebook.find_submission(name, "blank")
            assert perfect.needs_manual_grade == bool(answers[name]), name
            assert not blank.needs_manual_grade, f"{name}: an unchanged answer is scored 0 without a grader"
            for grade_id in answers[name]:
                written = gradebook.find_grade(grade_id, name, name, "perfect")
                assert written.needs_manual_grade and written.score == 0, (
                    f"{name}: {grade_id} waits for a person"
                )
                unanswered = gradebook.find_grade(grade_id, name, name, "blank")
                assert unanswered.auto_score == 0 and not unanswered.needs_manual_grade


def test_feedback_is_written_for_every_submission(graded_course):
    for name in assignment_names(graded_course):
        for student_id in ("perfect", "blank"):
            feedback = graded_course / "grading" / "feedback" / student_id / name / f"{name}.html"
            assert feedback.is_file()
            assert "Score" in feedback.read_text(encoding="utf-8")
