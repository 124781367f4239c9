"""The self-check without a browser: the front-end's messages in; feedback, score and saved file out.

The tests send what static/quiz.js sends (`quiz.receive({"type": "check", "id": ..., "answer": ...})`), as
the widget's comm would deliver it; tests/test_browser.py drives the same widget in a real browser.
"""

import html
import json
import re

import pytest

from mlai_course.learner.quiz import KEYBOARD_HINT, STATIC_FOLDER, SelfCheck, self_check

BANK = {
    "module": "07",
    "title": "Widget test bank",
    "questions": [
        {
            "id": "one",
            "type": "single_choice",
            "topic": "topic a",
            "source": "The Core Distinction",
            "prompt": "Who trains models?",
            "options": [
                {"text": "The ML engineer", "correct": True, "explanation": "ML engineers train models."},
                {"text": "The AI engineer", "correct": False, "explanation": "AI engineers use models."},
            ],
        },
        {
            "id": "many",
            "type": "multiple_select",
            "topic": "topic b",
            "source": "How the Roles Evolved",
            "prompt": "Which are AI engineer focus areas?",
            "options": [
                {"text": "RAG", "correct": True, "explanation": "RAG is AI focus."},
                {"text": "MLOps", "correct": False, "explanation": "MLOps is ML focus."},
                {"text": "Prompt engineering", "correct": True, "explanation": "Prompting is AI focus."},
            ],
        },
        {
            "id": "year",
            "type": "numeric",
            "topic": "topic b",
            "source": "How the Roles Evolved",
            "prompt": "How many years between the roles?",
            "answer": 7,
            "tolerance": 1,
            "unit": "years",
            "explanation": "2022 - 2015 = 7.",
        },
        {
            "id": "sort",
            "type": "classify",
            "topic": "topic a",
            "source": "The Core Distinction",
            "prompt": "Which role?",
            "items": [
                {"text": "Serving custom models", "label": "ML Engineer", "explanation": "ML serves."},
                {"text": "Integrating LLM APIs", "label": "AI Engineer", "explanation": "AI integrates."},
                {"text": "Companies needed it", "label": "Both", "explanation": "Both were needed."},
                {"text": "Bridged research", "label": "ML Engineer", "explanation": "ML bridged."},
            ],
        },
        {
            "id": "rate",
            "type": "likert",
            "topic": "self-rating",
            "source": "The Core Distinction",
            "prompt": "How sure are you?",
            "scale": ["Not yet", "Mostly", "Confidently"],
            "items": [{"text": "I can explain the difference"}, {"text": "I can name the focus areas"}],
        },
    ],
}


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(path))
    return path


@pytest.fixture
def quiz(progress_file):
    return SelfCheck(BANK)


def words(markup: str) -> str:
    """The text a reader sees (or a screen reader reads) in an HTML fragment."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def saved(progress_file) -> dict:
    return json.loads(progress_file.read_text(encoding="utf-8"))["modules"]["07"]


def check(quiz, question_id, answer) -> str:
    """Send a Check as the front-end does; return the feedback's words."""
    quiz.receive({"type": "check", "id": question_id, "answer": answer})
    return words(quiz.feedback[question_id])


def test_the_front_end_gets_each_question_but_never_its_answers(quiz):
    views = {view["id"]: view for view in quiz.views}
    assert list(views) == ["one", "many", "year", "sort", "rate"]
    assert views["one"] | {"options": None} == {
        "id": "one",
        "number": 1,
        "type": "single_choice",
        "prompt": "Who trains models?",
        "hint": "(choose one)",
        "has_answer": True,
        "check_tooltip": "Check your answer to question 1",
        "answer_tooltip": "Show the answer to question 1, with an explanation of each option",
        "options": None,
    }
    assert views["one"]["options"] == ["The ML engineer", "The AI engineer"]
    assert views["year"]["label"] == "Your answer (years):"
    assert views["sort"]["choices"] == ["ML Engineer", "AI Engineer", "Both"]
    assert views["rate"]["choices"] == ["Not yet", "Mostly", "Confidently"]
    assert views["rate"]["has_answer"] is False, "a self-rating has no Show answer button"
    shown = json.dumps(quiz.views)
    for secret in (
        '"correct"',
        '"explanation"',
        "ML engineers train models",
        "2022 - 2015",
        "ML serves",
    ):
        assert secret not in shown
    assert quiz.title == "Self-check: Widget test bank" and KEYBOARD_HINT in quiz.intro


def test_ping_gets_a_pong(quiz, monkeypatch):
    sent = []
    monkeypatch.setattr(quiz, "send", lambda content, buffers=None: sent.append(content))
    quiz._handle_custom_msg({"type": "ping"}, [])  # as the comm delivers it
    assert sent == [{"type": "pong"}]


def test_single_choice_wrong_then_right(quiz, progress_file):
    feedback = check(quiz, "one", 1)
    assert feedback.startswith("Not quite.")
    assert "✗ Your answer “The AI engineer”: AI engineers use models." in feedback
    assert "ML engineers train models" not in feedback, "a wrong answer does not give the right one away"
    assert saved(progress_file)["questions"]["one"]["score"] == 0.0

    feedback = check(quiz, "one", 0)
    assert feedback.startswith("Correct.")
    assert "✓ Your answer “The ML engineer”: ML engineers train models." in feedback
    assert "✗ “The AI engineer”: AI engineers use models." in feedback, "a right answer explains every option"
    entry = saved(progress_file)["questions"]["one"]
    assert entry | {"checked_at": None} == {
        "type": "single_choice",
        "topic": "topic a",
        "score": 1.0,
        "best_score": 1.0,
        "attempts": 2,
        "answer": "The ML engineer",
        "checked_at": None,
    }
    assert quiz.answers["one"] == 0
    assert words(quiz.summary).startswith("Score: 1 of 4 (25%), 1 of 4 questions checked.")


def test_unanswered_check_asks_for_an_answer_and_saves_nothing(quiz, progress_file):
    unanswered = {"one": None, "many": [], "year": "  ", "sort": [None] * 4, "rate": [None, None]}
    for question_id, answer in unanswered.items():
        assert "first" in check(quiz, question_id, answer)
    assert not progress_file.exists()
    assert words(quiz.summary).startswith("Score: 0 of 4 (0%), 0 of 4 questions checked.")


@pytest.mark.parametrize(
    "question_id, answer, problem",
    [
        ("one", 2, "expected an option number from 0 to 1 or nothing, got 2"),
        ("one", "The ML engineer", "expected an option number from 0 to 1 or nothing, got 'The ML engineer'"),
        ("one", True, "got True"),
        ("many", 0, "expected a list of option numbers, got 0"),
        ("year", 7, "expected the typed text, got 7"),
        ("sort", [0, 1], "expected one choice per item (4), got [0, 1]"),
        ("rate", [0, 3], "expected an option number from 0 to 2 or nothing, got 3"),
    ],
)
def test_an_answer_the_question_cannot_read_says_so_and_saves_nothing(
    quiz, progress_file, question_id, answer, problem
):
    feedback = check(quiz, question_id, answer)
    assert feedback.startswith("That answer could not be read.") and problem in feedback
    assert question_id not in quiz.answers
    assert not progress_file.exists()


def test_a_message_for_an_unknown_question_names_it(quiz):
    with pytest.raises(KeyError, match="no question with id 'nope'"):
        quiz.receive({"type": "check", "id": "nope", "answer": 0})


def test_multiple_select_partial_then_right(quiz, progress_file):
    feedback = check(quiz, "many", [0])
    assert feedback.startswith("Partly right. You found 1 of 2 right options and picked 0 wrong.")
    assert "✓ You selected “RAG”, rightly: RAG is AI focus." in feedback
    assert saved(progress_file)["questions"]["many"]["score"] == 0.5

    feedback = check(quiz, "many", [0, 1])
    assert feedback.startswith("Not quite. You found 1 of 2 right options and picked 1 wrong.")
    assert "✗ You selected “MLOps”, but it does not belong: MLOps is ML focus." in feedback
    assert saved(progress_file)["questions"]["many"]["score"] == 0.0
    assert saved(progress_file)["questions"]["many"]["best_score"] == 0.5

    feedback = check(quiz, "many", [2, 0])
    assert feedback.startswith("Correct. You found 2 of 2 right options.")
    assert "✓ You left out “MLOps”, rightly: MLOps is ML focus." in feedback
    assert saved(progress_file)["questions"]["many"]["answer"] == ["RAG", "Prompt engineering"]


@pytest.mark.parametrize(
    "typed, verdict, detail, score",
    [
        ("7", "Correct.", "✓ 7 years is right: 2022 - 2015 = 7.", 1.0),
        ("6", "Correct.", "✓ 6 years is close enough (within ±1 years)", 1.0),
        (" 8.0 ", "Correct.", "✓ 8 years is close enough", 1.0),
        ("5", "Not quite.", "✗ 5 years is too low.", 0.0),
        ("9", "Not quite.", "✗ 9 years is too high.", 0.0),
    ],
)
def test_numeric_answer_within_tolerance(quiz, progress_file, typed, verdict, detail, score):
    feedback = check(quiz, "year", typed)
    assert feedback.startswith(verdict) and detail in feedback
    assert saved(progress_file)["questions"]["year"]["score"] == score


def test_numeric_answer_that_is_not_a_number_is_not_scored(quiz, progress_file):
    assert check(quiz, "year", "seven") == "Type a number, for example 7 or 2.5. ✗ “seven” is not a number."
    assert not progress_file.exists()


def test_classify_scores_each_item(quiz, progress_file):
    feedback = check(quiz, "sort", [0, 0, 2, None])
    assert feedback.startswith("Partly right. 2 of 4 items right.")
    assert "✓ “Serving custom models”: ML Engineer is right. ML serves." in feedback
    assert "✗ “Integrating LLM APIs”: not ML Engineer. Try again." in feedback
    assert "AI integrates" not in feedback
    assert "– “Bridged research”: not answered yet." in feedback
    assert saved(progress_file)["questions"]["sort"]["score"] == 0.5

    assert check(quiz, "sort", [0, 1, 2, 0]).startswith("Correct. 4 of 4 items right.")
    assert saved(progress_file)["questions"]["sort"]["answer"] == {
        "Serving custom models": "ML Engineer",
        "Integrating LLM APIs": "AI Engineer",
        "Companies needed it": "Both",
        "Bridged research": "ML Engineer",
    }


def test_classify_all_wrong(quiz):
    assert check(quiz, "sort", [1, 2, 1, 1]).startswith("Not quite. 0 of 4 items right.")


def test_likert_is_recorded_not_scored(quiz, progress_file):
    feedback = check(quiz, "rate", [1, None])
    assert feedback.startswith("Recorded. You rated 1 of 2 statements.")
    assert "I can explain the difference: Mostly" in feedback
    entry = saved(progress_file)["questions"]["rate"]
    assert entry["score"] is None and entry["answer"] == {"I can explain the difference": 2}
    assert words(quiz.summary).startswith("Score: 0 of 4"), "self-ratings do not count"


def test_show_answer_explains_every_option(quiz, progress_file):
    quiz.receive({"type": "show_answer", "id": "many"})
    assert words(quiz.feedback["many"]) == (
        "Answer: ✓ “RAG” belongs: RAG is AI focus. ✗ “MLOps” does not belong: MLOps is ML focus. "
        "✓ “Prompt engineering” belongs: Prompting is AI focus."
    )
    assert not progress_file.exists(), "showing the answer is not an attempt"
    quiz.receive({"type": "show_answer", "id": "sort"})
    assert "✓ “Companies needed it”: Both. Both were needed." in words(quiz.feedback["sort"])
    quiz.receive({"type": "show_answer", "id": "rate"})
    assert "rate" not in quiz.feedback, "a self-rating has no answer to show"


def test_score_summary_adds_up_partial_credit(quiz):
    for question_id, answer in {"one": 0, "many": [0], "year": "20", "sort": [None] * 4}.items():
        check(quiz, question_id, answer)
    assert words(quiz.summary).startswith("Score: 1.5 of 4 (38%), 3 of 4 questions checked.")


def test_running_the_cell_again_brings_the_saved_results_back(quiz, progress_file):
    check(quiz, "one", 1)
    check(quiz, "many", [0, 2])
    check(quiz, "year", "6")
    check(quiz, "sort", [0, None, 2, None])
    check(quiz, "rate", [2, None])
    again = SelfCheck(BANK)
    assert again.answers == {
        "one": 1,
        "many": [0, 2],
        "year": "6",
        "sort": [0, None, 2, None],
        "rate": [2, None],
    }
    assert again.feedback == quiz.feedback, "the same feedback as when they were checked"
    assert again.summary == quiz.summary
    assert words(again.summary).startswith("Score: 2.5 of 4 (62%), 4 of 4 questions checked.")
    module = saved(progress_file)
    assert module["title"] == "Widget test bank" and module["scored_questions"] == 4
    assert all(entry["attempts"] == 1 for entry in module["questions"].values()), "restoring saves nothing"


def test_saved_answers_that_no_longer_fit_the_bank_are_left_out(progress_file):
    progress_file.write_text(
        json.dumps(
            {
                "version": 1,
                "modules": {
                    "07": {
                        "title": "Widget test bank",
                        "scored_questions": 4,
                        "questions": {
                            "one": {
                                "type": "single_choice",
                                "topic": "t",
                                "score": 1.0,
                                "answer": "Gone option",
                            },
                            "many": {
                                "type": "multiple_select",
                                "topic": "t",
                                "score": 0.0,
                                "answer": ["RAG", "x"],
                            },
                            "year": {"type": "numeric", "topic": "t", "score": 0.0, "answer": "seven"},
                            "sort": {
                                "type": "classify",
                                "topic": "t",
                                "score": 0.5,
                                "answer": {"Old": "Both"},
                            },
                            "rate": {
                                "type": "likert",
                                "topic": "t",
                                "score": None,
                                "answer": {"I can explain the difference": 9},
                            },
                        },
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    quiz = SelfCheck(BANK)
    assert quiz.answers == {} and quiz.feedback == {}
    assert words(quiz.summary).startswith("Score: 1.5 of 4"), "the saved scores still count"


def test_feedback_never_relies_on_colour(quiz):
    answers = {"one": 1, "many": [1], "year": "1", "sort": [2, None, None, None], "rate": [0, 0]}
    for question_id, answer in answers.items():
        check(quiz, question_id, answer)
        assert "color" not in quiz.feedback[question_id] and "style" not in quiz.feedback[question_id]
    assert "✗" in quiz.feedback["one"] and "<strong>Not quite.</strong>" in quiz.feedback["one"]


def test_the_front_end_files_ship_with_the_package(quiz):
    script = (STATIC_FOLDER / "quiz.js").read_text(encoding="utf-8")
    assert quiz._esm == script and "export default { render }" in script
    assert quiz._css == (STATIC_FOLDER / "quiz.css").read_text(encoding="utf-8")
    assert "data-lm-suppress-shortcuts" in script
    assert "Run this cell to answer again: your saved results come back." in script


def test_module_01_first_question(progress_file):
    quiz = self_check("01")
    first = quiz.questions[0]
    right = next(n for n, option in enumerate(first.spec["options"]) if option["correct"])
    assert check(quiz, first.spec["id"], right).startswith("Correct.")
    entry = json.loads(progress_file.read_text())["modules"]["01"]["questions"][first.spec["id"]]
    assert entry["score"] == 1


def right_answer(spec: dict):
    """The answer the front-end would send for a fully right (or, for a self-rating, top) answer."""
    if spec["type"] == "single_choice":
        return next(n for n, option in enumerate(spec["options"]) if option["correct"])
    if spec["type"] == "multiple_select":
        return [n for n, option in enumerate(spec["options"]) if option["correct"]]
    if spec["type"] == "numeric":
        return str(spec["answer"])
    if spec["type"] == "classify":
        return [["ML Engineer", "AI Engineer", "Both"].index(item["label"]) for item in spec["items"]]
    scale = spec.get("scale", ["Not yet", "A little", "Mostly", "Confidently"])
    return [len(scale) - 1] * len(spec["items"])


@pytest.mark.parametrize("module_id", ["01", "02", "03"])
def test_every_course_question_can_be_answered_right(progress_file, module_id):
    quiz = self_check(module_id)
    for question in quiz.questions:
        spec = question.spec
        expected = "Recorded." if spec["type"] == "likert" else "Correct."
        assert check(quiz, spec["id"], right_answer(spec)).startswith(expected), spec["id"]
    assert words(quiz.summary).startswith(f"Score: {quiz.total} of {quiz.total} (100%)")
