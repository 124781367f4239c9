"""Every module follows the notebook template of README.md, "For course authors".

The rules for graded tasks are checked cell by cell, for every module (modules written later too): a test cell
names its task and points, is tagged raises-exception, loads its own data, checks the type first with
mlai_course.learner.checks, keeps mlai_course.learner.checks out of its hidden tests and ends with
visible_tests_passed. Every
citation names a section of the source article as *(article: Section)*.
"""

import ast
import builtins
import re

import pytest
from conftest import REPO_ROOT, source_article_text
from notebook_helpers import HIDDEN_TESTS_REGION, is_answer_cell, is_test_cell, module_paths, read

from mlai_course.learner.schemas import ARTICLE_SECTIONS

SOURCES = module_paths(REPO_ROOT, "solutions")
# The article's 13 section headings (mlai_course.learner.schemas); "introduction" is its untitled
# opening paragraph.
CITABLE = {*ARTICLE_SECTIONS, "introduction"}
FIRST_LINE = re.compile(
    r"# Test: (?P<name>\w+) \((?P<points>\d+(?:\.\d+)?) (?P<unit>points?)\)\. "
    r"Run this cell to check your answer\."
)
# "(word: ...)" where the word is a citation label: the source article is cited as "article".
CITATION_LABEL = re.compile(r"\((seed|source|article|Article|Seed|Source)\s*:")
ARTICLE_CITATION = re.compile(r"\(article: ([^)]*)\)")
EXPECT_CALL = re.compile(r"\b(expect_\w+)\(")


def grade_id(cell) -> str:
    return cell.metadata["nbgrader"]["grade_id"]


def graded_test_cells(notebook):
    return [cell for cell in notebook.cells if is_test_cell(cell)]


def split_test_cell(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a test cell."""
    hidden = HIDDEN_TESTS_REGION.search(source)
    return HIDDEN_TESTS_REGION.sub("", source), hidden.group(1) if hidden else ""


def names_used_and_defined(source: str) -> tuple[set[str], set[str]]:
    """The names some code reads, and the names it defines (assignments, imports, defs, loop variables)."""
    used, defined = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            defined.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            defined.add(node.name)
    return used, defined


def answer_names(notebook) -> set[str]:
    """What the learner's answer cells define: the functions (and names) a test cell may use."""
    names = set()
    for cell in notebook.cells:
        if is_answer_cell(cell) and cell.cell_type == "code":
            tree = ast.parse(cell.source)
            for node in tree.body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef):
                    names.add(node.name)
                elif isinstance(node, ast.Assign):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


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
def test_setup_cell_says_how_tasks_and_checks_work(path):
    setup = next(cell for cell in read(path).cells if cell.source.startswith("## Setup"))
    for words in ("graded task", "test cell", "**Validate**", "Run All", "glossary"):
        assert words in setup.source, f"{path.name}: the setup cell should explain {words!r}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_each_graded_task_has_answer_visible_and_hidden_tests_and_points(path):
    notebook = read(path)
    answers = [cell for cell in notebook.cells if is_answer_cell(cell) and cell.cell_type == "code"]
    tests = graded_test_cells(notebook)
    assert len(answers) >= 2 and len(tests) >= 2
    for cell in tests:
        assert cell.metadata["nbgrader"]["points"] > 0
        visible, hidden = split_test_cell(cell.source)
        assert hidden.strip(), f"hidden tests in {grade_id(cell)}"
        assert "raises-exception" in cell.metadata.get("tags", []), (
            f"{grade_id(cell)}: tag test cells raises-exception, so Run All goes on past an unanswered task"
        )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_test_cell_first_line_names_the_task_and_its_points(path):
    for cell in graded_test_cells(read(path)):
        first_line = cell.source.splitlines()[0]
        match = FIRST_LINE.fullmatch(first_line)
        assert match, (
            f"{grade_id(cell)}: first line {first_line!r} should be "
            "'# Test: name (N points). Run this cell to check your answer.'"
        )
        points = cell.metadata["nbgrader"]["points"]
        assert float(match["points"]) == points, (
            f"{grade_id(cell)}: the first line says {match['points']} points"
        )
        assert match["unit"] == ("point" if points == 1 else "points"), f"{grade_id(cell)}: 1 point, N points"
        assert grade_id(cell) == f"test_{match['name']}", f"{grade_id(cell)}: grade_id is test_<name>"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_test_cell_ends_with_the_pass_message(path):
    for cell in graded_test_cells(read(path)):
        name = grade_id(cell).removeprefix("test_")
        last_line = cell.source.rstrip().splitlines()[-1]
        assert last_line == f'visible_tests_passed("{name}")', f"{grade_id(cell)}: last line is {last_line!r}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_visible_tests_check_the_type_first_with_mlai_course_checks(path):
    for cell in graded_test_cells(read(path)):
        visible, _ = split_test_cell(cell.source)
        assert "from mlai_course.learner.checks import" in visible, (
            f"{grade_id(cell)}: import mlai_course.learner.checks"
        )
        calls = EXPECT_CALL.findall(visible)
        assert calls and calls[0] == "expect_type", f"{grade_id(cell)}: check the answer's type first"
        assert set(calls) - {"expect_type"}, f"{grade_id(cell)}: then check its values"
        assert not any(isinstance(node, ast.Assert) for node in ast.walk(ast.parse(visible))), (
            f"{grade_id(cell)}: visible tests use expect_*, which say what they expected and got, not assert"
        )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_hidden_tests_use_plain_asserts(path):
    for cell in graded_test_cells(read(path)):
        _, hidden = split_test_cell(cell.source)
        assert "mlai_course.learner.checks" not in hidden and not EXPECT_CALL.search(hidden), (
            f"{grade_id(cell)}: hidden tests use plain assert "
            "(learner code could replace mlai_course.learner.checks)"
        )
        assert "visible_tests_passed" not in hidden, f"{grade_id(cell)}"
        asserts = [node for node in ast.walk(ast.parse(hidden)) if isinstance(node, ast.Assert)]
        assert asserts, f"{grade_id(cell)}: hidden tests are plain assert statements"
        for node in asserts:
            assert node.msg is not None, (
                f"{grade_id(cell)}: hidden assert on line {node.lineno} has no message"
            )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_test_cells_load_their_own_data_and_import_what_they_use(path):
    # A learner may change or skip any earlier cell: a test cell may use only what it defines itself, Python's
    # builtins and the learner's answers.
    notebook = read(path)
    allowed = answer_names(notebook) | set(dir(builtins))
    for cell in graded_test_cells(notebook):
        used, defined = names_used_and_defined(cell.source)
        borrowed = used - defined - allowed
        assert not borrowed, f"{grade_id(cell)} uses {sorted(borrowed)} from other cells: load or import them"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_unanswered_answer_cells_do_not_stop_run_all(path):
    # The release replaces a solution with `raise NotImplementedError(...)`. In a function, that raises only
    # when the function is called (by its test cell); at the top level it would stop Run All, unless tagged.
    for cell in read(path).cells:
        if is_answer_cell(cell) and cell.cell_type == "code":
            inside_a_function = all(
                line.startswith((" ", "\t"))
                for line in cell.source.splitlines()
                if "### BEGIN SOLUTION" in line
            )
            assert inside_a_function or "raises-exception" in cell.metadata.get("tags", []), (
                f"{grade_id(cell)}: put the solution inside a function, or tag the cell raises-exception"
            )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_citations_name_sections_of_the_source_article(path):
    for cell in read(path).cells:
        for label in CITATION_LABEL.findall(cell.source):
            assert label == "article", f"{path.name}: cite as '(article: Section)', not '({label}: ...)'"
        for cited in ARTICLE_CITATION.findall(cell.source):
            for section in re.split(r"[;,] ", " ".join(cited.split())):
                assert section in CITABLE, f"{path.name}: '(article: {cited})': {section!r} is not a section"


def test_cited_sections_are_the_article_headings():
    headings = set(source_article_text().splitlines())
    assert set(ARTICLE_SECTIONS) <= headings


def test_names_used_and_defined_reads_code():
    used, defined = names_used_and_defined(
        "import pandas as pd\nfrom x import y\ntable = pd.DataFrame()\nfor row in rows:\n    f(row, table)\n"
    )
    assert used - defined == {"rows", "f"}
