"""Question banks: every committed bank is valid, and every kind of bad bank fails with a clear message."""

import copy
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO_ROOT, source_article_text

from mlai_course.learner.quiz import show_self_check
from mlai_course.learner.quiz_bank import (
    QuizBankError,
    bank_files,
    bank_schema,
    find_bank_file,
    load_bank,
    load_bank_file,
)

BANKS = sorted((REPO_ROOT / "data" / "quiz_banks").glob("*.yaml"))

GOOD_BANK = {
    "module": "07",
    "title": "A test bank",
    "questions": [
        {
            "id": "pick-one",
            "type": "single_choice",
            "topic": "t",
            "source": "The Core Distinction",
            "prompt": "Pick one",
            "options": [
                {"text": "A", "correct": True, "explanation": "A is right."},
                {"text": "B", "correct": False, "explanation": "B is wrong."},
            ],
        },
        {
            "id": "how-many",
            "type": "numeric",
            "topic": "t",
            "source": "How the Roles Evolved",
            "prompt": "How many?",
            "answer": 7,
            "tolerance": 1,
            "explanation": "Seven.",
        },
        {
            "id": "sort-them",
            "type": "classify",
            "topic": "t",
            "source": "The Core Distinction",
            "prompt": "Which role?",
            "items": [{"text": "Trains models", "label": "ML Engineer", "explanation": "It trains."}],
        },
    ],
}


def seed_text() -> str:
    return source_article_text()


def write_bank(tmp_path: Path, content, name="07-test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content), encoding="utf-8")
    return path


def bad_bank(change) -> dict:
    bank = copy.deepcopy(GOOD_BANK)
    change(bank)
    return bank


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(bank_schema())


def test_the_good_test_bank_loads(tmp_path):
    assert load_bank_file(write_bank(tmp_path, GOOD_BANK))["title"] == "A test bank"


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_every_committed_bank_is_valid(path):
    bank = load_bank_file(path)
    assert bank["questions"]


def test_bank_files_lists_the_committed_banks():
    assert bank_files() == BANKS
    assert {p.name for p in BANKS} >= {"01-core-distinction.yaml", "role-fit.yaml"}


def test_every_module_has_a_bank():
    for module in sorted((REPO_ROOT / "solutions").iterdir()):
        number = module.name.split("-", 1)[0]
        assert load_bank(number)["module"] == number


def test_every_module_bank_ends_with_an_exit_ticket():
    for module in sorted((REPO_ROOT / "solutions").iterdir()):
        questions = load_bank(module.name.split("-", 1)[0])["questions"]
        assert questions[-1]["id"].startswith("exit-ticket"), f"{module.name}: end with an exit ticket"


def test_data_readme_counts_the_questions_of_every_bank():
    readme = (REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for path in BANKS:
        if path.name != "role-fit.yaml":
            count = len(load_bank_file(path)["questions"])
            assert f"`{path.name}`: {count} questions" in readme, f"data/README.md: {path.name} has {count}"


def test_module_01_bank_uses_every_question_type():
    types = {question["type"] for question in load_bank("01")["questions"]}
    assert types == {"single_choice", "multiple_select", "numeric", "classify", "likert"}


def test_module_01_bank_rests_on_its_two_seed_sections():
    allowed = {"The Core Distinction", "How the Roles Evolved"}
    for question in load_bank("01")["questions"]:
        sections = set(question["source"].split("; "))
        assert sections <= allowed, f"{question['id']}: source {question['source']!r}"


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.name)
def test_every_source_names_a_seed_section(path):
    headings = set(seed_text().splitlines())
    for question in load_bank_file(path)["questions"]:
        for section in question["source"].split("; "):
            assert section in headings, f"{path.name}: {question['id']}: {section!r} is not a seed heading"


def test_classify_answers_in_module_01_include_both():
    labels = {
        item["label"]
        for question in load_bank("01")["questions"]
        if question["type"] == "classify"
        for item in question["items"]
    }
    assert labels == {"ML Engineer", "AI Engineer", "Both"}


def drop_prompt(bank):
    del bank["questions"][1]["prompt"]


def set_field(question_index, **fields):
    return lambda bank: bank["questions"][question_index].update(fields)


def set_option(option_index, **fields):
    return lambda bank: bank["questions"][0]["options"][option_index].update(fields)


def drop_tolerance(bank):
    del bank["questions"][1]["tolerance"]


BAD_BANKS = {
    "missing required field": (
        drop_prompt,
        ["question 2 (id 'how-many')", "'prompt' is a required property"],
    ),
    "unknown question type": (
        set_field(1, type="essay"),
        ["question 2 (id 'how-many')", "type", "'essay' is not one of"],
    ),
    "single choice with no correct option": (
        set_option(0, correct=False),
        ["question 1 (id 'pick-one')", "exactly one option with correct: true, found 0"],
    ),
    "single choice with two correct options": (
        set_option(1, correct=True),
        ["question 1 (id 'pick-one')", "exactly one option with correct: true, found 2 (options [1, 2])"],
    ),
    "numeric without tolerance": (
        drop_tolerance,
        ["question 2 (id 'how-many')", "'tolerance' is a required property"],
    ),
    "numeric with negative tolerance": (
        set_field(1, tolerance=-1),
        ["question 2 (id 'how-many')", "tolerance", "-1 is less than the minimum of 0"],
    ),
    "classify label outside the three roles": (
        lambda bank: bank["questions"][2]["items"][0].update(label="Data Scientist"),
        ["question 3 (id 'sort-them')", "items item 1, label", "'Data Scientist' is not one of"],
    ),
    "duplicate question ids": (
        set_field(2, id="pick-one"),
        ["question 3 (id 'pick-one')", "duplicate id; question 1 already uses it"],
    ),
    "correct given as a string": (
        set_option(1, correct="no"),
        ["question 1 (id 'pick-one')", "options item 2, correct", "'no' is not of type 'boolean'"],
    ),
    "correct given as a number": (
        set_option(1, correct=0),
        ["question 1 (id 'pick-one')", "options item 2, correct", "0 is not of type 'boolean'"],
    ),
    "misspelt field": (
        set_field(1, tolerence=1),
        ["question 2 (id 'how-many')", "'tolerence' was unexpected"],
    ),
    "multiple select with no correct option": (
        set_field(
            0, type="multiple_select", options=[{"text": "A", "correct": False, "explanation": "x"}] * 2
        ),
        ["question 1 (id 'pick-one')", "multiple_select question needs at least one correct option"],
    ),
    "module that does not match the file name": (
        lambda bank: bank.update(module="08"),
        ["module is '08' but the file name says '07'"],
    ),
    "no questions": (lambda bank: bank.update(questions=[]), ["questions", "should be non-empty"]),
}


@pytest.mark.parametrize("case", BAD_BANKS, ids=str)
def test_bad_bank_error_names_the_file_and_the_question(tmp_path, case):
    change, expected = BAD_BANKS[case]
    path = write_bank(tmp_path, bad_bank(change))
    with pytest.raises(QuizBankError) as raised:
        load_bank_file(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
    assert "\n" not in message, "one problem, one line"
    if case != "misspelt field":
        assert "Unevaluated" not in message, "a failing field is reported once, not also as unexpected"


def test_several_problems_are_listed_one_per_line(tmp_path):
    def two_problems(bank):
        bank["questions"][0]["options"][1]["correct"] = "no"
        bank["questions"][1]["tolerance"] = -1

    path = write_bank(tmp_path, bad_bank(two_problems))
    with pytest.raises(QuizBankError) as raised:
        load_bank_file(path)
    lines = str(raised.value).splitlines()
    assert lines[0] == f"{path}: 2 problems:"
    assert lines[1].startswith("  - question 1 (id 'pick-one'): options item 2, correct:")
    assert lines[2].startswith("  - question 2 (id 'how-many'): tolerance:")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("module: '07'\nquestions: [\n  - id: a\n", "not valid YAML"),
        ("module: '07'\n  title: indented wrongly\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping with module, title and questions, not a list"),
        ("just a sentence\n", "must be a mapping with module, title and questions, not a str"),
        ("", "the question bank is empty"),
        ("# only a comment\n", "the question bank is empty"),
    ],
    ids=["unclosed list", "bad indent", "a list", "a string", "empty", "only a comment"],
)
def test_unreadable_bank_error_names_the_file(tmp_path, text, expected):
    path = write_bank(tmp_path, text)
    with pytest.raises(QuizBankError) as raised:
        load_bank_file(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert expected in str(raised.value)


def test_yaml_syntax_error_says_where(tmp_path):
    path = write_bank(tmp_path, "module: '07'\nquestions: [\n  - id: a\n")
    with pytest.raises(QuizBankError, match=r"line \d+") as raised:
        load_bank_file(path)
    assert f'in "{path}", line 3' in str(raised.value)


def test_bank_that_is_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "07-test.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(QuizBankError, match="cannot read the question bank"):
        load_bank_file(path)


def course_data(tmp_path, monkeypatch, banks: dict) -> Path:
    data = tmp_path / "data"
    (data / "quiz_banks").mkdir(parents=True)
    (data / "README.md").write_text("test data\n", encoding="utf-8")
    for name, content in banks.items():
        write_bank(data / "quiz_banks", content, name)
    monkeypatch.setenv("MLAI_COURSE_DATA", str(data))
    return data


def test_missing_bank_names_the_folder_and_the_pattern(tmp_path, monkeypatch):
    data = course_data(tmp_path, monkeypatch, {})
    with pytest.raises(QuizBankError) as raised:
        find_bank_file("07")
    assert str(data / "quiz_banks") in str(raised.value) and "07-*.yaml" in str(raised.value)


def test_two_banks_for_one_module_is_an_error(tmp_path, monkeypatch):
    course_data(tmp_path, monkeypatch, {"07-a.yaml": GOOD_BANK, "07-b.yaml": GOOD_BANK})
    with pytest.raises(QuizBankError, match="07-a.yaml, 07-b.yaml"):
        find_bank_file("07")


def test_show_self_check_on_a_bad_bank_raises_the_clear_error(tmp_path, monkeypatch):
    data = course_data(tmp_path, monkeypatch, {"07-test.yaml": bad_bank(set_field(1, tolerance=-1))})
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    with pytest.raises(QuizBankError, match=r"07-test.yaml: question 2 \(id 'how-many'\)") as raised:
        show_self_check("07")
    assert str(data) in str(raised.value)
