"""Learners' answers to the graded tasks, run against the real test cells: fair to every correct answer, and
hidden tests that catch what visible tests let through.

Each module's answers live in answers/module_NN.py:

- WRONG: answers a learner could write that **pass** a task's visible tests (so the learner sees ✓) and must
  **fail** the whole test cell, hidden tests included (what the autograder runs);
- RIGHT: correct answers written another way than the solution (a loop instead of pandas, other valid
  handling): they must pass every test, hidden ones included. A hidden test that rejects one is a bug.

The solution must pass too. The answer and the test cell run in-process, after the notebook's setup cell, as
in a kernel.

Every autograded task of every notebook (modules and labs) has at least two RIGHT answers written
differently, and every judgement task course.yml lists (modules 01-06) has at least three WRONG ones (the
mistakes learners make: ignoring the title rule or trusting the title, case-sensitive matching, counting a
skill twice, hard-coding the visible case...).
"""

import importlib.util
import textwrap
from functools import cache
from pathlib import Path

import matplotlib
import pytest
import yaml
from conftest import REPO_ROOT
from notebook_helpers import HIDDEN_TESTS_REGION, is_test_cell, nbgrader_meta, read

from mlai_course.grading.demo_class import SOLUTION_MARKER

matplotlib.use("Agg")

ANSWERS = Path(__file__).with_name("answers")
COURSE_MAP = yaml.safe_load((REPO_ROOT / "course.yml").read_text(encoding="utf-8"))
MODULES = [module for module in COURSE_MAP["modules"] if module["kind"] == "module"]  # 01-06
MIN_RIGHT, MIN_WRONG = 2, 3


def load_bank(path: Path):
    spec = importlib.util.spec_from_file_location(f"answers_{path.stem}", path)
    bank = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bank)
    return bank


BANKS = {bank.MODULE: bank for bank in map(load_bank, sorted(ANSWERS.glob("module_*.py")))}
WRONG = [(module, *case) for module, bank in BANKS.items() for case in bank.WRONG]
RIGHT = [(module, *case) for module, bank in BANKS.items() for case in bank.RIGHT]


@cache
def cells_of(module: str) -> dict:
    """The setup cell, and the answer and test cell of every task, of a module's source notebook."""
    cells = read(REPO_ROOT / "solutions" / module / f"{module}.ipynb").cells
    return {
        nbgrader_meta(cell)["grade_id"]: cell.source for cell in cells if nbgrader_meta(cell).get("grade_id")
    }


def run(cells: dict, task: str, answer: str, hidden: bool) -> str:
    """Run setup, the answer and the task's test cell; return 'pass' or the failure."""
    test_cell = cells[f"test_{task}"] if hidden else HIDDEN_TESTS_REGION.sub("", cells[f"test_{task}"])
    namespace = {"__name__": "__main__"}
    try:
        for source in (cells["setup"], answer, test_cell):
            exec(compile(source, f"<{task}>", "exec"), namespace)
    except Exception as error:  # noqa: BLE001 - any failure of the learner's code counts
        return f"{type(error).__name__}: {error}"
    return "pass"


@pytest.mark.parametrize("module, task, wrong, answer", WRONG, ids=[f"{c[1]}: {c[2]}" for c in WRONG])
def test_wrong_answer_passes_the_visible_tests_and_fails_the_hidden_ones(module, task, wrong, answer, capsys):
    cells = cells_of(module)
    answer = textwrap.dedent(answer)
    assert run(cells, task, answer, hidden=False) == "pass", "the case should get past the visible tests"
    assert run(cells, task, answer, hidden=True) != "pass", f"the hidden tests of {task} let through: {wrong}"


@pytest.mark.parametrize("module, task, how, answer", RIGHT, ids=[f"{c[1]}: {c[2]}" for c in RIGHT])
def test_a_correct_answer_written_another_way_passes_every_test(module, task, how, answer, capsys):
    result = run(cells_of(module), task, textwrap.dedent(answer), hidden=True)
    assert result == "pass", f"{task}: a correct answer ({how}) fails: {result}"


@pytest.mark.parametrize("module, task", sorted({(c[0], c[1]) for c in WRONG + RIGHT}))
def test_the_solution_passes_every_test(module, task, capsys):
    cells = cells_of(module)
    solution = SOLUTION_MARKER.sub("", cells[task])
    assert run(cells, task, solution, hidden=True) == "pass"
    assert "✓ The visible tests for" in capsys.readouterr().out


def test_every_case_names_a_task_of_its_module():
    for module, task, *_ in WRONG + RIGHT:
        assert task in cells_of(module) and f"test_{task}" in cells_of(module), f"{module}: no task {task}"


def autograded_tasks(module: str) -> list[str]:
    """The names of a module's autograded tasks (test cells test_<name>), in notebook order."""
    cells = read(REPO_ROOT / "solutions" / module / f"{module}.ipynb").cells
    return [nbgrader_meta(cell)["grade_id"].removeprefix("test_") for cell in cells if is_test_cell(cell)]


@pytest.mark.parametrize("module", COURSE_MAP["modules"], ids=lambda module: module["name"])
def test_every_task_has_two_correct_answers_written_differently(module):
    bank = BANKS.get(module["name"])
    assert bank is not None, f"no answers bank tests/course/answers/module_{module['id']}.py"
    for task in autograded_tasks(module["name"]):
        right = [(how, textwrap.dedent(code).strip()) for name, how, code in bank.RIGHT if name == task]
        assert len(right) >= MIN_RIGHT, f"{task}: {len(right)} RIGHT answers; at least {MIN_RIGHT} expected"
        assert len({how for how, _ in right}) == len(right), f"{task}: two RIGHT answers say the same 'how'"
        assert len({code for _, code in right}) == len(right), f"{task}: two RIGHT answers are the same code"


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module["name"])
def test_every_judgement_task_has_plausible_wrong_answers(module):
    bank = BANKS.get(module["name"])
    assert bank is not None, f"no answers bank tests/course/answers/module_{module['id']}.py"
    for grade_id in module["judgement_tasks"]:
        task = grade_id.removeprefix("test_")
        wrong = {how for name, how, _ in bank.WRONG if name == task}
        assert len(wrong) >= MIN_WRONG, f"{task}: {len(wrong)} WRONG answers; at least {MIN_WRONG} expected"
