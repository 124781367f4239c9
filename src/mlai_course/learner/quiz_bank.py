"""Read and check the self-check question banks in data/quiz_banks/.

Each module has one YAML bank, `NN-topic.yaml`; the role-fit assessment has `role-fit.yaml`.
A bank is checked twice before any widget is built:

1. against the JSON Schema committed beside this module (`quiz_bank.schema.json`): field names, types,
   question types, labels, non-negative tolerances;
2. by `check_rules`, for what a schema says badly: exactly one correct single-choice option, at least one
   correct multiple-select option, unique question ids, a `module` that matches the file name.

Any problem raises `QuizBankError`, whose message names the file and the question (number and id).
"""

import json
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from mlai_course.learner.data import DataFileError, data_path
from mlai_course.learner.json_schema import jsonschema

BANK_FOLDER = "quiz_banks"
SCHEMA_FILE = "quiz_bank.schema.json"
ROLE_FIT = "role-fit"
ROLES = ("ML Engineer", "AI Engineer", "Both")
SCORED_TYPES = ("single_choice", "multiple_select", "numeric", "classify")


class QuizBankError(DataFileError):
    """A question bank is missing or malformed. The message names the file and the question."""


@cache
def bank_schema() -> dict:
    """The committed JSON Schema every bank must match."""
    text = resources.files("mlai_course.learner").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def bank_folder() -> Path:
    return data_path(BANK_FOLDER)


def bank_files() -> list[Path]:
    """Every question bank in data/quiz_banks/."""
    return sorted(bank_folder().glob("*.yaml"))


def find_bank_file(module_id: str) -> Path:
    """The bank file of a module ('01' finds 01-*.yaml; 'role-fit' finds role-fit.yaml)."""
    folder = bank_folder()
    pattern = f"{ROLE_FIT}.yaml" if module_id == ROLE_FIT else f"{module_id}-*.yaml"
    matches = sorted(folder.glob(pattern))
    if len(matches) != 1:
        found = ", ".join(p.name for p in matches) or "none"
        raise QuizBankError(
            f"{folder}: expected one question bank named {pattern} for module {module_id!r}, found {found}"
        )
    return matches[0]


def load_bank(module_id: str) -> dict:
    """Load and check the question bank of a module, e.g. '01' or 'role-fit'."""
    return load_bank_file(find_bank_file(module_id))


def load_bank_file(path: Path) -> dict:
    """Load a bank file, check it against the schema and the rules, and return it as a dict."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            bank = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError) as error:
        raise QuizBankError(f"{path}: cannot read the question bank: {error}") from error
    except yaml.YAMLError as error:
        raise QuizBankError(f"{path}: not valid YAML: {error}") from error
    if bank is None:
        raise QuizBankError(f"{path}: the question bank is empty; it needs module, title and questions")
    if not isinstance(bank, dict):
        raise QuizBankError(
            f"{path}: the question bank must be a mapping with module, title and questions, "
            f"not a {type(bank).__name__}"
        )
    problems = schema_problems(bank) or check_rules(bank, path)
    if len(problems) == 1:
        raise QuizBankError(f"{path}: {problems[0]}")
    if problems:
        raise QuizBankError(f"{path}: {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems))
    return bank


def question_label(bank: dict, index: int) -> str:
    """'question 3 (id 'focus')': how error messages name a question."""
    question = bank["questions"][index]
    qid = question.get("id") if isinstance(question, dict) else None
    return f"question {index + 1}" + (f" (id {qid!r})" if qid is not None else "")


def _field_path(parts: list) -> str:
    """['options', 1, 'correct'] -> 'options item 2, correct'."""
    words = []
    for part in parts:
        if isinstance(part, int):
            item = f"item {part + 1}"
            if words:
                words[-1] += f" {item}"
            else:
                words.append(item)
        else:
            words.append(str(part))
    return ", ".join(words)


def schema_problems(bank: dict) -> list[str]:
    """Describe every way the bank breaks the schema, one line each, naming the question."""
    validator = jsonschema.Draft202012Validator(bank_schema())
    errors = sorted(validator.iter_errors(bank), key=lambda e: [str(p) for p in e.absolute_path])
    # A field that fails its type's checks also counts as "unevaluated"; report only the real failure.
    failing = {tuple(e.absolute_path)[:2] for e in errors if e.validator != "unevaluatedProperties"}
    problems = []
    for error in errors:
        path = list(error.absolute_path)
        if path[:1] == ["questions"] and len(path) >= 2:
            if error.validator == "unevaluatedProperties" and tuple(path[:2]) in failing:
                continue
            where = question_label(bank, path[1])
            field = _field_path(path[2:])
            problems.append(f"{where}: {field + ': ' if field else ''}{error.message}")
        else:
            field = _field_path(path)
            problems.append(f"{field + ': ' if field else ''}{error.message}")
    return problems


def check_rules(bank: dict, path: Path) -> list[str]:
    """Rules beyond the schema; returns one line per problem, naming the question."""
    problems = []
    expected_module = ROLE_FIT if path.stem == ROLE_FIT else path.stem.split("-", 1)[0]
    if bank["module"] != expected_module:
        problems.append(f"module is {bank['module']!r} but the file name says {expected_module!r}")
    first_use = {}
    for index, question in enumerate(bank["questions"]):
        where = question_label(bank, index)
        if question["id"] in first_use:
            problems.append(
                f"{where}: duplicate id; question {first_use[question['id']] + 1} already uses it"
            )
        first_use.setdefault(question["id"], index)
        kind = question["type"]
        if kind in ("single_choice", "multiple_select"):
            correct = [n + 1 for n, option in enumerate(question["options"]) if option["correct"]]
            if kind == "single_choice" and len(correct) != 1:
                problems.append(
                    f"{where}: a single_choice question needs exactly one option with correct: true, "
                    f"found {len(correct)}" + (f" (options {correct})" if correct else "")
                )
            if kind == "multiple_select" and not correct:
                problems.append(f"{where}: a multiple_select question needs at least one correct option")
    return problems


def scored_questions(bank: dict) -> list[dict]:
    """The questions that have a right answer (Likert self-ratings have none)."""
    return [question for question in bank["questions"] if question["type"] in SCORED_TYPES]
