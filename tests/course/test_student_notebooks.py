"""Every student notebook runs; only the unanswered graded cells fail, and they do fail."""

from functools import cache

import nbformat
import pytest
from conftest import REPO_ROOT
from nbclient import NotebookClient
from notebook_helpers import is_answer_cell, is_test_cell, module_paths

# An unanswered answer cell raises the stub's NotImplementedError; its test
# cell then fails on the missing name or on that same error.
EXPECTED_ERRORS = {"NotImplementedError", "NameError"}


@cache
def run_notebook(path):
    """Execute a student notebook once per test session, in its own folder."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=60, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return notebook


def errors_of(cell):
    return [output for output in cell.get("outputs", []) if output.output_type == "error"]


@pytest.mark.parametrize("path", module_paths(REPO_ROOT, "notebooks"), ids=lambda p: p.parent.name)
def test_student_notebook_fails_only_in_unanswered_graded_cells(path):
    notebook = run_notebook(path)
    graded = [cell for cell in notebook.cells if is_answer_cell(cell) or is_test_cell(cell)]
    assert len([cell for cell in graded if is_test_cell(cell)]) >= 2, (
        "each module has at least two graded tasks"
    )
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        errors = errors_of(cell)
        # JupyterLab's Run All stops at the first cell that raises, unless it is tagged raises-exception.
        if errors:
            assert "raises-exception" in cell.metadata.get("tags", []), (
                f"Run All would stop at this untagged cell: {cell.source[:80]!r}"
            )
        if is_test_cell(cell):
            assert errors, f"test cell should fail while unanswered: {cell.source[:80]!r}"
        if is_answer_cell(cell) or is_test_cell(cell):
            unexpected = [
                f"{error.ename}: {error.evalue}" for error in errors if error.ename not in EXPECTED_ERRORS
            ]
            assert not unexpected, f"{unexpected} in {cell.source[:80]!r}"
        else:
            assert not errors, f"{errors[0].ename}: {errors[0].evalue} in ungraded cell {cell.source[:80]!r}"


@pytest.mark.parametrize("path", module_paths(REPO_ROOT, "notebooks"), ids=lambda p: p.parent.name)
def test_student_notebook_shows_a_self_check_widget(path):
    notebook = run_notebook(path)
    widget_outputs = [
        output
        for cell in notebook.cells
        if "show_self_check" in cell.source
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    ]
    assert widget_outputs, "the self-check cell should display a widget"
