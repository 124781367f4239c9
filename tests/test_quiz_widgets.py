"""Drive the self-check widgets headlessly: set values, click Check, check feedback, score and saved file."""

import html
import json
import re

import pytest

from mlai_course.quiz import SelfCheck, self_check

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


def question(quiz, qid):
    return next(q for q in quiz.questions if q.spec["id"] == qid)


def test_every_question_has_a_check_button_with_a_tooltip(quiz):
    for q in quiz.questions:
        assert q.check_button.description == "Check"
        assert q.check_button.tooltip == f"Check your answer to question {q.number}"
    scored = [q for q in quiz.questions if q.spec["type"] != "likert"]
    assert all(q.answer_button.description == "Show answer" and q.answer_button.tooltip for q in scored)


def test_single_choice_wrong_then_right(quiz, progress_file):
    q = question(quiz, "one")
    q.choice.value = "The AI engineer"
    q.check_button.click()
    feedback = words(q.feedback.value)
    assert feedback.startswith("Not quite.")
    assert "✗ Your answer “The AI engineer”: AI engineers use models." in feedback
    assert "ML engineers train models" not in feedback, "a wrong answer does not give the right one away"
    assert 'role="status"' in q.feedback.value
    assert saved(progress_file)["questions"]["one"]["score"] == 0.0

    q.choice.value = "The ML engineer"
    q.check_button.click()
    feedback = words(q.feedback.value)
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
    assert words(quiz.summary.value).startswith("Score: 1 of 4 (25%), 1 of 4 questions checked.")


def test_unanswered_check_asks_for_an_answer_and_saves_nothing(quiz, progress_file):
    for q in quiz.questions:
        q.check_button.click()
        assert "first" in words(q.feedback.value)
    assert not progress_file.exists()
    assert words(quiz.summary.value).startswith("Score: 0 of 4 (0%), 0 of 4 questions checked.")


def test_multiple_select_partial_then_right(quiz, progress_file):
    q = question(quiz, "many")
    q.boxes[0].value = True
    q.check_button.click()
    assert words(q.feedback.value).startswith(
        "Partly right. You found 1 of 2 right options and picked 0 wrong."
    )
    assert "✓ You selected “RAG”, rightly: RAG is AI focus." in words(q.feedback.value)
    assert saved(progress_file)["questions"]["many"]["score"] == 0.5

    q.boxes[1].value = True
    q.check_button.click()
    feedback = words(q.feedback.value)
    assert feedback.startswith("Not quite. You found 1 of 2 right options and picked 1 wrong.")
    assert "✗ You selected “MLOps”, but it does not belong: MLOps is ML focus." in feedback
    assert saved(progress_file)["questions"]["many"]["score"] == 0.0
    assert saved(progress_file)["questions"]["many"]["best_score"] == 0.5

    q.boxes[1].value, q.boxes[2].value = False, True
    q.check_button.click()
    feedback = words(q.feedback.value)
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
    q = question(quiz, "year")
    q.entry.value = typed
    q.check_button.click()
    feedback = words(q.feedback.value)
    assert feedback.startswith(verdict) and detail in feedback
    assert saved(progress_file)["questions"]["year"]["score"] == score


def test_numeric_answer_that_is_not_a_number_is_not_scored(quiz, progress_file):
    q = question(quiz, "year")
    q.entry.value = "seven"
    q.check_button.click()
    assert words(q.feedback.value) == "Type a number, for example 7 or 2.5. ✗ “seven” is not a number."
    assert not progress_file.exists()


def test_classify_scores_each_item(quiz, progress_file):
    q = question(quiz, "sort")
    q.pickers[0].value = "ML Engineer"
    q.pickers[1].value = "ML Engineer"
    q.pickers[2].value = "Both"
    q.check_button.click()
    feedback = words(q.feedback.value)
    assert feedback.startswith("Partly right. 2 of 4 items right.")
    assert "✓ “Serving custom models”: ML Engineer is right. ML serves." in feedback
    assert "✗ “Integrating LLM APIs”: not ML Engineer. Try again." in feedback
    assert "AI integrates" not in feedback
    assert "– “Bridged research”: not answered yet." in feedback
    assert saved(progress_file)["questions"]["sort"]["score"] == 0.5

    q.pickers[1].value, q.pickers[3].value = "AI Engineer", "ML Engineer"
    q.check_button.click()
    assert words(q.feedback.value).startswith("Correct. 4 of 4 items right.")
    assert saved(progress_file)["questions"]["sort"]["answer"] == {
        "Serving custom models": "ML Engineer",
        "Integrating LLM APIs": "AI Engineer",
        "Companies needed it": "Both",
        "Bridged research": "ML Engineer",
    }


def test_classify_all_wrong(quiz):
    q = question(quiz, "sort")
    for picker in q.pickers:
        picker.value = "AI Engineer" if picker.description != "Integrating LLM APIs" else "Both"
    q.check_button.click()
    assert words(q.feedback.value).startswith("Not quite. 0 of 4 items right.")


def test_likert_is_recorded_not_scored(quiz, progress_file):
    q = question(quiz, "rate")
    q.pickers[0].value = "Mostly"
    q.check_button.click()
    feedback = words(q.feedback.value)
    assert feedback.startswith("Recorded. You rated 1 of 2 statements.")
    assert "I can explain the difference: Mostly" in feedback
    entry = saved(progress_file)["questions"]["rate"]
    assert entry["score"] is None and entry["answer"] == {"I can explain the difference": 2}
    assert words(quiz.summary.value).startswith("Score: 0 of 4"), "self-ratings do not count"


def test_show_answer_explains_every_option(quiz, progress_file):
    q = question(quiz, "many")
    q.answer_button.click()
    assert words(q.feedback.value) == (
        "Answer: ✓ “RAG” belongs: RAG is AI focus. ✗ “MLOps” does not belong: MLOps is ML focus. "
        "✓ “Prompt engineering” belongs: Prompting is AI focus."
    )
    assert not progress_file.exists(), "showing the answer is not an attempt"
    classify = question(quiz, "sort")
    classify.answer_button.click()
    assert "✓ “Companies needed it”: Both. Both were needed." in words(classify.feedback.value)


def test_score_summary_adds_up_partial_credit(quiz):
    question(quiz, "one").choice.value = "The ML engineer"
    question(quiz, "many").boxes[0].value = True
    question(quiz, "year").entry.value = "20"
    for q in quiz.questions:
        q.check_button.click()
    assert words(quiz.summary.value).startswith("Score: 1.5 of 4 (38%), 3 of 4 questions checked.")


def test_saved_score_is_shown_again_after_a_restart(quiz, progress_file):
    question(quiz, "one").choice.value = "The ML engineer"
    question(quiz, "one").check_button.click()
    again = SelfCheck(BANK)
    assert words(again.summary.value).startswith("Score: 1 of 4 (25%), 1 of 4 questions checked.")
    module = saved(progress_file)
    assert module["title"] == "Widget test bank" and module["scored_questions"] == 4


def test_feedback_never_relies_on_colour(quiz):
    question(quiz, "one").choice.value = "The AI engineer"
    question(quiz, "sort").pickers[0].value = "Both"
    for q in quiz.questions:
        q.check_button.click()
        assert "color" not in q.feedback.value and "style" not in q.feedback.value
    assert "✗" in question(quiz, "one").feedback.value and "<strong>Not quite.</strong>" in (
        question(quiz, "one").feedback.value
    )


def test_module_01_self_check_first_question(progress_file):
    quiz = self_check("01")
    first = quiz.questions[0]
    assert first.check_button.description == "Check"
    first.choice.value = first.choice.options[0]
    first.check_button.click()
    assert words(first.feedback.value).startswith("Correct.")
    assert json.loads(progress_file.read_text())["modules"]["01"]["questions"]["trains-or-uses"]["score"] == 1


def test_module_01_every_question_can_be_answered_right(progress_file):
    quiz = self_check("01")
    for q in quiz.questions:
        spec = q.spec
        if spec["type"] == "single_choice":
            q.choice.value = next(o["text"] for o in spec["options"] if o["correct"])
        elif spec["type"] == "multiple_select":
            for box, option in zip(q.boxes, spec["options"], strict=True):
                box.value = option["correct"]
        elif spec["type"] == "numeric":
            q.entry.value = str(spec["answer"])
        elif spec["type"] == "classify":
            for picker, item in zip(q.pickers, spec["items"], strict=True):
                picker.value = item["label"]
        else:
            q.pickers[0].value = q.scale[-1]
        q.check_button.click()
        expected = "Recorded." if spec["type"] == "likert" else "Correct."
        assert words(q.feedback.value).startswith(expected), spec["id"]
    assert words(quiz.summary.value).startswith(f"Score: {quiz.total} of {quiz.total} (100%)")
