"""Restoring: nbgrader metadata that another editor dropped or damaged comes back, matched by content."""

import nbformat
from conftest import REPO_ROOT
from grading_helpers import MODULE

from mlai_course.grading.demo_class import solved_copy
from mlai_course.grading.intake import parse_notebook
from mlai_course.grading.restore import restore_metadata


def test_damaged_and_lost_metadata_is_restored_by_content():
    release = nbformat.read(REPO_ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    damaged = solved_copy(release, source)
    for index, cell in enumerate(damaged.cells):
        if index % 2:
            cell.metadata = {}
        elif "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"]["grade_id"] = [index]  # not a string
    notebook = parse_notebook(nbformat.writes(damaged).encode(), "damaged.ipynb")
    notes = restore_metadata(notebook, release)
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
    expected = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in release.cells]
    assert ids == expected and "metadata restored by content" in notes[0]
