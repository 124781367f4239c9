"""Read nbgrader notebooks in tests: which cells are answers, tests and solutions."""

import re
from pathlib import Path

import nbformat

from mlai_course.authoring.release import assignment_names

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_TESTS_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def figure(text: str, pattern: str) -> tuple[str, ...]:
    """The groups of the first match of `pattern` in a lab's printed text (fails if it is not printed)."""
    match = re.search(pattern, text)
    assert match, f"the lab no longer prints a line matching {pattern!r}"
    return match.groups()


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer_cell(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_test_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def read(path: Path):
    return nbformat.read(path, as_version=4)


def module_paths(root: Path, folder: str) -> list[Path]:
    """The module notebooks under root/folder (solutions or notebooks), one per solutions/ module."""
    return [root / folder / name / f"{name}.ipynb" for name in assignment_names(root)]


def split_lines(source_notebook) -> tuple[set[str], set[str]]:
    """(lines inside solution or hidden-test regions, lines outside them) of a source notebook, stripped."""
    inside, outside = set(), set()
    for cell in source_notebook.cells:
        text = cell.source
        for region in (SOLUTION_REGION, HIDDEN_TESTS_REGION):
            for block in region.findall(text):
                inside.update(line.strip() for line in block.splitlines())
            text = region.sub("", text)
        outside.update(line.strip() for line in text.splitlines())
    return inside, outside


def secret_lines(source_notebook) -> set[str]:
    """Lines that appear only inside solution or hidden-test regions of a source notebook."""
    inside, outside = split_lines(source_notebook)
    return {line for line in inside - outside if len(line) > 3}
