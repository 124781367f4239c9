"""The whole chain through real nbgrader, module by module, in a temporary copy of the course.

For each module: generate the assignment (into the gradebook), submit a perfect and a blank notebook,
autograde, generate feedback, export grades with nbgrader's CSV exporter. nbgrader's own API runs each step
in this process (what its command-line apps run), so that the chain costs the notebooks' runs and not a
Python start per step. Each module's chain is its own xdist group: the modules spread over the test
processes.

Written answers (nbgrader's manually graded answers) wait for a person: the perfect submission's are flagged
for manual grading; a blank one's, left unchanged, get 0 from nbgrader itself ("No response") and need no
grader.
"""

import csv

import nbformat
import pytest
from conftest import REPO_ROOT, copy_course
from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import CsvExportPlugin
from notebook_helpers import is_answer_cell, nbgrader_meta, read
from traitlets.config.loader import PyFileConfigLoader

from mlai_course.authoring.release import assignment_names
from mlai_course.grading.demo_class import solved_copy
from mlai_course.grading.gradebook import course_id

MODULES = assignment_names(REPO_ROOT)
STUDENTS = ("perfect", "blank")


def points_of(notebook) -> float:
    return sum(cell.metadata.get("nbgrader", {}).get("points", 0) for cell in notebook.cells)


def written_answers(notebook) -> dict[str, float]:
    """grade_id -> points of each manually graded answer (a graded answer cell)."""
    return {
        nbgrader_meta(cell)["grade_id"]: nbgrader_meta(cell)["points"]
        for cell in notebook.cells
        if is_answer_cell(cell) and nbgrader_meta(cell).get("grade")
    }


def nbgrader_api(course) -> NbGraderAPI:
    """nbgrader's API on the course copy, configured by its grading/nbgrader_config.py, as the apps are."""
    grading = course / "grading"
    config = PyFileConfigLoader("nbgrader_config.py", path=str(grading)).load_config()
    config.CourseDirectory.root = str(grading)
    config.CourseDirectory.source_directory = str(course / "solutions")
    config.CourseDirectory.release_directory = str(course / "notebooks")
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def succeeded(result: dict) -> None:
    assert result["success"], result.get("error") or result.get("log")


def graded_module(course, name: str) -> dict:
    """Release, submit, autograde, give feedback and export one module; return grades.csv's rows."""
    api = nbgrader_api(course)
    succeeded(api.generate_assignment(name, force=True, create=True))
    source = read(course / "solutions" / name / f"{name}.ipynb")
    student = read(course / "notebooks" / name / f"{name}.ipynb")
    for student_id, notebook in zip(STUDENTS, (solved_copy(student, source), student), strict=True):
        folder = course / "grading" / "submitted" / student_id / name
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{name}.ipynb")
        succeeded(api.autograde(name, student_id, force=True, create=True))
        succeeded(api.generate_feedback(name, student_id, force=True))
    exported = course / "grading" / "grades.csv"
    database = f"sqlite:///{course / 'grading' / 'gradebook.db'}"
    with Gradebook(database, course_id(course)) as gradebook:
        CsvExportPlugin(to=str(exported)).export(gradebook)
    with exported.open(encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """name -> (course copy, grades.csv rows): each module's chain runs once, when a test first needs it."""
    done = {}

    def chain(name: str):
        if name not in done:
            course = copy_course(tmp_path_factory.mktemp(f"e2e-{name}") / "course")
            done[name] = course, graded_module(course, name)
        return done[name]

    return chain


@pytest.mark.parametrize("name", MODULES)
def test_perfect_gets_full_marks_and_blank_gets_zero(graded, name):
    course, rows = graded(name)
    assert sorted(rows) == sorted(STUDENTS)
    source = read(course / "solutions" / name / f"{name}.ipynb")
    possible = points_of(source)
    autograded = possible - sum(written_answers(source).values())
    assert autograded > 0
    assert float(rows["perfect"]["max_score"]) == possible
    assert float(rows["perfect"]["score"]) == autograded, "full marks for every autograded task"
    assert float(rows["blank"]["score"]) == 0


@pytest.mark.parametrize("name", MODULES)
def test_written_answers_need_manual_grading(graded, name):
    course, _ = graded(name)
    answers = written_answers(read(course / "solutions" / name / f"{name}.ipynb"))
    database = f"sqlite:///{course / 'grading' / 'gradebook.db'}"
    with Gradebook(database, course_id(course)) as gradebook:
        perfect = gradebook.find_submission(name, "perfect")
        blank = gradebook.find_submission(name, "blank")
        assert perfect.needs_manual_grade == bool(answers), name
        assert not blank.needs_manual_grade, f"{name}: an unchanged answer is scored 0 without a grader"
        for grade_id in answers:
            written = gradebook.find_grade(grade_id, name, name, "perfect")
            assert written.needs_manual_grade and written.score == 0, f"{name}: {grade_id} waits for a person"
            unanswered = gradebook.find_grade(grade_id, name, name, "blank")
            assert unanswered.auto_score == 0 and not unanswered.needs_manual_grade


def test_some_module_has_a_manually_graded_answer():
    assert any(written_answers(read(REPO_ROOT / "solutions" / n / f"{n}.ipynb")) for n in MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_feedback_is_written_for_every_submission(graded, name):
    course, _ = graded(name)
    for student_id in STUDENTS:
        feedback = course / "grading" / "feedback" / student_id / name / f"{name}.html"
        assert feedback.is_file()
        assert "Score" in feedback.read_text(encoding="utf-8")
