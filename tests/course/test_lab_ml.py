"""Lab 07 tells the story it says, and teaches correct practice: its printed key figures, its plots, and the
rule that the test set is touched once, by the chosen model, read from one run of the source notebook.

Each figure is checked loosely (a range, not one number), so that a new scikit-learn or pandas may move the
numbers a little, but cannot silently break the story the lab's text tells: a good model chosen on validation
data, a bug that ruins it, batching that is faster with the same answers, a feature review that word pairs win
and the title loses, an A/B test that ships the variant, one test figure beside the validation figure, and a
drift that cuts the accuracy until retraining brings it back, at a cost on this quarter's postings.
"""

import ast
import re

import pytest
import yaml
from conftest import REPO_ROOT
from lab_run import plot_problems, run_lab
from notebook_helpers import figure, nbgrader_meta, read

from mlai_course.learner.plots import ROLE_COLOURS

NAME = "07-lab-a-day-as-an-ml-engineer"
LAB = REPO_ROOT / "solutions" / NAME / f"{NAME}.ipynb"
BANK = REPO_ROOT / "data" / "quiz_banks" / f"{NAME}.yaml"
PERCENT = r"(\d+\.\d)%"
COURSE_COLOURS = {colour.lower() for colour in ROLE_COLOURS.values()} | {"#000000"}


@pytest.fixture(scope="module")
def lab():
    """The source notebook, run once; it must run without an error."""
    return run_lab(LAB)


@pytest.fixture(scope="module")
def printed(lab) -> str:
    return lab.printed


def test_the_trained_model_is_good_on_validation_data(printed):
    (accuracy,) = figure(printed, rf"Validation accuracy: {PERCENT}")
    assert 85 <= float(accuracy) <= 99.5


def test_the_planted_bug_ruins_the_metrics_and_the_fix_restores_them(printed):
    broken, good = figure(printed, rf"Broken pipeline accuracy: {PERCENT} \(the section 1 model: {PERCENT}\)")
    assert float(broken) <= 65, "the bug should bring the model near guessing"
    assert float(good) - float(broken) >= 25
    (fixed,) = figure(printed, rf"Your fixed pipeline's validation accuracy: {PERCENT}")
    assert float(fixed) >= 85


def test_batching_is_faster_with_the_same_answers(printed):
    (single_ms,) = figure(printed, r"One at a time: (\d+\.\d+) ms per posting")
    assert 0 < float(single_ms) < 100
    speedup, same = figure(printed, r"Batching is (\d+)x faster, with the same predictions: (\w+)")
    assert int(speedup) >= 3 and same == "True"


def test_the_feature_review_picks_word_pairs_and_shows_the_title_fails(printed):
    pattern = rf"Best overall: ([\w +]+)\. Where the title disagrees: words \+ title {PERCENT}, "
    pattern += rf"words {PERCENT}"
    best, with_title, words = figure(printed, pattern)
    assert best == "word pairs"
    assert float(words) - float(with_title) >= 5, "the title should hurt where it names the other role"


def test_the_ab_test_ships_the_variant(printed):
    share_a, share_b, p_value, decision = figure(
        printed, rf"A/B test: A {PERCENT} right, B {PERCENT} right .*, p = (\d\.\d+): (ship B|keep A)"
    )
    assert float(share_b) > float(share_a)
    assert float(p_value) < 0.05 and decision == "ship B"


def test_the_chosen_model_is_measured_once_on_test_beside_its_validation_figure(printed):
    chosen, tested, gap = figure(
        printed,
        rf"Chosen on validation: {PERCENT} on 175 postings; measured once on test: {PERCENT} on 300 postings "
        r"\(([+-]\d+\.\d) points\)",
    )
    assert 88 <= float(tested) <= 99.5
    assert abs(float(tested) - float(chosen) - float(gap)) < 0.15
    assert printed.count("measured once on test") == 1


def test_drift_cuts_the_accuracy_and_retraining_recovers_it_at_a_stated_cost(printed):
    after, before, drop = figure(
        printed, rf"Next quarter accuracy: {PERCENT} \(this quarter {PERCENT}\): a drop of (\d+\.\d) points"
    )
    assert float(drop) >= 10 and abs(float(before) - float(after) - float(drop)) < 0.15
    (tested,) = figure(printed, rf"measured once on test: {PERCENT}")
    assert before == tested, "this quarter's figure is the model card's, not a second look at the test set"
    (fired,) = figure(printed, r"Retrain trigger fired: (\w+)")
    assert fired == "True"
    pattern = rf"After retraining, next quarter's test: {PERCENT} \(before: {PERCENT}\)"
    recovered, was = figure(printed, pattern)
    assert float(was) == float(after) and float(recovered) >= 90
    kept, shipped = figure(
        printed, rf"After retraining, this quarter's test: {PERCENT} \(before: {PERCENT}\)"
    )
    assert float(kept) >= 88, "retraining should not forget this quarter's postings"
    verb, points = figure(printed, r"Retraining (cost|gained) (\d+\.\d) points on this quarter's postings")
    assert abs(abs(float(shipped) - float(kept)) - float(points)) < 0.15
    assert verb == ("cost" if float(kept) < float(shipped) else "gained")


def test_the_plots_keep_their_legends_off_the_data_and_use_the_course_colours(lab):
    assert len(lab.figures) >= 5
    problems = [problem for record in lab.figures for problem in plot_problems(record, COURSE_COLOURS)]
    assert problems == []


# --- Choose on validation data, touch the test set once ---------------------------------------------------


def lab_code_cells():
    """(section number, source) of every code cell of the lab's own (not graded test) cells."""
    section = 0
    for cell in read(LAB).cells:
        heading = re.match(r"## (\d) · ", cell.source) if cell.cell_type == "markdown" else None
        if heading:
            section = int(heading.group(1))
        if cell.cell_type == "code" and not nbgrader_meta(cell).get("grade"):
            yield section, cell.source


def reads_name(source: str, name: str) -> bool:
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for node in ast.walk(ast.parse(source))
    )


def test_only_section_6_and_the_retraining_read_the_test_postings():
    readers = [(section, source) for section, source in lab_code_cells() if reads_name(source, "test")]
    assert {section for section, _ in readers} <= {6, 7}, "sections 1 to 5 choose without the test set"
    section_6 = [source for section, source in readers if section == 6]
    assert len(section_6) >= 1 and "shipped.predict(test" in section_6[0], (
        "the chosen model is measured first"
    )
    predicting = [
        re.findall(r"(\w+)\.predict(?:_proba)?\(test\b", source)
        for _, source in readers
        if "predict" in source
    ]
    assert sorted(model for found in predicting for model in found) == ["retrained", "shipped"], (
        "two models see the test set, each once: the one chosen and shipped, and the retrained one"
    )


def test_the_choices_are_made_on_validation_data():
    sources = {section: "" for section in range(8)}
    for section, source in lab_code_cells():
        sources[section] += source + "\n"
    for section in (1, 2, 4):
        assert reads_name(sources[section], "validation"), f"section {section} measures on validation data"
    assert "idxmax" in sources[4] and "validation" in sources[4]


# --- Figures quoted in the text are the figures the notebook computes ------------------------------------


def bank_prompt(question_id: str) -> str:
    bank = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    question = next(question for question in bank["questions"] if question["id"] == question_id)
    return " ".join(
        [question["prompt"]]
        + [option.get("explanation", "") for option in question.get("options", [])]
        + [option.get("text", "") for option in question.get("options", [])]
    )


def test_the_self_check_quotes_the_feature_review_as_computed(printed):
    _, with_title, words = figure(
        printed,
        rf"Best overall: ([\w +]+)\. Where the title disagrees: words \+ title {PERCENT}, words {PERCENT}",
    )
    quoted = " ".join(bank_prompt("title-feature").split())
    assert f"{round(float(words))}%" in quoted and f"{round(float(with_title))}%" in quoted, quoted
    words_overall, with_title_overall = figure(
        printed, rf"Adding the title to the words, overall: {PERCENT} -> {PERCENT}"
    )
    assert f"from {words_overall}% to {with_title_overall}%" in quoted, quoted
    assert float(with_title_overall) > float(words_overall), "the question says adding the title raised it"
