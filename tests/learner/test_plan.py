"""The capstone's helpers (mlai_course.learner.plan): saved progress read into tidy tables without ever
changing the file, the example learner used when there is nothing to read, and the learner's skill ratings
checked."""

import hashlib
import json

import matplotlib
import pytest

from mlai_course.learner import plan, progress
from mlai_course.learner.data import load_table
from mlai_course.learner.role_profile import role_profile

matplotlib.use("Agg")

SKILLS = load_table("skills")


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "state" / "progress.json"
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(path))
    return path


def folder_digest(folder) -> dict:
    """SHA-256 of every file under `folder`: equal digests mean nothing was written, renamed or added."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write_progress(path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_no_progress_file_gives_the_example_learner_and_creates_nothing(progress_file):
    learner = plan.pick_learner()
    assert learner.is_example and learner.name == plan.EXAMPLE_NAME
    assert f"no file `{progress_file}`" in learner.notes[0]
    assert plan.HOW_TO_PROFILE in learner.notes and plan.HOW_TO_RESULTS in learner.notes
    assert not progress_file.parent.exists(), "reading never creates the file or its folder"


CORRUPT = {
    "not JSON": (b'{"version": 1, "modules": {', "not valid JSON"),
    "not UTF-8": (b'{"version": 1, "modules": {"\xff": {}}}', "could not be read"),
    "wrong version": (b'{"version": 99, "modules": {}}', "expected version 1, found 99"),
    "module without questions": (b'{"version": 1, "modules": {"01": {}}}', "module '01' has no 'questions'"),
}


@pytest.mark.parametrize("case", CORRUPT, ids=str)
def test_a_corrupt_file_is_left_exactly_as_it_is(progress_file, case):
    content, problem = CORRUPT[case]
    progress_file.parent.mkdir(parents=True)
    progress_file.write_bytes(content)
    before = folder_digest(progress_file.parent)
    learner = plan.pick_learner()
    assert folder_digest(progress_file.parent) == before, "not renamed, not rewritten, no copy made"
    assert learner.is_example
    assert str(progress_file) in learner.notes[0] and problem in learner.notes[0]
    assert "left as it is" in learner.notes[0]


def test_progress_with_nothing_in_it_gives_the_example_learner(progress_file):
    write_progress(progress_file, progress.empty_progress())
    learner = plan.pick_learner()
    assert learner.is_example
    assert "holds no self-check result and no role profile" in learner.notes[0]


def test_real_results_and_profile_saved_by_the_widgets_are_read_as_tidy_tables(progress_file):
    question = {"id": "trains-or-uses", "type": "single_choice", "topic": "core distinction"}
    progress.record_result("01", "The core distinction", 4, question, {"score": 1.0, "answer": "a"})
    question = {"id": "staff-ml-top", "type": "numeric", "topic": "salary bands"}
    progress.record_result("03", "Pay and the job market", 5, question, {"score": 0.0, "answer": "9"})
    profile = role_profile()
    levels = {"ML Engineer": 2, "AI Engineer": 5, "Both": 4}
    for question in profile.questions:  # rate and press Check, as the front-end does
        answer = [levels[item["leans"]] - 1 for item in question.spec["items"]]
        profile.receive({"type": "check", "id": question.spec["id"], "answer": answer})
    profile.receive({"type": "action"})  # Show my profile
    before = folder_digest(progress_file.parent)

    learner = plan.pick_learner()
    assert folder_digest(progress_file.parent) == before
    assert not learner.is_example and learner.name == plan.YOU and learner.notes == []
    assert learner.modules.to_dict("records") == [
        {"module": "01", "title": "The core distinction", "checked": 1, "total": 4, "score": 0.25},
        {"module": "03", "title": "Pay and the job market", "checked": 1, "total": 5, "score": 0.0},
    ]
    assert set(learner.results["question"]) == {"trains-or-uses", "staff-ml-top"}
    assert learner.profile == profile.scores == {"ML Engineer": 25.0, "AI Engineer": 100.0, "Both": 75.0}
    assert learner.lean == "AI Engineer"
    statements = learner.statements
    assert len(statements) == sum(len(q.spec["items"]) for q in profile.questions)
    building = statements[statements["statement"] == "You enjoy building products"].iloc[0]
    assert (building["role"], building["section"], building["rating"]) == (
        "AI Engineer",
        "Which Should You Choose?",
        1.0,
    )
    assert plan.modules_to_revisit(learner) == ["03 · Pay and the job market", "01 · The core distinction"]
    assert plan.weak_topics(learner) == ["salary bands"]
    summary = plan.learner_summary(learner)
    assert summary.startswith("**Your saved results**") and "made up" not in summary
    assert (
        "lean **towards AI Engineer**" in summary
        and "Revisit first:** 03 · Pay and the job market, 01 · The core distinction." in summary
    )


def test_results_without_a_profile_use_the_example_profile_and_say_so(progress_file):
    """Half the evidence: the learner's own results, the example learner's profile; each part says whose."""
    question = {"id": "q1", "type": "single_choice", "topic": "core distinction"}
    progress.record_result("01", "The core distinction", 2, question, {"score": 1.0, "answer": "a"})
    learner = plan.pick_learner()
    example = plan.example_learner()
    assert not learner.is_example and learner.name == plan.YOU
    assert (learner.results_from, learner.profile_from) == (plan.YOU, plan.EXAMPLE_NAME)
    assert learner.results["question"].tolist() == ["q1"], "the learner's own results are kept"
    assert learner.profile == example.profile and learner.lean == example.lean
    assert not learner.statements.empty and not plan.top_statements(learner).empty
    [note] = learner.notes
    assert note.startswith("No role profile is saved yet, so the role profile, its lean and the rated")
    assert plan.EXAMPLE_WHOSE in note and plan.HOW_TO_PROFILE in note
    summary = plan.learner_summary(learner)
    assert summary.startswith("**Your saved results, with the example learner's where yours are missing**")
    assert f"**Role profile ({plan.EXAMPLE_WHOSE}):**" in summary
    assert "**Self-check scores by module (your):**" in summary


def test_a_profile_without_results_uses_the_example_results_and_says_so(progress_file):
    ratings = {"You enjoy building and training models": 5, "You enjoy building products": 1}
    write_progress(
        progress_file,
        {
            "version": 1,
            "modules": {"role-fit": {"questions": {"choose": {"score": None, "answer": ratings}}}},
        },
    )
    learner = plan.pick_learner()
    assert (learner.results_from, learner.profile_from) == (plan.EXAMPLE_NAME, plan.YOU)
    assert learner.lean == "ML Engineer", "the learner's own profile is kept"
    assert plan.modules_to_revisit(learner) == plan.modules_to_revisit(plan.example_learner())
    assert any(note.startswith("No self-check result is saved yet, so") for note in learner.notes)
    assert f"**Self-check scores by module ({plan.EXAMPLE_WHOSE}):**" in plan.learner_summary(learner)


def test_ratings_without_a_saved_profile_give_the_profile_again(progress_file):
    ratings = {"You enjoy building and training models": 5, "You enjoy building products": 1}
    write_progress(
        progress_file,
        {
            "version": 1,
            "modules": {"role-fit": {"questions": {"choose": {"score": None, "answer": ratings}}}},
        },
    )
    learner = plan.pick_learner()
    assert not learner.is_example
    assert learner.profile == {"ML Engineer": 100.0, "AI Engineer": 0.0, "Both": None}
    assert learner.lean == "ML Engineer"


def test_malformed_parts_are_ignored_with_a_note(progress_file):
    write_progress(
        progress_file,
        {
            "version": 1,
            "modules": {
                "01": {
                    "title": "The core distinction",
                    "scored_questions": "four",
                    "questions": {"a": {"score": 1.0}, "b": {"score": 7}},
                },
                "role-fit": {
                    "questions": {
                        "choose": {"score": None, "answer": "Very much"},
                        "skills": {"score": None, "answer": {"Feature engineering": 9}},
                        "profile": {"score": None, "answer": {"ML Engineer": "high", "AI Engineer": 10}},
                    }
                },
            },
        },
    )
    learner = plan.learner_from_progress(plan.read_progress()[0])
    assert learner.is_example is False
    notes = " ".join(learner.notes)
    assert "question 'b': the score 7 is not 0..1" in notes
    assert "the number of scored questions ('four') is not usable" in notes
    assert "ratings of 'choose' are not in the expected form" in notes
    assert "ratings of 'skills' are not in the expected form" in notes
    assert "saved role profile is not in the expected form" in notes
    assert learner.modules.empty and learner.results["question"].tolist() == ["a"]
    assert learner.statements.empty and learner.profile == {}


def test_the_example_learner_is_labelled_and_leans_to_ai_engineering():
    learner = plan.example_learner()
    assert learner.is_example and learner.lean == "AI Engineer"
    assert learner.profile["AI Engineer"] - learner.profile["ML Engineer"] >= 10
    assert plan.modules_to_revisit(learner) == ["03 · Pay and the job market"]
    assert not learner.statements.empty
    summary = plan.learner_summary(plan.pick_learner("/nonexistent/folder/progress.json"))
    assert summary.startswith("**Example learner (made up by the course)**")
    assert "every result below is the example's, not yours" in summary
    assert "$" not in summary


def test_the_example_learners_skills_are_the_articles_on_the_course_scale():
    example = plan.EXAMPLE_SKILLS
    table = plan.skill_ratings_table(example["ratings"], SKILLS)
    assert len(table) == len(example["ratings"]) and table["rating"].between(0, 3).all()
    assert example["current_role"] in plan.ROLES and example["level"] in plan.LEVELS


def test_top_statements_are_the_highest_rated_first():
    top = plan.top_statements(plan.example_learner(), count=3)
    assert len(top) == 3 and top["rating"].is_monotonic_decreasing
    assert top["rating"].iloc[0] == plan.example_learner().statements["rating"].max()


def test_skill_ratings_are_checked_and_named_when_wrong():
    table = plan.skill_ratings_table({"Prompt engineering": 2, "Feature engineering": 0}, SKILLS)
    assert table.to_dict("records") == [
        {"skill": "Prompt engineering", "rating": 2},
        {"skill": "Feature engineering", "rating": 0},
    ]
    empty = plan.skill_ratings_table({}, SKILLS)
    assert list(empty.columns) == ["skill", "rating"] and empty.empty
    with pytest.raises(ValueError) as error:
        plan.skill_ratings_table(
            {
                "Promt engineering": 2,
                "Feature engineering": 5,
                "Distributed training": "3",
                "MLOps basics": True,
            },
            SKILLS,
        )
    message = str(error.value)
    assert (
        "'Promt engineering' is not one of the article's skills. Did you mean 'Prompt engineering'?"
        in message
    )
    assert "the rating of 'Feature engineering' is 5" in message
    assert "the rating of 'Distributed training' is '3'" in message
    assert "the rating of 'MLOps basics' is True" in message


def test_the_rating_template_lists_every_skill_once_and_is_valid_python():
    namespace = {}
    exec(plan.rating_template(SKILLS), namespace)
    ratings = namespace["my_skill_ratings"]
    assert list(ratings) == list(dict.fromkeys(ratings)) and set(ratings) == set(SKILLS["skill"])
    assert set(ratings.values()) == {0}
    assert (
        list(ratings)[:5] == SKILLS[SKILLS["skill_list"] == "overlap"].sort_values("rank")["skill"].tolist()
    )
    assert len(plan.skill_ratings_table(ratings, SKILLS)) == len(ratings)


RATINGS = plan.skill_ratings_table(
    {"Strong Python skills": 3, "Production mindset": 1, "Prompt engineering": 2}, SKILLS
)


def test_the_plan_lists_missing_skills_in_the_courses_order():
    mid = plan.plan_skills(SKILLS, RATINGS, "AI Engineer", "Mid")
    overlap = SKILLS[SKILLS["skill_list"] == "overlap"].sort_values("rank")["skill"].tolist()
    assert mid[:4] == overlap[1:], "the shared skills not known yet come first"
    assert "Prompt engineering" not in mid and "Production mindset" in mid, "known from a rating of 2"
    staff = plan.plan_skills(SKILLS.sample(frac=1, random_state=1), RATINGS, "AI Engineer", "Staff")
    assert staff[: len(mid)] == mid and staff[len(mid) :] == [
        "Fine-tuning capabilities",
        "Model selection expertise",
        "Custom model evaluation",
        "MLOps basics",
    ], "at Senior and Staff, the target's blurring-line list comes last"
    with pytest.raises(ValueError, match="level 'senior' is not one of Junior, Mid, Senior, Staff"):
        plan.plan_skills(SKILLS, RATINGS, "AI Engineer", "senior")
    with pytest.raises(ValueError, match="'Data Scientist' is not a role with its own skills"):
        plan.plan_skills(SKILLS, RATINGS, "Data Scientist", "Mid")


def test_the_timeline_in_words_never_invents_one():
    timelines = load_table("career_switch_timelines")
    assert (
        plan.timeline_words(timelines, "ML Engineer", "AI Engineer")
        == "1-3 months (article: Career Switching)"
    )
    assert plan.timeline_words(timelines, "AI Engineer", "ML Engineer").startswith("6-12 months")
    assert plan.timeline_words(timelines, "AI Engineer", "AI Engineer") == "no switch needed"
    assert plan.timeline_words(timelines, None, "AI Engineer") == (
        "the article gives no timeline for someone in neither role"
    )
