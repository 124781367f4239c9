"""`mlai-course grade --lms-zip`: an LMS download goes through nbgrader's zip_collect into submitted/."""

import csv
import subprocess
import sys
import zipfile

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE, grade, tree_digest

from mlai_course.demo_class import graded_tasks, make_demo_class
from mlai_course.grading import GradingOptions, collect_lms_zip


@pytest.fixture
def demo(tmp_path):
    make_demo_class(REPO_ROOT, tmp_path / "demo", MODULE)
    return tmp_path / "demo"


def test_zip_collect_rebuilds_every_students_folder(demo, tmp_path):
    """Every file of every student, notebook or not, lands where the folder version of the class has it."""
    options = GradingOptions(REPO_ROOT, MODULE, tmp_path / "class", lms_zip=demo / "lms-export.zip")
    collect_lms_zip(options, release_dir=REPO_ROOT / "notebooks")
    assert tree_digest(tmp_path / "class" / "submitted") == tree_digest(demo / "submitted")


def test_grading_a_small_lms_zip_end_to_end(course_copy, demo, tmp_path):
    keep = ("perfect_", "missing-notebook_", "renamed-notebook_")
    small = tmp_path / "canvas-download.zip"
    with zipfile.ZipFile(demo / "lms-export.zip") as full, zipfile.ZipFile(small, "w") as archive:
        for name in full.namelist():
            if name.startswith(keep):
                archive.writestr(name, full.read(name))
        archive.writestr("notes-from-the-lms.txt", "this name does not match the regex")
    class_dir = tmp_path / "class"
    result = grade(
        course_copy, "--class-dir", str(class_dir), "--lms-zip", str(small), "--cell-timeout", "10"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notes-from-the-lms.txt" in result.stdout, "a file the regex cannot read is reported"
    with (class_dir / "reports" / MODULE / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    source = nbformat.read(course_copy / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    total = sum(points for _, points in graded_tasks(source))
    assert {student: (row["status"], float(row["score"])) for student, row in rows.items()} == {
        "perfect": ("ok", total),
        "missing-notebook": ("missing_notebook", 0.0),
        "renamed-notebook": ("ok", total),
    }
    assert (class_dir / "feedback" / "renamed-notebook" / MODULE / f"{MODULE}.html").is_file()


def test_a_file_that_is_not_a_zip_is_a_clear_error(course_copy, tmp_path):
    fake = tmp_path / "download.zip"
    fake.write_text("not a zip", encoding="utf-8")
    result = grade(course_copy, "--class-dir", str(tmp_path / "class"), "--lms-zip", str(fake))
    assert result.returncode == 2
    assert f"{fake}: not a zip file" in result.stderr


def test_an_lms_regex_without_the_named_groups_is_a_clear_error(course_copy, demo, tmp_path):
    result = grade(
        course_copy, "--lms-zip", str(demo / "lms-export.zip"), "--lms-regex", r"(?P<student_id>\w+)_"
    )
    assert result.returncode == 2
    assert "file_id" in result.stderr


def test_an_unknown_module_is_a_clear_error(course_copy):
    result = subprocess.run(
        [sys.executable, "-m", "mlai_course.cli", "grade", "99-nothing", "--course-root", str(course_copy)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "99-nothing" in result.stderr and "no such module" in result.stderr
