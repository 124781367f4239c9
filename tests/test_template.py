"""Every module follows the notebook template in DEVELOPERS.md."""

import re

import pytest
from conftest import REPO_ROOT
from notebook_helpers import HIDDEN_TESTS_REGION, is_answer_cell, is_test_cell, module_paths, read

SOURCES = module_paths(REPO_ROOT, "solutions")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_module_follows_the_template(path):
    notebook = read(path)
    number = path.parent.name.split("-", 1)[0]
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    first = notebook.cells[0].source
    assert re.match(rf"# {number} · \S", first), "title is '# NN · Title'"
    assert "Learning objectives" in first and "Time:" in first
    assert re.search(r"^## 1 · ", markdown, re.M), "numbered sections '## 1 · ...'"
    assert re.search(r"^## Summary", markdown, re.M)
    assert "(article: " in markdown, "facts name their section of the source article"
    assert any("show_self_check(" in cell.source for cell in notebook.cells), "a widget self-check"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_each_graded_task_has_answer_visible_and_hidden_tests_and_points(path):
    notebook = read(path)
    answers = [cell for cell in notebook.cells if is_answer_cell(cell) and cell.cell_type == "code"]
    tests = [cell for cell in notebook.cells if is_test_cell(cell)]
    assert len(answers) >= 2 and len(tests) >= 2
    for cell in tests:
        assert cell.metadata["nbgrader"]["points"] > 0
        hidden = HIDDEN_TESTS_REGION.search(cell.source)
        assert hidden and hidden.group(1).strip(), f"hidden tests in {cell.metadata['nbgrader']['grade_id']}"
        visible = HIDDEN_TESTS_REGION.sub("", cell.source)
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        assert "assert" in visible or "expect_" in visible, f"visible test in {grade_id}"
        assert "raises-exception" in cell.metadata.get("tags", []), (
            f"{grade_id}: tag test cells raises-exception, so Run All goes on past an unanswered task"
        )
