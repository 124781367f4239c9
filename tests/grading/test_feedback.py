"""Feedback: hidden tests scrubbed from real tracebacks, huge outputs cut, and the course's secret lines."""

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from mlai_course.grading import feedback
from mlai_course.grading.secret_lines import course_secrets, html_text, leaked_secrets

VISIBLE = "assert 1 + 1 == 2, 'the visible test'"
HIDDEN_SETUP = "secret_answer_value = 41"
HIDDEN_ASSERT = "assert secret_answer_value + 1 == 43, 'hidden'"


def executed_test_notebook():
    """A real kernel's traceback for a test cell whose hidden test fails."""
    test_source = "\n".join(
        [
            VISIBLE,
            "### BEGIN HIDDEN TESTS",
            HIDDEN_SETUP,
            HIDDEN_ASSERT,
            "print('never here')",
            "### END HIDDEN TESTS",
        ]
    )
    cell = nbformat.v4.new_code_cell(test_source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t1", "points": 1}
    notebook = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell("print('x' * 100_000)")])
    NotebookClient(notebook, timeout=60, allow_errors=True, kernel_name="python3").execute()
    return notebook


@pytest.fixture(scope="module")
def executed():
    return executed_test_notebook()


def test_unscrubbed_traceback_shows_the_hidden_test(executed):
    """The control: without scrubbing, the hidden lines reach the HTML."""
    html, _ = HTMLExporter().from_notebook_node(executed)
    assert leaked_secrets(html, {HIDDEN_SETUP, HIDDEN_ASSERT}) == [HIDDEN_ASSERT, HIDDEN_SETUP]


def test_scrubbed_notebook_hides_hidden_tests_in_source_and_traceback(executed):
    scrubbed = feedback.scrub_notebook(executed, {HIDDEN_SETUP, HIDDEN_ASSERT, "print('never here')"})
    html, _ = HTMLExporter().from_notebook_node(scrubbed)
    assert leaked_secrets(html, {HIDDEN_SETUP, HIDDEN_ASSERT, "print('never here')"}) == []
    text = html_text(html)
    assert VISIBLE in text
    assert "a hidden test failed here" in text
    assert "AssertionError" in text
    assert feedback.HIDDEN_NOTE.strip() in text


def test_scrubbed_notebook_cuts_a_huge_output(executed):
    scrubbed = feedback.scrub_notebook(executed, set())
    stream = scrubbed.cells[1].outputs[0]
    assert len(stream.text) < feedback.MAX_OUTPUT_CHARACTERS + 100
    assert "output cut: 100,001 characters" in stream.text
    assert len(executed.cells[1].outputs[0].text) == 100_001, "scrubbing must not change the original"


def test_course_secrets_leave_out_lines_that_are_part_of_released_text(tmp_path):
    # Feedback is searched for secrets as substrings: a secret inside released text would withhold feedback
    # from every honest student.
    source = nbformat.v4.new_notebook()
    source.cells = [
        nbformat.v4.new_code_cell(
            'roles = ["ML Engineer", "AI Engineer", "Both"]\n'
            "### BEGIN HIDDEN TESTS\n"
            'assert pick(["ML Engineer",\n    "AI Engineer",\n]) == "secret verdict value"\n'
            "### END HIDDEN TESTS"
        )
    ]
    release = nbformat.v4.new_notebook()
    release.cells = [nbformat.v4.new_code_cell('roles = ["ML Engineer", "AI Engineer", "Both"]')]
    for folder, notebook in (("solutions", source), ("notebooks", release)):
        (tmp_path / folder / "99-x").mkdir(parents=True)
        nbformat.write(notebook, tmp_path / folder / "99-x" / "99-x.ipynb")
    secrets = course_secrets(tmp_path)
    assert '"AI Engineer",' not in secrets and '"ML Engineer",' not in secrets
    assert ']) == "secret verdict value"' in secrets
    assert leaked_secrets('<pre>roles = ["ML Engineer", "AI Engineer", "Both"]</pre>', secrets) == []


def test_a_line_a_released_statement_shows_once_rendered_is_not_secret(tmp_path):
    # Feedback shows the notebook's Markdown rendered: return `"Undecided"` in a statement reads as the
    # solution line `return "Undecided"`; it is public: an honest student's feedback is not withheld for it.
    source = nbformat.v4.new_notebook()
    source.cells = [
        nbformat.v4.new_markdown_cell('Otherwise return `"Undecided"`, the course\'s one value for it.'),
        nbformat.v4.new_code_cell(
            '### BEGIN SOLUTION\nif not evidence:\n    return "Undecided", the course\n### END SOLUTION'
        ),
    ]
    release = nbformat.v4.new_notebook()
    release.cells = [source.cells[0]]
    for folder, notebook in (("solutions", source), ("notebooks", release)):
        (tmp_path / folder / "99-x").mkdir(parents=True)
        nbformat.write(notebook, tmp_path / folder / "99-x" / "99-x.ipynb")
    secrets = course_secrets(tmp_path)
    assert 'return "Undecided", the course' not in secrets, "the rendered statement shows it"
    assert "if not evidence:" in secrets
