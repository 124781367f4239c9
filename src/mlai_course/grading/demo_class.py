"""A demo class: one submission per fault kind the grading pipeline must survive.

`mlai-course demo-class DIR` writes, for one module (default: the first in solutions/),

- DIR/submitted/<student>/<module>/...   the nbgrader layout `mlai-course grade` reads;
- DIR/lms-export.zip                     the same class as an LMS download (Canvas/Moodle-style file names).

Every submission is built from the current release (notebooks/) and source (solutions/), never from
hard-coded notebook text, so the demo class follows the course when a notebook changes. Which answers each
student gets right is described in terms of the module's graded tasks: "the first task" is the first test cell
(nbgrader grade cell) and the answer cells before it.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$\n?", re.M)

# An endless loop inside C: deque consumes an endless iterator without ever running Python bytecode or
# checking for signals, so SIGINT (the kernel interrupt nbgrader sends on a cell timeout) cannot stop it.
# (Catastrophic regex backtracking does not do: the regex engine checks for signals and is interrupted.)
C_BUSY_LOOP = "import collections, itertools\ncollections.deque(itertools.repeat(None), maxlen=0)\n"
KERNEL_CRASH = "import os\nos._exit(1)\n"
SYS_EXIT = "import sys\nsys.exit()\n"
PYTHON_LOOP = "while True:\n    pass\n"
# Makes every later cell an empty one, so every test "passes": the grader's canary tests catch it.
EMPTY_EVERY_CELL = "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n"
STDERR_DEBUG = "    import sys\n    print('debug: my function was called', file=sys.stderr)\n"
HUGE_LINE_CHARACTERS = 5_000_000


@dataclass(frozen=True)
class FaultKind:
    student_id: str
    description: str


FAULT_KINDS = [
    FaultKind("perfect", "every task solved"),
    FaultKind("blank", "the release as downloaded, nothing answered"),
    FaultKind("partly-right", "only the first task solved"),
    FaultKind("edited-test", "first task unanswered, its locked test cell edited to `pass`"),
    FaultKind("deleted-test", "first task unanswered, its test cell deleted"),
    FaultKind("python-loop", "first answer starts with `while True: pass`"),
    FaultKind("c-busy-loop", "first answer starts with an endless loop in C that ignores interrupts"),
    FaultKind("kernel-crash", "first answer starts with `os._exit(1)`"),
    FaultKind("sys-exit", "first answer starts with `sys.exit()`"),
    FaultKind("invalid-json", "the notebook file is cut off half-way (invalid JSON)"),
    FaultKind("missing-notebook", "the submission folder holds no notebook"),
    FaultKind("huge-output", "a stored 5 MB one-line output, and a new cell printing one"),
    FaultKind("renamed-notebook", "all solved, but the notebook saved as '<module> (1).ipynb'"),
    FaultKind("extra-files", "all solved, plus a stray mlai_course.py, a CSV and a scratch notebook"),
    FaultKind("tampered", "nothing answered; a first cell makes the kernel empty every later cell"),
    FaultKind("lost-metadata", "all solved, but saved by another editor: no nbgrader metadata left"),
    FaultKind("stderr-debug", "all solved; the first answer prints a debug line to stderr"),
]


def graded_tasks(notebook) -> list[tuple[str, float]]:
    """The (grade_id, points) of every test cell (graded, not an answer), in notebook order."""
    tasks = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            tasks.append((meta["grade_id"], float(meta.get("points", 0))))
    return tasks


def first_task_cells(notebook) -> tuple[list[str], int]:
    """The grade_ids of the answer cells before the first test cell, and that test cell's index."""
    answers = []
    for index, cell in enumerate(notebook.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            answers.append(meta["grade_id"])
        elif meta.get("grade"):
            return answers, index
    raise ValueError("the notebook has no test cell")


def answer_cells(notebook) -> dict:
    """Map grade_id to cell for every answer cell (nbgrader solution cell) of a notebook."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def solved_copy(student_notebook, source_notebook, only: list[str] | None = None):
    """A copy of the student notebook with the answer cells (all, or those in `only`) filled in from the
    source's solutions: a perfect submission, for tests, demos and benchmarks."""
    solved = nbformat.from_dict(student_notebook)
    solutions = answer_cells(source_notebook)
    for grade_id, cell in answer_cells(solved).items():
        if only is None or grade_id in only:
            cell.source = SOLUTION_MARKER.sub("", solutions[grade_id].source)
    return solved


def _prefix_first_answer(notebook, code: str):
    """Put `code` at the top of the first task's answer cell, so the answer never gets defined."""
    first_answers, _ = first_task_cells(notebook)
    cell = answer_cells(notebook)[first_answers[0]]
    cell.source = code + cell.source
    return notebook


def _all_but_first(student, source):
    """Every task solved except the first."""
    first_answers, _ = first_task_cells(student)
    others = [grade_id for grade_id in answer_cells(student) if grade_id not in first_answers]
    return solved_copy(student, source, only=others)


def _huge_line() -> str:
    return "x" * HUGE_LINE_CHARACTERS + "\n"


def build_submission(kind: str, name: str, student, source) -> dict[str, bytes]:
    """The files (file name -> content) one demo student hands in for module `name`."""
    notebook_file = f"{name}.ipynb"

    def as_bytes(notebook) -> bytes:
        return nbformat.writes(notebook).encode("utf-8")

    if kind == "perfect":
        return {notebook_file: as_bytes(solved_copy(student, source))}
    if kind == "blank":
        return {notebook_file: as_bytes(student)}
    if kind == "partly-right":
        first_answers, _ = first_task_cells(student)
        return {notebook_file: as_bytes(solved_copy(student, source, only=first_answers))}
    if kind == "edited-test":
        notebook = _all_but_first(student, source)
        _, test_index = first_task_cells(notebook)
        notebook.cells[test_index].source = "# the tests were too strict\npass"
        return {notebook_file: as_bytes(notebook)}
    if kind == "deleted-test":
        notebook = _all_but_first(student, source)
        _, test_index = first_task_cells(notebook)
        del notebook.cells[test_index]
        return {notebook_file: as_bytes(notebook)}
    if kind == "python-loop":
        return {notebook_file: as_bytes(_prefix_first_answer(solved_copy(student, source), PYTHON_LOOP))}
    if kind == "c-busy-loop":
        return {notebook_file: as_bytes(_prefix_first_answer(solved_copy(student, source), C_BUSY_LOOP))}
    if kind == "kernel-crash":
        return {notebook_file: as_bytes(_prefix_first_answer(solved_copy(student, source), KERNEL_CRASH))}
    if kind == "sys-exit":
        return {notebook_file: as_bytes(_prefix_first_answer(solved_copy(student, source), SYS_EXIT))}
    if kind == "invalid-json":
        text = as_bytes(solved_copy(student, source))
        return {notebook_file: text[: len(text) // 2]}
    if kind == "missing-notebook":
        return {"README.txt": b"Sorry, I will send my notebook later.\n"}
    if kind == "huge-output":
        notebook = solved_copy(student, source)
        first_answers, _ = first_task_cells(notebook)
        answer_cells(notebook)[first_answers[0]].outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=_huge_line())
        ]
        notebook.cells.append(nbformat.v4.new_code_cell(f'print("x" * {HUGE_LINE_CHARACTERS})'))
        return {notebook_file: as_bytes(notebook)}
    if kind == "renamed-notebook":
        return {f"{name} (1).ipynb": as_bytes(solved_copy(student, source))}
    if kind == "tampered":
        notebook = nbformat.from_dict(student)
        first_answers, _ = first_task_cells(notebook)
        position = notebook.cells.index(answer_cells(notebook)[first_answers[0]])
        notebook.cells.insert(position, nbformat.v4.new_code_cell(EMPTY_EVERY_CELL))
        return {notebook_file: as_bytes(notebook)}
    if kind == "lost-metadata":
        notebook = solved_copy(student, source)
        for cell in notebook.cells:
            cell.metadata = nbformat.NotebookNode()
        return {notebook_file: as_bytes(notebook)}
    if kind == "stderr-debug":  # stock nbgrader gives 0 points to a test cell with any stderr output
        notebook = solved_copy(student, source)
        first_answers, _ = first_task_cells(notebook)
        cell = answer_cells(notebook)[first_answers[0]]
        lines = cell.source.splitlines(keepends=True)
        where = next(index for index, line in enumerate(lines) if line.startswith("def ")) + 1
        cell.source = "".join([*lines[:where], STDERR_DEBUG, *lines[where:]])
        return {notebook_file: as_bytes(notebook)}
    if kind == "extra-files":
        scratch = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        return {
            notebook_file: as_bytes(solved_copy(student, source)),
            "scratch.ipynb": as_bytes(scratch),
            # would shadow the course's helper package if the grader let it into the kernel's folder
            "mlai_course.py": b"raise RuntimeError('a stray script must never be imported by the grader')\n",
            "my-notes.csv": b"role,note\nML Engineer,trains models\n",
        }
    raise ValueError(f"unknown fault kind {kind!r}")


def lms_file_name(student_id: str, index: int, file_name: str) -> str:
    """A Canvas/Moodle-style download name: <student>_<submission number>_<original file name>."""
    return f"{student_id}_{1000 + index}_{file_name}"


def make_demo_class(course_root: Path, out_dir: Path, assignment: str) -> list[FaultKind]:
    """Write the demo class for a module (submitted/ and lms-export.zip) into out_dir; return its kinds."""
    student = nbformat.read(course_root / "notebooks" / assignment / f"{assignment}.ipynb", as_version=4)
    source = nbformat.read(course_root / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    if len(graded_tasks(source)) < 2:
        raise ValueError(f"{assignment}: the demo class needs a module with at least two graded tasks")
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_dir / "lms-export.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, kind in enumerate(FAULT_KINDS):
            files = build_submission(kind.student_id, assignment, student, source)
            folder = out_dir / "submitted" / kind.student_id / assignment
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.iterdir():
                old.unlink()
            for file_name, content in files.items():
                (folder / file_name).write_bytes(content)
                archive.writestr(lms_file_name(kind.student_id, index, file_name), content)
    return FAULT_KINDS
