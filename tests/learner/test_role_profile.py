"""The "Which role fits you?" assessment: verbatim seed quotes, the scoring, the widget and its chart."""

import html
import json
import re

import matplotlib
import pytest
from conftest import source_article_text

from mlai_course.learner.quiz_bank import QuizBankError, load_bank
from mlai_course.learner.role_profile import (
    check_role_fit_bank,
    fit_scores,
    lean_of,
    rated_items,
    role_profile,
    role_profile_figure,
)

matplotlib.use("Agg")

BANK = load_bank("role-fit")


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(path))
    return path


def seed_text() -> str:
    return source_article_text()


def seed_list(start: str, end: str) -> list[str]:
    """The '- item' lines of the seed between two heading lines (a 'Required:' prefix removed)."""
    lines = seed_text().splitlines()
    block = lines[lines.index(start) + 1 : lines.index(end)]
    items = [re.sub(r"^(Required:)?- ", "", line) for line in block]
    return [item for item, line in zip(items, block, strict=True) if item != line]


def seed_lists() -> dict[str, list[str]]:
    """The seed lists the assessment is built from, by the role they belong to."""
    return {
        "ML Engineer": seed_list("Choose ML Engineering If:", "Choose AI Engineering If:")
        + seed_list("ML Engineer Skills", "AI Engineer Skills"),
        "AI Engineer": seed_list("Choose AI Engineering If:", "Career Switching")
        + seed_list("AI Engineer Skills", "Overlap"),
        "Both": seed_list("Both roles need:", "Day-to-Day Comparison"),
    }


def all_items():
    return [item for question in BANK["questions"] for item in question["items"]]


def words(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def test_every_statement_is_quoted_verbatim_from_the_seed():
    text = seed_text()
    missing = [item["text"] for item in all_items() if item["text"] not in text]
    assert not missing, f"not verbatim in the seed: {missing}"
    for role in ("ML Engineer", "AI Engineer", "Both"):
        assert BANK["advice"][role] in text, f"advice for {role} is not verbatim in the seed"


def test_every_statement_leans_to_the_role_whose_seed_list_holds_it():
    lists = seed_lists()
    assert len(lists["ML Engineer"]) == 5 + 11 and len(lists["AI Engineer"]) == 5 + 10
    assert len(lists["Both"]) == 5
    for item in all_items():
        assert item["text"] in lists[item["leans"]], (
            f"{item['text']!r} is not in the seed's {item['leans']} lists"
        )


def test_the_assessment_uses_every_statement_of_those_seed_lists():
    in_bank = {item["text"] for item in all_items()}
    for role, statements in seed_lists().items():
        assert set(statements) <= in_bank, f"{role}: {sorted(set(statements) - in_bank)} left out"


def test_sources_name_the_seed_sections():
    assert [q["source"] for q in BANK["questions"]] == [
        "Which Should You Choose?",
        "Skills Comparison",
        "Skills Comparison",
    ]
    assert BANK["advice"]["source"] == "The Bottom Line"


def ratings_for(levels: dict[str, int]) -> dict[str, dict[str, int]]:
    """Rate every statement: its role's level from `levels` (1..5)."""
    return {q["id"]: {item["text"]: levels[item["leans"]] for item in q["items"]} for q in BANK["questions"]}


def test_fit_scores_are_mean_rating_as_percent_of_the_scale():
    scores = fit_scores(rated_items(BANK, ratings_for({"ML Engineer": 5, "AI Engineer": 2, "Both": 3})))
    assert scores == {"ML Engineer": 100.0, "AI Engineer": 25.0, "Both": 50.0}
    assert lean_of(scores) == "ML Engineer"


def test_unrated_statements_do_not_count():
    first = BANK["questions"][0]
    ml_statement = next(item["text"] for item in first["items"] if item["leans"] == "ML Engineer")
    scores = fit_scores(rated_items(BANK, {first["id"]: {ml_statement: 4}}))
    assert scores == {"ML Engineer": 75.0, "AI Engineer": None, "Both": None}


@pytest.mark.parametrize(
    "ml, ai, lean",
    [(60, 50, "ML Engineer"), (50, 60, "AI Engineer"), (55, 50, "balanced"), (50, 59.9, "balanced")],
)
def test_lean_needs_a_ten_point_margin(ml, ai, lean):
    assert lean_of({"ML Engineer": ml, "AI Engineer": ai, "Both": None}) == lean


def rate_all(profile, levels):
    """Rate every statement with its role's level (1..5) and press Check, as the front-end would."""
    for question in profile.questions:
        answer = [levels[item["leans"]] - 1 for item in question.spec["items"]]
        profile.receive({"type": "check", "id": question.spec["id"], "answer": answer})


def press_show_my_profile(profile):
    profile.receive({"type": "action"})
    return profile.action_result


def test_widget_flow_ai_leaning_profile(progress_file):
    profile = role_profile()
    rate_all(profile, {"ML Engineer": 2, "AI Engineer": 5, "Both": 4})
    assert all(words(profile.feedback[q.spec["id"]]).startswith("Recorded.") for q in profile.questions)
    assert profile.action_label == "Show my profile" and profile.action_tooltip
    assert "source article" in profile.intro and "seed" not in profile.intro
    shown = press_show_my_profile(profile)
    assert profile.scores == {"ML Engineer": 25.0, "AI Engineer": 100.0, "Both": 75.0}
    assert (
        'alt="Bar chart of your fit per role: ML Engineer 25%, AI Engineer 100%, Both (shared skills) 75%."'
        in (shown)
    )
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', shown)
    text = words(shown)
    assert "Your answers lean towards AI engineering (ML Engineer 25%, AI Engineer 100%)." in text
    assert "“You enjoy building products” (article: Which Should You Choose?)" in text
    assert f"“{BANK['advice']['AI Engineer']}” (article: The Bottom Line)" in text
    assert f"“{BANK['advice']['Both']}” (article: The Bottom Line)" in text
    assert BANK["advice"]["ML Engineer"] not in text
    assert "Skills both roles need (article: Skills Comparison): you rated them 75%." in text
    assert "seed" not in text, "learners read of the source article, not the seed"

    saved = json.loads(progress_file.read_text(encoding="utf-8"))["modules"]["role-fit"]
    assert saved["scored_questions"] == 0
    assert saved["questions"]["profile"]["answer"] == profile.scores
    assert saved["questions"]["choose"]["answer"]["You enjoy building and training models"] == 2


def test_ratings_come_back_when_the_cell_runs_again(progress_file):
    rate_all(role_profile(), {"ML Engineer": 1, "AI Engineer": 3, "Both": 5})
    again = role_profile()
    assert set(again.answers) == {q["id"] for q in BANK["questions"]}
    assert press_show_my_profile(again), "the profile can be drawn from the saved ratings"
    assert again.scores == {"ML Engineer": 0.0, "AI Engineer": 50.0, "Both": 100.0}


def test_profile_uses_the_ratings_shown_in_the_lists_even_unchecked(progress_file):
    """The front-end syncs the lists' values into `answers` as the learner picks them, before any Check."""
    profile = role_profile()
    first = profile.questions[0].spec
    levels = {"ML Engineer": 4, "AI Engineer": 0}
    profile.answers = {first["id"]: [levels[item["leans"]] for item in first["items"]], "skills": "garbled"}
    assert press_show_my_profile(profile)
    assert profile.scores == {"ML Engineer": 100.0, "AI Engineer": 0.0, "Both": None}


def test_balanced_profile_quotes_both_roles_advice():
    profile = role_profile()
    rate_all(profile, {"ML Engineer": 4, "AI Engineer": 4, "Both": 1})
    text = words(press_show_my_profile(profile))
    assert "Your answers are balanced (ML Engineer 75%, AI Engineer 75%)" in text
    assert BANK["advice"]["ML Engineer"] in text and BANK["advice"]["AI Engineer"] in text
    assert "and 11 more" in text, "long lists of quotes are cut to five per role"


def test_profile_needs_ratings_for_both_roles(progress_file):
    profile = role_profile()
    first = profile.questions[0]
    ml_only = [2 if item["leans"] == "ML Engineer" else None for item in first.spec["items"]]
    profile.receive({"type": "check", "id": first.spec["id"], "answer": ml_only})
    assert words(press_show_my_profile(profile)).startswith("Rate more statements first.")
    assert profile.scores is None
    saved = json.loads(progress_file.read_text(encoding="utf-8"))["modules"]["role-fit"]["questions"]
    assert "profile" not in saved, "no profile is saved without both roles rated"


def test_profile_chart_is_labelled():
    fig = role_profile_figure({"ML Engineer": 40.0, "AI Engineer": 80.0, "Both": 60.0})
    [ax] = fig.axes
    assert ax.get_title() == "Your ML-vs-AI engineering profile (not graded)"
    assert ax.get_xlabel() and ax.get_ylabel() == "Role"
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "ML Engineer",
        "AI Engineer",
        "Both (shared skills)",
    ]
    assert [bar.get_width() for bar in ax.patches] == [40.0, 80.0, 60.0]
    assert [t.get_text() for t in ax.texts] == ["40%", "80%", "60%"]


def test_role_fit_bank_without_leans_is_rejected():
    bank = json.loads(json.dumps(BANK))
    del bank["questions"][1]["items"][3]["leans"]
    with pytest.raises(
        QuizBankError, match=r"role-fit.yaml: question 2 \(id 'skills'\).*`leans` on every item"
    ):
        check_role_fit_bank(bank)


def test_static_view_lists_the_statements_without_their_roles():
    profile = role_profile()
    bundle, _metadata = profile._repr_mimebundle_()
    for item in all_items():
        assert item["text"] in bundle["text/plain"]
        assert html.escape(item["text"]) in bundle["text/html"]
    assert "leans" not in bundle["text/plain"] and "ML Engineer" not in bundle["text/plain"]
