"""The seed tables in data/ say exactly what the seed says: same words, same order, same numbers.

The tests read the source article itself (see conftest.source_article_text); without it they skip.
"""

import re

import pytest
from conftest import source_article_text

from mlai_course.learner.data import load_table
from mlai_course.learner.schemas import LEVELS, ROLES

ML, AI = ROLES
# Each role's story in "How the Roles Evolved": (role, the block's heading, the text after the block).
EVOLUTION_BLOCKS = [
    (ML, "ML Engineer (2015-present)", "AI Engineer (2022-present)"),
    (AI, "AI Engineer (2022-present)", "Skills Comparison"),
]


@pytest.fixture(scope="module")
def seed() -> str:
    return source_article_text()


def between(text: str, start: str, end: str) -> str:
    """The text after the first `start` and before the next `end`."""
    assert start in text, f"the seed no longer contains {start!r}"
    begin = text.index(start) + len(start)
    assert end in text[begin:], f"the seed no longer contains {end!r} after {start!r}"
    return text[begin : text.index(end, begin)]


def seed_items(block: str) -> list[str]:
    """The items of a flattened seed list: its '- item' lines; the first may follow 'Heading:-'."""
    items = []
    for line in block.splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif ":- " in line:
            items.append(line.split(":- ", 1)[1].strip())
    return items


def ranked(table, column: str, **where) -> list[str]:
    """The values of `column` in the rows matching `where`, in rank order."""
    rows = table
    for name, value in where.items():
        rows = rows[rows[name] == value]
    order = "step" if "step" in rows else "rank"
    assert list(rows[order]) == sorted(rows[order]), "rows are stored in the seed's order"
    assert list(rows[order]) == list(range(1, len(rows) + 1)), f"{order} counts from 1 without gaps"
    return list(rows[column])


def test_seed_lists_parse_as_expected(seed):
    # Guards the helper the other tests rely on: a plain list, and one whose first item follows its heading.
    assert seed_items(between(seed, "Both roles need:", "Day-to-Day Comparison"))[0] == "Strong Python skills"
    assert seed_items(between(seed, "ML Engineer Skills", "AI Engineer Skills"))[0] == (
        "Model training and evaluation"
    )


def test_role_definitions_quote_the_core_distinction(seed):
    section = between(seed, "The Core Distinction", "How the Roles Evolved")
    table = load_table("role_definitions")
    assert list(table["role"]) == [ML, AI]
    for row in table.itertuples():
        assert f"{row.role}: {row.definition} {row.focus}" in section
    assert " ".join(table["in_short"]) in section


def test_role_evolution_matches_the_seed(seed):
    table = load_table("role_evolution")
    for role, heading, end in EVOLUTION_BLOCKS:
        block = between(seed, heading, end)
        rows = table[table["role"] == role]
        assert heading == f"{role} ({rows['start_year'].iloc[0]}-present)"
        assert rows["start_year"].nunique() == 1
        (emerged_from,) = set(rows["emerged_from"])
        assert re.search(rf"emerged (from|with) {re.escape(emerged_from)}\b", block)
        drivers = [item for item in seed_items(block) if not item.startswith("Focus:")]
        assert ranked(table, "driver", role=role) == drivers


def test_role_focus_matches_each_focus_line(seed):
    table = load_table("role_focus")
    for role, heading, end in EVOLUTION_BLOCKS:
        block = between(seed, heading, end)
        (focus_line,) = [item for item in seed_items(block) if item.startswith("Focus: ")]
        assert ranked(table, "focus", role=role) == focus_line.removeprefix("Focus: ").split(", ")


def test_skills_match_the_skills_comparison_and_the_blurring_line(seed):
    table = load_table("skills")
    assert ranked(table, "skill", role=ML, skill_list="required") == seed_items(
        between(seed, "ML Engineer Skills", "AI Engineer Skills")
    )
    assert ranked(table, "skill", role=AI, skill_list="required") == seed_items(
        between(seed, "AI Engineer Skills", "\nOverlap\n")
    )
    assert ranked(table, "skill", role="Both", skill_list="overlap") == seed_items(
        between(seed, "Both roles need:", "Day-to-Day Comparison")
    )
    blurring = seed_items(between(seed, "The Blurring Line", "Interview Differences"))
    senior_ai = ranked(table, "skill", role=AI, skill_list="senior_blurring")
    senior_ml = ranked(table, "skill", role=ML, skill_list="senior_blurring")
    assert senior_ai + senior_ml == blurring
    assert f"Senior AI engineers increasingly need:- {senior_ai[0]}" in seed
    assert len(table) == 11 + 10 + 5 + len(blurring)


def test_heading_in_seed_is_false_exactly_where_the_seed_lost_the_heading(seed):
    skills = load_table("skills")
    lost = skills[~skills["heading_in_seed"]]
    assert set(zip(lost["role"], lost["skill_list"], strict=True)) == {
        (ML, "senior_blurring"),
        (ML, "required"),
        (AI, "required"),
    }
    assert "Senior AI engineers" in seed and "Senior ML engineers" not in seed

    switch = load_table("career_switch")
    assert set(switch.loc[~switch["heading_in_seed"], "from_role"]) == {AI}
    assert set(switch.loc[switch["heading_in_seed"], "from_role"]) == {ML}
    assert "ML Engineer → AI Engineer:-" in seed and "AI Engineer → ML Engineer" not in seed
    timelines = load_table("career_switch_timelines")
    assert dict(zip(timelines["from_role"], timelines["heading_in_seed"], strict=True)) == {
        ML: True,
        AI: False,
    }

    future = load_table("future_predictions")
    assert dict(future.groupby("role")["heading_in_seed"].agg(set)) == {ML: {True}, AI: {False}}
    assert "ML Engineering:-" in seed and "AI Engineering:-" not in seed


@pytest.mark.parametrize("role", [ML, AI])
def test_skills_under_required_then_the_course_reading(seed, role):
    # Each role's list follows "Required:" with no second heading, though the article very probably lost one
    # (as it did in its other lists). The first rows are surely under "Required:"; the rest are the course's
    # reading. Once a row is marked as the reading, every later row is too: one lost heading, one split.
    rows = load_table("skills").query("role == @role and skill_list == 'required'").sort_values("rank")
    marks = list(rows["heading_in_seed"])
    assert marks[0] and not marks[-1], "the list starts under 'Required:' and ends after the lost heading"
    assert marks == sorted(marks, reverse=True), "True rows first, then False rows: one split"
    assert f"Required:- {rows['skill'].iloc[0]}" in seed
    assert seed.count("Required:") == 2 and "Nice to have" not in seed and "Preferred" not in seed


def test_fine_tuning_is_read_as_below_the_ai_engineers_required_skills(seed):
    # The course's evidence for where the AI engineer's list splits: senior AI engineers "increasingly need"
    # fine-tuning (The Blurring Line), so the article does not count it as required of every AI engineer.
    skills = load_table("skills")
    ai_required = skills.query("role == @AI and skill_list == 'required'").sort_values("rank")
    first_read = ai_required[~ai_required["heading_in_seed"]]["skill"].iloc[0]
    assert first_read.startswith("Fine-tuning")
    assert "Senior AI engineers increasingly need:- Fine-tuning capabilities" in seed


def test_daily_tasks_match_the_day_to_day_comparison(seed):
    table = load_table("daily_tasks")
    assert ranked(table, "task", role=ML) == seed_items(
        between(seed, "ML Engineer Typical Day", "AI Engineer Typical Day")
    )
    assert ranked(table, "task", role=AI) == seed_items(
        between(seed, "AI Engineer Typical Day", "Compensation Comparison")
    )
    assert len(table) == 12


def seed_salary_table(seed: str) -> dict[tuple[str, str], tuple[int, int]]:
    """{(level, role): (low, high)} in dollars, from the seed's one-line markdown table."""
    section = between(seed, "Compensation Comparison", "ML engineers command")
    assert re.search(r"\| Level \| ML Engineer \| AI Engineer \|", section), "the table's columns moved"
    bands = {}
    for level in LEVELS:
        match = re.search(rf"\| {level} \| \$(\d+)K-(\d+)K \| \$(\d+)K-(\d+)K \|", section)
        assert match, f"no row for {level} in the seed's table"
        ml_low, ml_high, ai_low, ai_high = (int(figure) * 1000 for figure in match.groups())
        bands[(level, ML)] = (ml_low, ml_high)
        bands[(level, AI)] = (ai_low, ai_high)
    return bands


def test_compensation_figures_are_the_seed_table_exactly(seed):
    table = load_table("compensation")
    stored = {(row.level, row.role): (row.low_usd, row.high_usd) for row in table.itertuples()}
    assert stored == seed_salary_table(seed)
    assert len(table) == 8
    for row in table.itertuples():
        assert row.level_rank == LEVELS.index(row.level) + 1


def test_premium_reasons_match_the_seed(seed):
    table = load_table("premium_reasons")
    assert ranked(table, "reason") == seed_items(
        between(seed, "ML engineers command a slight premium due to:", "Job Market Dynamics")
    )


@pytest.mark.parametrize(
    ("role", "start", "end"),
    [
        (ML, "ML Engineer Market", "AI Engineer Market"),
        (AI, "AI Engineer Market", "Which Should You Choose?"),
    ],
)
def test_market_trends_then_hiring_sectors_make_the_seed_list(seed, role, start, end):
    # The seed runs the trends on into the sectors under one "Trends:" heading: four of each.
    items = seed_items(between(seed, start, end))
    trends = ranked(load_table("market_trends"), "trend", role=role)
    sectors = ranked(load_table("hiring_sectors"), "sector", role=role)
    assert trends + sectors == items
    assert len(trends) == len(sectors) == 4
    assert f"Trends:- {trends[0]}" in seed


def test_choose_if_statements_match_the_seed(seed):
    table = load_table("choose_if")
    assert ranked(table, "statement", role=ML) == seed_items(
        between(seed, "Choose ML Engineering If:", "Choose AI Engineering If:")
    )
    assert ranked(table, "statement", role=AI) == seed_items(
        between(seed, "Choose AI Engineering If:", "Career Switching")
    )
    assert len(table) == 10


def test_career_switch_points_and_timelines_match_the_seed(seed):
    items = seed_items(between(seed, "Career Switching", "The Blurring Line"))
    table = load_table("career_switch")
    to_ai = ranked(table, "point", from_role=ML)
    to_ml = ranked(table, "point", from_role=AI)
    assert to_ai + to_ml == items
    assert set(zip(table["from_role"], table["to_role"], strict=True)) == {(ML, AI), (AI, ML)}
    assert f"ML Engineer → AI Engineer:- {to_ai[0]}" in seed
    timelines = load_table("career_switch_timelines")
    assert len(timelines) == 2
    for row in timelines.itertuples():
        points = to_ai if row.from_role == ML else to_ml
        assert points[-1] == f"Timeline: {row.min_months}-{row.max_months} months"
        assert row.to_role != row.from_role


def test_interview_topics_match_the_seed(seed):
    table = load_table("interview_topics")
    assert ranked(table, "topic", role=ML) == seed_items(
        between(seed, "ML Engineer Interviews", "AI Engineer Interviews")
    )
    assert ranked(table, "topic", role=AI) == seed_items(
        between(seed, "AI Engineer Interviews", "The Future")
    )
    assert len(table) == 10


def test_future_predictions_match_the_seed(seed):
    section = between(seed, "The Future", "The Bottom Line")
    assert "Our prediction for the next 2-3 years" in section
    table = load_table("future_predictions")
    ml = ranked(table, "prediction", role=ML)
    ai = ranked(table, "prediction", role=AI)
    assert ml + ai == seed_items(section)
    assert f"ML Engineering:- {ml[0]}" in section
    assert len(ml) == len(ai) == 4
