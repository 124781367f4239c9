"""Judge a notebook that ran: each test cell's points from what the grader observed, and canary tests.

A test passes when the kernel's execute_reply said ok and the cell has no error output (stderr is fine).
The grader observed the replies itself; nothing the student's code wrote into the notebook decides it.

Canary test cells are tests that must fail, to catch a kernel that reports every cell as a success.

Student code runs in the kernel it is graded in, so it can make that kernel lie: patch IPython's `run_cell`,
add an input transformer that empties every cell, replace the kernel process with a fake one (`os.execv`)
that answers "ok" to everything. No check inside the kernel can stop that. Canaries make it visible: the
grader adds a few cells shaped like the real test cells (a copy of one, with its hidden part) into which it
puts a statement that fails, chosen at random per run from several mechanisms (a false assert, an exception, a
wrong isinstance, a missing key, an index out of range...) at a random statement boundary. An honest kernel
fails every canary. A canary that "passes" means the kernel lied: the student gets `tampered`.

Canaries are removed from the notebook after it ran: they never reach the gradebook, the autograded notebook
or the feedback. What they cannot do: see `What the grader protects against` in grading/README.md.
"""

import ast
import secrets
from dataclasses import dataclass

import nbformat
from nbgrader import utils as nbgrader_utils

from mlai_course.grading.intake import nbgrader_meta

_random = secrets.SystemRandom()
WORDS = ["table", "rows", "role", "entry", "result", "value", "column", "order", "years", "items"]
MESSAGES = [
    "should work for any table",
    "one entry per role",
    "keep the order of the rank column",
    "the result has the wrong type",
    "check the edge case",
    "sort any role's rows",
]


def failing_statement() -> str:
    """One statement that fails in any honest Python kernel, in a randomly chosen way."""
    word = _random.choice(WORDS)
    number = _random.randrange(2, 10_000)
    message = _random.choice(MESSAGES)
    mechanisms = [
        f"assert False, {message!r}",
        f"assert {number} == {number + _random.randrange(1, 50)}, {message!r}",
        f"assert isinstance({number}, str), {message!r}",
        f"raise AssertionError({message!r})",
        f"raise ValueError({word!r})",
        f"{{}}[{word!r}]",
        f"[][{number}]",
        f"assert len([{number}]) == 0, {message!r}",
        f"assert {word!r}.startswith({(word + 'x')!r}), {message!r}",
    ]
    return _random.choice(mechanisms)


def statement_boundaries(source: str) -> list[int]:
    """0-based line numbers before which a new top-level statement may go (before a statement, or the end)."""
    lines = source.splitlines()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [len(lines)]
    return sorted({node.lineno - 1 for node in tree.body} | {len(lines)})


def canary_source(test_source: str) -> str:
    """A copy of a test cell's source with a failing statement at a random top-level boundary."""
    lines = test_source.splitlines()
    where = _random.choice(statement_boundaries(test_source))
    return "\n".join([*lines[:where], failing_statement(), *lines[where:]])


def insert_canaries(notebook, count: int | None = None) -> list:
    """Add canary cells next to random real test cells (before or after); return the canary cells."""
    tests = [index for index, cell in enumerate(notebook.cells) if is_test_cell(cell)]
    if not tests:
        return []
    count = count if count is not None else _random.randint(2, 3)
    canaries = []
    for _ in range(count):
        original = notebook.cells[_random.choice(tests)]
        cell = nbformat.v4.new_code_cell(canary_source(original.source))
        cell.metadata = nbformat.from_dict(
            {
                **{key: value for key, value in original.metadata.items() if key != "nbgrader"},
                "nbgrader": {**nbgrader_meta(original), "grade_id": f"test_{secrets.token_hex(4)}"},
            }
        )
        canaries.append((original, cell))
    for original, cell in canaries:
        position = notebook.cells.index(original) + _random.choice([0, 1])
        notebook.cells.insert(position, cell)
    return [cell for _, cell in canaries]


def remove_canaries(notebook, canaries: list) -> None:
    """Take the canary cells out again (by identity), and renumber the execution counts left."""
    ids = {id(cell) for cell in canaries}
    notebook.cells = [cell for cell in notebook.cells if id(cell) not in ids]
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = count


# ---------------------------------------------------------------- verdicts


def is_test_cell(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def test_passed(cell, replies: dict[int, str]) -> bool:
    """A test passes when its execute_reply said ok and it produced no error output (stderr is fine)."""
    return replies.get(id(cell)) == "ok" and not any(
        output.get("output_type") == "error" for output in cell.get("outputs", [])
    )


@dataclass
class Verdict:
    """What the grader concluded for one notebook: auto scores per grade cell, comments per answer cell."""

    auto_scores: dict[str, float | None]
    no_response: dict[str, bool]


def judge(notebook, replies: dict[int, str]) -> Verdict:
    scores, no_response = {}, {}
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        unchanged = meta.get("checksum") == nbgrader_utils.compute_checksum(cell)
        if meta.get("grade"):
            if meta.get("solution"):
                scores[grade_id] = 0.0 if unchanged else None
            elif cell.cell_type == "code":
                scores[grade_id] = float(meta.get("points", 0)) if test_passed(cell, replies) else 0.0
            else:
                scores[grade_id] = None
        if meta.get("solution") or meta.get("task"):
            no_response[grade_id] = unchanged and not meta.get("task")
    return Verdict(scores, no_response)


@dataclass
class Judgement:
    """The verdict on one notebook that ran: `tampered` when a canary passed, else each cell's points."""

    status: str
    reason: str = ""
    verdict: Verdict | None = None
    interrupted: bool = False


def judge_run(notebook, replies: dict[int, str], interrupted: list[int], canaries: list) -> Judgement:
    """Check the canaries, take them out, then judge every test cell (the notebook is changed in place)."""
    lying = [cell for cell in canaries if test_passed(cell, replies)]
    if lying:
        return Judgement(
            "tampered",
            f"{len(lying)} of {len(canaries)} tests that must fail were reported as passed: the notebook "
            "changes how the kernel runs or reports cells; look at it yourself",
        )
    was_interrupted = any(id(cell) in interrupted for cell in notebook.cells)
    remove_canaries(notebook, canaries)
    return Judgement("ok", verdict=judge(notebook, replies), interrupted=was_interrupted)
