"""Intake: finding the notebook in a student's folder and reading it without trusting anything in it."""

import os
import time
from pathlib import Path

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE

from mlai_course.grading.intake import SubmissionProblem, find_notebook, parse_notebook, read_regular_file


def check_notebook(path: Path) -> str:
    """Why a notebook file cannot be graded, or "" (what grading does before it runs a notebook)."""
    try:
        parse_notebook(read_regular_file(path), path.name)
    except SubmissionProblem as problem:
        return str(problem)
    return ""


def write(path: Path, content: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_find_notebook_prefers_the_module_name(tmp_path):
    expected = write(tmp_path / f"{MODULE}.ipynb")
    write(tmp_path / "scratch.ipynb")
    assert find_notebook(tmp_path, MODULE) == (expected, "")


def test_find_notebook_takes_a_renamed_copy_and_says_so(tmp_path):
    renamed = write(tmp_path / f"{MODULE}-Copy1.ipynb")
    write(tmp_path / "scratch.ipynb")
    notebook, note = find_notebook(tmp_path, MODULE)
    assert notebook == renamed
    assert f"{MODULE}-Copy1.ipynb" in note and f"as {MODULE}.ipynb" in note


def test_find_notebook_finds_one_in_a_subfolder(tmp_path):
    nested = write(tmp_path / "my-folder" / f"{MODULE}.ipynb")
    notebook, note = find_notebook(tmp_path, MODULE)
    assert notebook == nested and "my-folder" in note


def test_find_notebook_refuses_to_guess_between_two_notebooks(tmp_path):
    write(tmp_path / "a.ipynb")
    write(tmp_path / "b.ipynb")
    with pytest.raises(SubmissionProblem, match="2 other notebooks"):
        find_notebook(tmp_path, MODULE)


def test_find_notebook_names_what_it_found_instead(tmp_path):
    write(tmp_path / "report.pdf", "%PDF")
    with pytest.raises(SubmissionProblem, match="report.pdf"):
        find_notebook(tmp_path, MODULE)


def test_find_notebook_never_follows_a_link_or_opens_a_pipe(tmp_path):
    os.mkfifo(tmp_path / f"{MODULE}.ipynb")
    started = time.monotonic()
    with pytest.raises(SubmissionProblem, match="named pipe") as problem:
        notebook, _ = find_notebook(tmp_path, MODULE)
    assert problem.value.status == "invalid_notebook"
    with pytest.raises(SubmissionProblem, match="named pipe"):
        read_regular_file(tmp_path / f"{MODULE}.ipynb")
    assert time.monotonic() - started < 30, "a named pipe must never block the grader"
    link = tmp_path / "link.ipynb"
    link.symlink_to(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb")
    with pytest.raises(SubmissionProblem, match="symbolic link"):
        read_regular_file(link)


def test_nbformat_3_is_read_as_4_5(tmp_path):
    release = nbformat.read(REPO_ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    path = tmp_path / "old.ipynb"
    nbformat.write(nbformat.convert(nbformat.from_dict(release), 3), path, version=3)
    notebook = parse_notebook(path.read_bytes(), "old.ipynb")
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    first_answer = next(
        cell for cell in release.cells if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    )
    assert len(notebook.cells) == len(release.cells)
    assert notebook.cells[release.cells.index(first_answer)].source == first_answer.source


def test_check_notebook_names_the_file_and_the_json_error(tmp_path):
    broken = write(tmp_path / "nb.ipynb", '{"cells": [\n  {"cell_type": "code",\n')
    problem = check_notebook(broken)
    assert problem.startswith("nb.ipynb is not valid JSON") and "line 3" in problem


def test_check_notebook_rejects_json_that_is_not_a_notebook(tmp_path):
    assert "not a notebook" in check_notebook(write(tmp_path / "nb.ipynb", '{"hello": 1}'))


def test_check_notebook_rejects_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(b'{"cells": ["\xff"]}')
    assert "not UTF-8" in check_notebook(path)


def test_check_notebook_accepts_the_release():
    assert check_notebook(REPO_ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb") == ""
