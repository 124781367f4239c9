"""`mlai-course grade --lms-zip`: an LMS download goes through our own collector (collect.py) into submitted/.

The collector is attacked as a student would: a nested archive repeating a classmate's file name, the id `..`,
a zip bomb, one upload past the size cap, two uploads with the same name, a student's own timestamp.txt.
"""

import csv
import io
import subprocess
import sys
import zipfile

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE, grade, tree_digest
from nbgrader.api import Gradebook

from mlai_course.grading import collect
from mlai_course.grading.demo_class import graded_tasks, make_demo_class
from mlai_course.grading.gradebook import course_id


@pytest.fixture
def demo(tmp_path):
    make_demo_class(REPO_ROOT, tmp_path / "demo", MODULE)
    return tmp_path / "demo"


def test_collect_rebuilds_every_students_folder(demo, tmp_path):
    """Every file of every student, notebook or not, lands where the folder version of the class has it."""
    collect.collect_lms_zip(demo / "lms-export.zip", tmp_path / "class" / "submitted", MODULE)
    assert tree_digest(tmp_path / "class" / "submitted") == tree_digest(demo / "submitted")


def entry(archive, name, content, when=(2026, 3, 1, 12, 0, 0), compress=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = compress
    archive.writestr(info, content)


def test_a_hostile_zip_is_collected_safely(tmp_path):
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as inner:
        inner.writestr(f"ada_1_{MODULE}.ipynb", "{}")  # a classmate's name, inside an upload
        inner.writestr("../../escape.txt", "x")
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as archive:
        entry(archive, f"ada_1_{MODULE}.ipynb", "ada's notebook")
        entry(archive, "mallory_2_extra.zip", nested.getvalue())
        entry(archive, f".._3_{MODULE}.ipynb", "dot dot")
        entry(archive, "bomb_4_big.ipynb", b"\0" * (300 * 1024 * 1024))
        entry(archive, f"twice_5_{MODULE}.ipynb", "old", when=(2026, 3, 1, 9, 0, 0))
        entry(archive, f"twice_6_{MODULE}.ipynb", "new", when=(2026, 3, 2, 9, 0, 0))
        entry(archive, f"twice_7_{MODULE}.ipynb", "older", when=(2026, 2, 1, 9, 0, 0))
        entry(archive, "twice_8_timestamp.txt", "2000-01-01 00:00:00")
    submitted = tmp_path / "class" / "submitted"
    collection = collect.collect_lms_zip(path, submitted, MODULE)
    assert (submitted / "ada" / MODULE / f"{MODULE}.ipynb").read_text() == "ada's notebook"
    assert sorted(p.name for p in (submitted / "mallory" / MODULE).iterdir()) == ["extra.zip"]
    assert sorted(p.name for p in submitted.iterdir()) == ["ada", "bomb", "mallory", "twice"]
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "class" / "escape.txt").exists()
    assert any("'..'" in warning for warning in collection.warnings)
    assert not (submitted / "bomb" / MODULE / "big.ipynb").exists()
    assert "zip bomb" in " ".join(collection.notes["bomb"])
    assert (submitted / "twice" / MODULE / f"{MODULE}.ipynb").read_text() == "new"
    assert any("kept the newer (2026-03-02 09:00)" in note for note in collection.notes["twice"])
    assert collection.times["twice"] == "2026-03-02T09:00:00+00:00", "time from the LMS, not timestamp.txt"


def test_size_caps_count_the_bytes_really_read(tmp_path, monkeypatch):
    monkeypatch.setattr(collect, "MAX_ENTRY_BYTES", 1000)
    monkeypatch.setattr(collect, "MAX_STUDENT_BYTES", 1500)
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as archive:
        entry(archive, "ann_1_a.txt", "a" * 800)
        entry(archive, "ann_2_b.txt", "b" * 800)  # over the per-student cap together
        entry(archive, "bob_3_c.txt", "c" * 5000)  # over the per-entry cap
    submitted = tmp_path / "submitted"
    collection = collect.collect_lms_zip(path, submitted, MODULE)
    assert sorted(p.name for p in (submitted / "ann" / MODULE).iterdir()) == ["a.txt"]
    assert "more than" in " ".join(collection.notes["ann"]) and "more than" in " ".join(
        collection.notes["bob"]
    )


def test_grading_a_small_lms_zip_end_to_end(course_copy, demo, tmp_path):
    keep = ("perfect_", "missing-notebook_", "renamed-notebook_")
    small = tmp_path / "canvas-download.zip"
    with zipfile.ZipFile(demo / "lms-export.zip") as full, zipfile.ZipFile(small, "w") as archive:
        for name in full.namelist():
            if name.startswith(keep):
                archive.writestr(name, full.read(name))
        archive.writestr("notes-from-the-collect.txt", "this name does not match the regex")
    class_dir = tmp_path / "class"
    result = grade(
        course_copy, "--class-dir", str(class_dir), "--lms-zip", str(small), "--cell-timeout", "60"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notes-from-the-collect.txt" in result.stdout, "a file the regex cannot read is reported"
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
    with Gradebook(f"sqlite:///{class_dir / 'gradebook.db'}", course_id(course_copy)) as gradebook:
        stamp = gradebook.find_submission(MODULE, "perfect").timestamp
    with zipfile.ZipFile(small) as archive:
        lms_time = max(info.date_time for info in archive.infolist() if info.filename.startswith("perfect_"))
    assert stamp.timetuple()[:5] == lms_time[:5], "the submission time is the LMS's"


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
