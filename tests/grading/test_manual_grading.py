"""Manual grading: a free-text answer is flagged after autograding, and its points reach the CSV and the
feedback after the instructor grades it (as formgrader does) and runs `mlai-course grade --export-only`;
a later broken resubmission never throws the manual grade away.

The pilot module has no free-text answer, so this test adds one to a copy of the course and releases it.
"""

import csv
import subprocess
import sys

import nbformat
from nbgrader.api import Gradebook

from mlai_course.authoring.release import assignment_names, release
from mlai_course.grading.demo_class import graded_tasks, solved_copy
from mlai_course.grading.gradebook import course_id
from mlai_course.grading.secret_lines import html_text

ANSWER_ID = "explain_the_difference"
ANSWER_POINTS = 2.0


def add_free_text_answer(course, module):
    path = course / "solutions" / module / f"{module}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_markdown_cell("The ML engineer trains models; the AI engineer uses them.")
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": True,
        "locked": False,
        "task": False,
        "points": ANSWER_POINTS,
        "grade_id": ANSWER_ID,
        "schema_version": 3,
    }
    notebook.cells.append(cell)
    nbformat.write(notebook, path)


def grade(course, class_dir, module, *args):
    return subprocess.run(
        [sys.executable, "-m", "mlai_course.cli", "grade", module, "--course-root", str(course)]
        + ["--class-dir", str(class_dir), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def read_row(class_dir, module, student):
    with (class_dir / "reports" / module / "grades.csv").open(encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}[student]


def test_manual_grade_reaches_csv_and_feedback(course_copy, tmp_path):
    module = assignment_names(course_copy)[0]
    add_free_text_answer(course_copy, module)
    release(course_copy)
    source = nbformat.read(course_copy / "solutions" / module / f"{module}.ipynb", as_version=4)
    student = nbformat.read(course_copy / "notebooks" / module / f"{module}.ipynb", as_version=4)
    class_dir = tmp_path / "class"
    for name in ("ada", "bob"):
        folder = class_dir / "submitted" / name / module
        folder.mkdir(parents=True)
        nbformat.write(solved_copy(student, source), folder / f"{module}.ipynb")
    auto_points = sum(points for _, points in graded_tasks(source))

    result = grade(course_copy, class_dir, module, "--cell-timeout", "60")
    assert result.returncode == 0, result.stdout + result.stderr
    row = read_row(class_dir, module, "ada")
    assert row["status"] == "ok"
    assert float(row["score"]) == auto_points
    assert float(row["max_score"]) == auto_points + ANSWER_POINTS
    assert "needs manual grading" in row["reason"]

    # what formgrader's "save" does for a manually graded answer
    with Gradebook(f"sqlite:///{class_dir / 'gradebook.db'}", course_id(course_copy)) as gradebook:
        answer = gradebook.find_grade(ANSWER_ID, module, module, "ada")
        answer.manual_score = ANSWER_POINTS
        answer.needs_manual_grade = False
        gradebook.db.commit()

    result = grade(course_copy, class_dir, module, "--export-only")
    assert result.returncode == 0, result.stdout + result.stderr
    row = read_row(class_dir, module, "ada")
    assert float(row["score"]) == auto_points + ANSWER_POINTS
    assert float(row[ANSWER_ID]) == ANSWER_POINTS
    assert "needs manual grading" not in row["reason"]
    page = html_text((class_dir / "feedback" / "ada" / module / f"{module}.html").read_text(encoding="utf-8"))
    total = auto_points + ANSWER_POINTS
    assert f"Score: {total:.1f} / {total:.1f}" in page

    # a broken resubmission: ada's manual grade stays in the gradebook, bob's stale autograde is dropped
    for name in ("ada", "bob"):
        (class_dir / "submitted" / name / module / f"{module}.ipynb").write_text("{", encoding="utf-8")
    result = grade(course_copy, class_dir, module, "--cell-timeout", "60")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("ada", "bob"):
        assert read_row(class_dir, module, name)["status"] == "invalid_notebook"
        assert not (class_dir / "feedback" / name / module).exists()
    assert "earlier grades" in read_row(class_dir, module, "ada")["reason"]
    with Gradebook(f"sqlite:///{class_dir / 'gradebook.db'}", course_id(course_copy)) as gradebook:
        assert gradebook.find_grade(ANSWER_ID, module, module, "ada").manual_score == ANSWER_POINTS
        assert [s.student.id for s in gradebook.find_assignment(module).submissions] == ["ada"]
