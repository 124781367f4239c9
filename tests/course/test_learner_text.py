"""What learners read: money without "$" (JupyterLab renders $...$ as maths); "the article", not "the seed".

Checked statically in every notebook (source and release), every question bank, the data README, the glossary
and the helper package's learner-facing strings. The browser test checks the rendering itself.
"""

import ast
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT
from notebook_helpers import read

from mlai_course.authoring.release import notebook_files

NOTEBOOKS = notebook_files(REPO_ROOT / "solutions") + notebook_files(REPO_ROOT / "notebooks")
BANKS = sorted((REPO_ROOT / "data" / "quiz_banks").glob("*.yaml"))
DOCUMENTS = [REPO_ROOT / "data" / "README.md", REPO_ROOT / "notebooks" / "glossary.md"]
# Modules whose strings reach learners: the learner room (test messages, self-check and profile widgets,
# progress view, the plan, plots, data and question-bank errors).
PACKAGE = REPO_ROOT / "src" / "mlai_course"
LEARNER_MODULES = sorted(path.relative_to(PACKAGE).as_posix() for path in (PACKAGE / "learner").glob("*.py"))
# A dollar sign, except a JavaScript template placeholder "${...}" in a widget's front-end code.
DOLLAR = re.compile(r"\$(?!\{)")
# "seed" as a word; "random seed" (a random number generator's starting point) and the argument `seed=` are
# another thing.
SEED = re.compile(r"(?<!random )\bseeds?\b(?!=)", re.I)
MONEY_HINT = "write money as USD 130K: JupyterLab renders $...$ as maths"


def bank_strings(value, where=""):
    """(place, text) for every string in a loaded bank, keys and values, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from bank_strings(key, where)
            yield from bank_strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from bank_strings(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


def learner_strings(path: Path):
    """(line, text) for every string literal in a module, docstrings left out (they are for authors)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_dollar_sign_in_notebooks(path):
    # Markdown renders $...$ as maths; in code, a plot label with $...$ is mathtext, and a printed $ teaches
    # the wrong habit.
    for number, cell in enumerate(read(path).cells):
        assert not DOLLAR.search(cell.source), f"{path.name}, cell {number}: {MONEY_HINT}"


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_no_dollar_sign_in_question_banks(path):
    for where, text in bank_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        assert not DOLLAR.search(text), f"{path.name}: {where}: {text!r}: {MONEY_HINT}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_no_dollar_sign_in_learner_documents(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert not DOLLAR.search(line), f"{path.relative_to(REPO_ROOT)}, line {number}: {MONEY_HINT}"


@pytest.mark.parametrize("module", LEARNER_MODULES)
def test_no_dollar_sign_in_the_helper_package_learner_strings(module):
    for line, text in learner_strings(PACKAGE / module):
        assert not DOLLAR.search(text), f"src/mlai_course/{module}, line {line}: {text!r}: {MONEY_HINT}"


def test_the_checks_catch_what_they_should():
    assert DOLLAR.search("a junior band of $130K") and not DOLLAR.search("USD 130K")
    assert not DOLLAR.search("`${count} questions`"), "a JavaScript template placeholder is not money"
    assert SEED.search("the seed says") and SEED.search("Seeds") and not SEED.search("a fixed random seed")
    assert not SEED.search("heading_in_seed"), "a column name is not wording"
    assert not SEED.search("change `seed=2026` in the cell"), "an argument is not wording"
    bank = {"questions": [{"options": [{"text": "USD 130K"}, {"text": "$165K"}]}]}
    assert [where for where, text in bank_strings(bank) if DOLLAR.search(text)] == [
        "questions[0].options[1].text"
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_notebooks_speak_of_the_article_not_the_seed(path):
    for number, cell in enumerate(read(path).cells):
        if cell.cell_type == "markdown":
            assert not SEED.search(cell.source), (
                f"{path.name}, cell {number}: say 'the article', not 'the seed'"
            )


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_question_banks_speak_of_the_article_not_the_seed(path):
    for where, text in bank_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        assert not SEED.search(text), f"{path.name}: {where}: {text!r}: say 'the article', not 'the seed'"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_learner_documents_speak_of_the_article_not_the_seed(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert not SEED.search(line), f"{path.relative_to(REPO_ROOT)}, line {number}: say 'the article'"
