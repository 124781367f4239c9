"""Every student notebook runs as learners get it, in the student edition (its own package and data):
only the unanswered graded cells fail, and they do fail.
"""

import json
import os

import nbformat
import pytest
from conftest import REPO_ROOT
from nbclient import NotebookClient
from notebook_helpers import is_answer_cell, is_test_cell

from mlai_course.authoring.release import assignment_names

# An unanswered answer cell raises the stub's NotImplementedError; its test
# cell then fails on the missing name or on that same error.
EXPECTED_ERRORS = {"NotImplementedError", "NameError"}


MODULES = assignment_names(REPO_ROOT)
# A last cell added to the copy that runs: where the helper package came from, and whether any instructor
# code was imported.
WHERE_FROM = (
    "import json, sys, mlai_course\n"
    "print(json.dumps({'package': mlai_course.__file__, 'instructor': sorted(name for name in sys.modules "
    "if name.startswith(('mlai_course.grading', 'mlai_course.authoring', 'mlai_course.cli')))}))"
)


@pytest.fixture(scope="module")
def run_notebook(student_edition, tmp_path_factory):
    """Execute a student notebook of the edition once per test module, in its folder, with the edition's
    package and data (never this repository's); return it and what its last cell printed."""
    runs = {}
    env = {
        **os.environ,
        "PYTHONPATH": str(student_edition / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",  # the edition stays as written
        "MLAI_COURSE_DATA": str(student_edition / "data"),
        "MLAI_COURSE_PROGRESS": str(tmp_path_factory.mktemp("progress") / "progress.json"),
    }

    def run(name: str):
        if name not in runs:
            path = student_edition / "notebooks" / name / f"{name}.ipynb"
            notebook = nbformat.read(path, as_version=4)
            notebook.cells.append(nbformat.v4.new_code_cell(WHERE_FROM))
            client = NotebookClient(
                notebook, timeout=60, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
            )
            client.execute(env=env)
            where = json.loads(notebook.cells.pop().outputs[0]["text"])
            runs[name] = notebook, where
        return runs[name]

    return run


def errors_of(cell):
    return [output for output in cell.get("outputs", []) if output.output_type == "error"]


@pytest.mark.parametrize("name", MODULES)
def test_student_notebook_fails_only_in_unanswered_graded_cells(name, run_notebook, student_edition):
    notebook, where = run_notebook(name)
    assert where == {
        "package": str(student_edition / "src" / "mlai_course" / "__init__.py"),
        "instructor": [],
    }
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


@pytest.mark.parametrize("name", MODULES)
def test_student_notebook_shows_a_self_check_widget(name, run_notebook):
    notebook, _ = run_notebook(name)
    widget_outputs = [
        output
        for cell in notebook.cells
        if "show_self_check" in cell.source
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    ]
    assert widget_outputs, "the self-check cell should display a widget"
