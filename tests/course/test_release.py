"""notebooks/ is exactly what `make release` makes from solutions/, and leaks nothing."""

import json

import pytest
from conftest import REPO_ROOT
from notebook_helpers import module_paths, read, secret_lines

from mlai_course.authoring.release import assignment_names, notebook_files, release, unstripped_notebooks

MODULES = assignment_names(REPO_ROOT)


def test_there_are_modules():
    assert MODULES, "solutions/ holds no NN-topic/NN-topic.ipynb"


def test_committed_notebooks_are_exactly_the_release(course_copy, tmp_path):
    fresh = tmp_path / "fresh-release"
    fresh.mkdir()
    release(course_copy, release_dir=fresh)
    committed = {
        p.relative_to(REPO_ROOT / "notebooks"): p.read_bytes()
        for p in notebook_files(REPO_ROOT / "notebooks")
    }
    generated = {p.relative_to(fresh): p.read_bytes() for p in notebook_files(fresh)}
    assert sorted(committed) == sorted(generated), (
        "notebooks/ holds other notebooks than the release; run `make release`"
    )
    for name, content in generated.items():
        assert committed[name] == content, f"notebooks/{name} differs from the release; run `make release`"


def test_release_removes_modules_that_left_solutions(course_copy):
    stale = course_copy / "notebooks" / "99-removed"
    stale.mkdir()
    (stale / "99-removed.ipynb").write_text("{}", encoding="utf-8")
    release(course_copy)
    assert not stale.exists()
    assert (course_copy / "notebooks" / "glossary.md").is_file(), "the release keeps the glossary"


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


# The grader withholds a student's feedback when it shows a secret line (mlai_course.grading.secret_lines),
# and the feedback shows the notebook's markdown rendered: return `"Undecided"` in a statement renders as the
# solution line `return "Undecided"`. Modules 01-06 are checked here; their statements are worded so that it
# never happens.
MODULES_01_TO_06 = [name for name in MODULES if name[:2] in {"01", "02", "03", "04", "05", "06"}]


@pytest.mark.parametrize("name", MODULES_01_TO_06)
def test_no_rendered_statement_reads_as_a_secret_line(name):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from mlai_course.grading.secret_lines import course_secrets, html_text

    secrets = course_secrets(REPO_ROOT)
    shown = [
        (number, html_text(markdown2html_mistune(cell.source)))
        for number, cell in enumerate(read(REPO_ROOT / "notebooks" / name / f"{name}.ipynb").cells)
        if cell.cell_type == "markdown"
    ]
    found = [(number, secret) for number, text in shown for secret in secrets if secret in text]
    assert not found, (
        f"notebooks/{name}: markdown that renders as a secret line (feedback would be withheld): {found}"
    )


def test_a_statement_that_renders_as_a_solution_line_is_found():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from mlai_course.grading.secret_lines import html_text

    assert 'return "Undecided", the course' in html_text(
        markdown2html_mistune('return `"Undecided"`, the course')
    )
