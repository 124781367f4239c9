"""Build submissions from the course's own notebooks: for tests, demos and benchmarks."""

import re

import nbformat

SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)


def answer_cells(notebook) -> dict:
    """Map grade_id to cell for every answer cell (nbgrader solution cell) of a notebook."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def solved_copy(student_notebook, source_notebook):
    """Return a copy of the student notebook with every answer cell filled in from the source's solution."""
    solved = nbformat.from_dict(student_notebook)
    solutions = answer_cells(source_notebook)
    for grade_id, cell in answer_cells(solved).items():
        cell.source = SOLUTION_MARKER.sub("", solutions[grade_id].source)
    return solved
