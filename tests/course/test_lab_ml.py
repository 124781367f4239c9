"""Lab 07 tells the story it says: its printed key figures, read from one run of the source notebook.

Each figure is checked loosely (a range, not one number), so that a new scikit-learn or pandas may move the
numbers a little, but cannot silently break the story the lab's text tells: a good model, a bug that ruins
it, batching that is faster with the same answers, a feature review that word pairs win and the title loses,
an A/B test that ships the variant, and a drift that cuts the accuracy until retraining brings it back.
"""

import pytest
from conftest import REPO_ROOT
from notebook_helpers import figure

from mlai_course.authoring.benchmarks import printed_text

LAB = REPO_ROOT / "solutions" / "07-lab-a-day-as-an-ml-engineer" / "07-lab-a-day-as-an-ml-engineer.ipynb"
PERCENT = r"(\d+\.\d)%"


@pytest.fixture(scope="module")
def printed() -> str:
    """Everything the source notebook prints, after running it once; it must run without an error."""
    return printed_text(LAB)


def test_the_trained_model_is_good(printed):
    (accuracy,) = figure(printed, rf"Test accuracy: {PERCENT}")
    assert 88 <= float(accuracy) <= 99.5


def test_the_planted_bug_ruins_the_metrics_and_the_fix_restores_them(printed):
    broken, good = figure(printed, rf"Broken pipeline accuracy: {PERCENT} \(the section 1 model: {PERCENT}\)")
    assert float(broken) <= 65, "the bug should bring the model near guessing"
    assert float(good) - float(broken) >= 25
    (fixed,) = figure(printed, rf"Your fixed pipeline's test accuracy: {PERCENT}")
    assert float(fixed) >= 88


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


def test_drift_cuts_the_accuracy_and_retraining_recovers_it(printed):
    after, before, drop = figure(
        printed, rf"Next quarter accuracy: {PERCENT} \(this quarter {PERCENT}\): a drop of (\d+\.\d) points"
    )
    assert float(drop) >= 10 and abs(float(before) - float(after) - float(drop)) < 0.15
    (fired,) = figure(printed, r"Retrain trigger fired: (\w+)")
    assert fired == "True"
    pattern = rf"After retraining, next quarter's test: {PERCENT} \(before: {PERCENT}\)"
    recovered, was = figure(printed, pattern)
    assert float(was) == float(after) and float(recovered) >= 90
    (kept,) = figure(printed, rf"After retraining, this quarter's test: {PERCENT}")
    assert float(kept) >= 88, "retraining should not forget this quarter's postings"
