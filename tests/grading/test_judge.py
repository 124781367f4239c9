"""Judging: canary tests fail in any honest kernel, look like real test cells and leave no trace."""

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE

from mlai_course.grading import judge


def test_every_canary_fails_in_an_honest_python():
    """Whatever mechanism and place are drawn, a canary built on a passing test fails."""
    test = "total = sum([1, 2, 3])\nassert total == 6\nif total:\n    assert total > 0\nprint('passed')\n"
    exec(test, {})  # the real test passes
    for _ in range(300):
        with pytest.raises(Exception):  # noqa: B017 - any exception: canaries fail in many ways
            exec(judge.canary_source(test), {})


def test_canaries_look_like_test_cells_and_leave_no_trace():
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    notebook = nbformat.from_dict(source)
    before = [cell.source for cell in notebook.cells]
    added = judge.insert_canaries(notebook, count=3)
    assert len(added) == 3 and len(notebook.cells) == len(before) + 3
    for cell in added:
        meta = cell.metadata["nbgrader"]
        assert (
            meta["grade"] and meta["locked"] and not meta["solution"] and meta["grade_id"].startswith("test_")
        )
        assert "### BEGIN HIDDEN TESTS" in cell.source, "a copy of a real test cell, hidden part included"
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = number + 1
    judge.remove_canaries(notebook, added)
    assert [cell.source for cell in notebook.cells] == before
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
