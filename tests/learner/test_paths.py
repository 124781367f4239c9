"""The helper package finds data/ from any working directory."""

import pytest
from conftest import REPO_ROOT

from mlai_course.learner.paths import CourseDataNotFound, find_course_root, find_data_dir


def test_finds_data_from_a_deep_subfolder(course_copy, monkeypatch):
    deep = course_copy / "grading" / "autograded" / "student" / "01-core-distinction"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_data_dir() == course_copy / "data"
    assert find_course_root() == course_copy


def test_falls_back_to_the_source_tree_outside_the_course(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_data_dir() == REPO_ROOT / "data"


def test_environment_variable_wins(course_copy, monkeypatch):
    monkeypatch.setenv("MLAI_COURSE_DATA", str(course_copy / "data"))
    monkeypatch.chdir(REPO_ROOT)
    assert find_data_dir() == course_copy / "data"


def test_environment_variable_pointing_nowhere_is_a_clear_error(tmp_path, monkeypatch):
    missing = tmp_path / "nope"
    monkeypatch.setenv("MLAI_COURSE_DATA", str(missing))
    with pytest.raises(CourseDataNotFound, match="MLAI_COURSE_DATA"):
        find_data_dir()
