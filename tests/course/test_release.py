"""notebooks/ is exactly what `make release` makes from solutions/, and leaks nothing."""

import json
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO_ROOT, copy_course
from notebook_helpers import module_paths, read, secret_lines

from mlai_course.authoring.release import (
    assignment_names,
    notebook_files,
    release,
    strip_notebooks,
    unstripped_notebooks,
)

MODULES = assignment_names(REPO_ROOT)


def test_there_are_modules():
    assert MODULES, "solutions/ holds no NN-topic/NN-topic.ipynb"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course copy released once, into its notebooks/ that held a module no longer in solutions/."""
    course = copy_course(tmp_path_factory.mktemp("release") / "course")
    stale = course / "notebooks" / "99-removed"
    stale.mkdir()
    (stale / "99-removed.ipynb").write_text("{}", encoding="utf-8")
    release(course)
    return course


def test_committed_notebooks_are_exactly_the_release(released):
    committed = {
        p.relative_to(REPO_ROOT / "notebooks"): p.read_bytes()
        for p in notebook_files(REPO_ROOT / "notebooks")
    }
    generated = {
        p.relative_to(released / "notebooks"): p.read_bytes() for p in notebook_files(released / "notebooks")
    }
    assert sorted(committed) == sorted(generated), (
        "notebooks/ holds other notebooks than the release; run `make release`"
    )
    for name, content in generated.items():
        assert committed[name] == content, f"notebooks/{name} differs from the release; run `make release`"


def test_release_removes_modules_that_left_solutions(released):
    assert not (released / "notebooks" / "99-removed").exists()
    assert (released / "notebooks" / "glossary.md").is_file(), "the release keeps the glossary"


@pytest.mark.parametrize("name", MODULES)
def test_student_notebook_has_no_solution_or_hidden_test(name):
    source = read(REPO_ROOT / "solutions" / name / f"{name}.ipynb")
    student_text = (REPO_ROOT / "notebooks" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    secrets = secret_lines(source)
    assert secrets, "the source notebook should have solution and hidden-test lines"
    student_lines = {
        line.strip()
        for cell in json.loads(student_text)["cells"]
        for line in "".join(cell["source"]).splitlines()
    }
    leaked = secrets & student_lines
    assert not leaked, f"solution or hidden-test lines in notebooks/{name}: {sorted(leaked)}"
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in student_text


@pytest.mark.parametrize("path", module_paths(REPO_ROOT, "notebooks"), ids=str)
def test_student_notebook_has_no_outputs_or_widget_state(path):
    notebook = read(path)
    assert "widgets" not in notebook.metadata
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:80]


def test_every_notebook_is_stripped():
    notebooks = notebook_files(REPO_ROOT / "solutions") + notebook_files(REPO_ROOT / "notebooks")
    assert unstripped_notebooks(notebooks) == []


def test_strip_check_catches_widget_state(tmp_path):
    path = tmp_path / "dirty.ipynb"
    notebook = read(REPO_ROOT / "notebooks" / MODULES[0] / f"{MODULES[0]}.ipynb")
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert unstripped_notebooks([path]) == [path]


def test_stripping_writes_what_the_nbstripout_command_writes(tmp_path):
    """The in-process strip and `nbstripout --extra-keys metadata.language_info` agree on a dirty notebook."""
    notebook = read(REPO_ROOT / "solutions" / MODULES[0] / f"{MODULES[0]}.ipynb")
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    code.metadata["ExecuteTime"] = {"start_time": "2026-01-01"}
    ours, theirs = tmp_path / "ours.ipynb", tmp_path / "theirs.ipynb"
    for path in (ours, theirs):
        nbformat.write(notebook, path)
    assert strip_notebooks([ours]) == [ours] and strip_notebooks([ours]) == []
    subprocess.run(
        [sys.executable, "-m", "nbstripout", "--extra-keys", "metadata.language_info", str(theirs)],
        check=True,
    )
    assert ours.read_bytes() == theirs.read_bytes()
    assert unstripped_notebooks([ours, theirs]) == []
