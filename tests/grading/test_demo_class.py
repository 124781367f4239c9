"""Grade the demo class with `mlai-course grade`: every fault kind gets its expected status and score.

The class is built from the current release and source of the first module, so the expected scores come
from the points in the source notebook: "first" is the first graded task's points, "all" the total.
"""

import csv
import json
import re
import shutil
import zipfile

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE, grade, tree_digest
from nbgrader.api import Gradebook

from mlai_course.authoring.release import run_tool
from mlai_course.grading.demo_class import FAULT_KINDS, graded_tasks, make_demo_class
from mlai_course.grading.gradebook import course_id
from mlai_course.grading.secret_lines import (
    HIDDEN_REGION,
    course_secrets,
    hidden_test_lines,
    html_text,
    leaked_secrets,
)

ABSENT = "absent-student"

# student -> (status, which points they earn)
EXPECTED = {
    "perfect": ("ok", "all"),
    "blank": ("ok", "none"),
    "partly-right": ("ok", "first"),
    "edited-test": ("ok", "all but first"),  # the edited test cell is restored, and fails
    "deleted-test": ("ok", "all but first"),  # the deleted test cell is put back, and fails
    "python-loop": ("ok", "all but first"),  # interrupted at the cell timeout; the rest still runs
    "c-busy-loop": ("timeout", "none"),
    "kernel-crash": ("kernel_crash", "none"),
    "sys-exit": ("ok", "all but first"),  # IPython catches SystemExit; the rest still runs
    "invalid-json": ("invalid_notebook", "none"),
    "missing-notebook": ("missing_notebook", "none"),
    "huge-output": ("ok", "all"),
    "renamed-notebook": ("ok", "all"),
    "extra-files": ("ok", "all"),
    "tampered": ("tampered", "none"),  # a canary test "passed"
    "lost-metadata": ("ok", "all"),  # metadata restored by matching cells to the release
    "stderr-debug": ("ok", "all"),  # a debug line on stderr does not fail a test
    ABSENT: ("no_submission", "none"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course copy whose demo class was graded once, with short timeouts."""
    course = tmp_path_factory.mktemp("course")
    for folder in ("solutions", "notebooks", "data"):
        shutil.copytree(
            REPO_ROOT / folder, course / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    (course / "grading").mkdir()
    shutil.copy2(REPO_ROOT / "grading" / "nbgrader_config.py", course / "grading")
    class_dir = course / "grading" / "demo" / "class"
    make_demo_class(course, class_dir, MODULE)
    run_tool(
        ["nbgrader", "db", "student", "add", ABSENT, f"--CourseDirectory.root={class_dir}"],
        cwd=course / "grading",
    )
    before = {
        "submitted": tree_digest(class_dir / "submitted"),
        "notebooks": tree_digest(course / "notebooks"),
    }
    result = grade(course, "--class-dir", str(class_dir), "--cell-timeout", "12", "--student-timeout", "120")
    assert result.returncode == 0, result.stdout + result.stderr
    with (class_dir / "reports" / MODULE / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    return {"course": course, "class": class_dir, "rows": rows, "before": before, "output": result.stdout}


@pytest.fixture(scope="module")
def points():
    tasks = graded_tasks(nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4))
    total = sum(points for _, points in tasks)
    first = tasks[0][1]
    return {"all": total, "none": 0.0, "first": first, "all but first": total - first, "tasks": tasks}


def test_every_student_is_in_the_csv_once(graded):
    assert sorted(graded["rows"]) == sorted(EXPECTED)
    assert sorted(EXPECTED) == sorted([kind.student_id for kind in FAULT_KINDS] + [ABSENT])


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_student_gets_expected_status_and_score(graded, points, student):
    status, earned = EXPECTED[student]
    row = graded["rows"][student]
    assert (row["status"], float(row["score"])) == (status, points[earned]), row
    assert float(row["max_score"]) == points["all"]
    if status != "ok":
        assert row["reason"] or status == "no_submission", "an error status needs a reason"


def test_task_columns_hold_each_tasks_points(graded, points):
    (first_id, first_points), *others = points["tasks"]
    for student, (status, earned) in EXPECTED.items():
        row = graded["rows"][student]
        if status != "ok":
            assert all(row[grade_id] == "" for grade_id, _ in points["tasks"])
            continue
        assert float(row[first_id]) == (first_points if earned in ("all", "first") else 0)
        for grade_id, task_points in others:
            assert float(row[grade_id]) == (task_points if earned in ("all", "all but first") else 0)


def test_reasons_say_what_happened(graded):
    rows = graded["rows"]
    assert "not valid JSON" in rows["invalid-json"]["reason"] and "line" in rows["invalid-json"]["reason"]
    assert "README.txt" in rows["missing-notebook"]["reason"]
    assert "(1).ipynb" in rows["renamed-notebook"]["reason"]
    assert "mlai_course.py" in rows["extra-files"]["reason"]
    assert "could not be interrupted" in rows["c-busy-loop"]["reason"]
    assert "12 s limit and was interrupted" in rows["python-loop"]["reason"]
    assert "tests that must fail were reported as passed" in rows["tampered"]["reason"]
    assert "metadata restored by content" in rows["lost-metadata"]["reason"]


def test_originals_and_release_are_untouched(graded):
    assert tree_digest(graded["class"] / "submitted") == graded["before"]["submitted"]
    assert tree_digest(graded["course"] / "notebooks") == graded["before"]["notebooks"]


def test_failed_students_leave_no_grades_behind(graded):
    class_dir = graded["class"]
    with Gradebook(f"sqlite:///{class_dir / 'gradebook.db'}", course_id(graded["course"])) as gradebook:
        stored = {submission.student.id for submission in gradebook.find_assignment(MODULE).submissions}
    ok = {student for student, (status, _) in EXPECTED.items() if status == "ok"}
    assert stored == ok
    for student in set(EXPECTED) - ok:
        assert not list((class_dir / "feedback" / student).rglob("*.html")), student


def feedback_text(graded, student) -> str:
    path = graded["class"] / "feedback" / student / MODULE / f"{MODULE}.html"
    return path.read_text(encoding="utf-8")


def student_own_lines(graded, student) -> set[str]:
    """Lines of the student's own submission (they may see their own code in their feedback)."""
    folder = graded["class"] / "submitted" / student / MODULE
    notebooks = [nbformat.read(path, as_version=4) for path in folder.rglob("*.ipynb")]
    return {
        line.strip() for notebook in notebooks for cell in notebook.cells for line in cell.source.splitlines()
    }


@pytest.fixture(scope="module")
def hidden_lines():
    """The module's hidden-test lines that are secret: telling, and shown in no released text."""
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    lines = hidden_test_lines(source) & course_secrets(REPO_ROOT)
    assert len(lines) >= 5
    return lines


def test_feedback_shows_score_and_visible_tests_but_no_hidden_test(graded, points, hidden_lines):
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    visible = {
        line.strip()
        for cell in source.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
        for line in HIDDEN_REGION.sub("", cell.source).splitlines()
        if line.strip().startswith(("assert", "expect_"))
    }
    assert visible
    for student, (status, earned) in EXPECTED.items():
        if status != "ok":
            continue
        text = html_text(feedback_text(graded, student))
        own = {line for line in hidden_lines if line in student_own_lines(graded, student)}
        leaked = [line for line in hidden_lines - own if line in text]
        assert leaked == [], f"{student}'s feedback shows hidden tests: {leaked}"
        assert f"Score: {points[earned]:.1f} / {points['all']:.1f}" in text, student
        for line in visible:
            assert line in text, f"{student}'s feedback lacks the visible test {line!r}"


def test_plain_nbgrader_feedback_would_leak_hidden_tests(graded, hidden_lines):
    """The control for the test above: nbgrader's own feedback of the same notebook shows hidden tests."""
    course, class_dir = graded["course"], graded["class"]
    run_tool(
        [
            "nbgrader",
            "generate_feedback",
            MODULE,
            "--student",
            "deleted-test",
            "--force",
            f"--CourseDirectory.root={class_dir}",
            f"--CourseDirectory.source_directory={course / 'solutions'}",
            "--CourseDirectory.feedback_directory=plain-feedback",
        ],
        cwd=course / "grading",
    )
    plain = (class_dir / "plain-feedback" / "deleted-test" / MODULE / f"{MODULE}.html").read_text(
        encoding="utf-8"
    )
    assert leaked_secrets(plain, hidden_lines) == sorted(hidden_lines)


def test_huge_output_is_cut_in_feedback(graded):
    html = feedback_text(graded, "huge-output")
    assert len(html) < 1_000_000
    assert "output cut:" in html_text(html)


def test_summary_markdown_agrees_with_the_csv(graded, points):
    rows = list(graded["rows"].values())
    report = graded["class"] / "reports" / MODULE
    markdown = (report / "summary.md").read_text(encoding="utf-8")
    for status in {row["status"] for row in rows}:
        count = sum(1 for row in rows if row["status"] == status)
        assert re.search(rf"^\| {status} \| {count} \|", markdown, re.M), status
    scores = [float(row["score"]) for row in rows]
    mean = f"{round(sum(scores) / len(scores), 2):g}"
    assert re.search(rf"^\| all \| {len(rows)} \| {re.escape(mean)} \|", markdown, re.M)
    ok_rows = [row for row in rows if row["status"] == "ok"]
    shares = {}
    for grade_id, task_points in points["tasks"]:
        earned = [float(row[grade_id]) for row in ok_rows]
        mean_points = f"{round(sum(earned) / len(earned), 2):g}"
        full = sum(1 for value in earned if value >= task_points)
        counts = rf"{full} of {len(ok_rows)}"
        row = rf"^\| {grade_id} \| {task_points:g} \| {re.escape(mean_points)} \| \d+% \| {counts} \|"
        assert re.search(row, markdown, re.M), grade_id
        shares[grade_id] = sum(earned) / len(earned) / task_points
    hardest = min(shares, key=shares.get)
    assert re.search(rf"^1\. {hardest}:", markdown, re.M)
    for row in rows:
        if row["status"] != "ok":
            assert f"| {row['student_id']} | {row['status']} |" in markdown


def test_summary_png_is_a_picture(graded):
    png = (graded["class"] / "reports" / MODULE / "summary.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_export_only_picks_up_a_manual_grade(graded, points):
    """Formgrader stores a manual score in the gradebook; --export-only rebuilds the CSV with it."""
    course, class_dir = graded["course"], graded["class"]
    last_id, last_points = points["tasks"][-1]
    with Gradebook(f"sqlite:///{class_dir / 'gradebook.db'}", course_id(course)) as gradebook:
        stored = gradebook.find_grade(last_id, MODULE, MODULE, "partly-right")
        stored.manual_score = last_points
        gradebook.db.commit()
    result = grade(course, "--class-dir", str(class_dir), "--export-only")
    assert result.returncode == 0, result.stdout + result.stderr
    with (class_dir / "reports" / MODULE / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["partly-right"]["score"]) == points["first"] + last_points
    assert rows["kernel-crash"]["status"] == "kernel_crash"
    assert f"Score: {points['first'] + last_points:.1f}" in html_text(feedback_text(graded, "partly-right"))


# ---------------------------------------------------------------- the demo class generator on its own


@pytest.fixture(scope="module")
def demo_class(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    make_demo_class(REPO_ROOT, out, MODULE)
    return out


def test_demo_class_has_a_folder_per_fault_kind(demo_class):
    folders = sorted(path.name for path in (demo_class / "submitted").iterdir())
    assert folders == sorted(kind.student_id for kind in FAULT_KINDS)
    assert len(FAULT_KINDS) >= 17


def test_demo_class_zip_holds_every_file_under_lms_names(demo_class):
    with zipfile.ZipFile(demo_class / "lms-export.zip") as archive:
        names = archive.namelist()
        for kind in FAULT_KINDS:
            folder = demo_class / "submitted" / kind.student_id / MODULE
            for path in folder.iterdir():
                matching = [
                    n for n in names if n.startswith(f"{kind.student_id}_") and n.endswith(f"_{path.name}")
                ]
                assert len(matching) == 1, (kind.student_id, path.name)
                assert archive.read(matching[0]) == path.read_bytes()


def test_demo_class_faults_are_real(demo_class):
    folder = demo_class / "submitted"
    with pytest.raises(json.JSONDecodeError):
        json.loads((folder / "invalid-json" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8"))
    assert not list((folder / "missing-notebook" / MODULE).glob("*.ipynb"))
    huge = (folder / "huge-output" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    assert max(len(line) for line in huge.splitlines()) > 5_000_000
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    deleted = nbformat.read(folder / "deleted-test" / MODULE / f"{MODULE}.ipynb", as_version=4)
    assert len(graded_tasks(deleted)) == len(graded_tasks(source)) - 1
    c_loop = (folder / "c-busy-loop" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    assert "itertools.repeat" in c_loop
