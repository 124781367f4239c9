"""Lab 08 tells the story it says: its printed key figures, read from one run of the source notebook.

Each figure is checked loosely (a range, not one number), so that a new scikit-learn or pandas may move the
numbers a little, but cannot silently break the story the lab's text tells: retrieval that finds nearly every
answer with the chosen chunks, a prompt change that a slice-by-slice check must refuse, and, on the same 300
test postings, a trained model that is more accurate, faster and free per call beside an application that
needed no training, pays per call and misses at senior levels.
"""

import pytest
from conftest import REPO_ROOT
from notebook_helpers import figure

from mlai_course.authoring.benchmarks import printed_text

LAB = REPO_ROOT / "solutions" / "08-lab-a-day-as-an-ai-engineer" / "08-lab-a-day-as-an-ai-engineer.ipynb"
PERCENT = r"(\d+\.\d)%"


@pytest.fixture(scope="module")
def printed() -> str:
    """Everything the source notebook prints, after running it once; it must run without an error."""
    return printed_text(LAB)


def test_the_chosen_chunks_find_nearly_every_answer(printed):
    (rate,) = figure(printed, r"Hit rate at 3 with 32-word chunks, 16 overlapping: (\d+)%")
    assert 85 <= int(rate) <= 100


def test_the_prompt_change_breaks_one_slice_more_than_the_whole(printed):
    pattern = rf"Prompt change: overall {PERCENT} -> {PERCENT}; title disagrees {PERCENT} -> {PERCENT}"
    overall_before, overall_after, slice_before, slice_after = map(float, figure(printed, pattern))
    assert overall_before >= 90
    assert 0 < overall_before - overall_after <= 15, "the overall figure should drop a little"
    assert slice_before - slice_after >= 40, "the title-disagrees slice should collapse"


def test_side_by_side_figures(printed):
    model_accuracy, model_ms = figure(
        printed, rf"Trained model \(lab 07\): accuracy {PERCENT}, (\d+\.\d+) ms per posting"
    )
    assert 90 <= float(model_accuracy) <= 99.5
    assert 0 < float(model_ms) < 5, "a batch of 300 predictions takes well under 5 ms per posting"
    pattern = (
        rf"LLM application \(lab 08\): accuracy {PERCENT}, (\d+) ms per posting .*, USD (\d+\.\d+) per 1,000"
    )
    app_accuracy, app_ms, app_usd = figure(printed, pattern)
    assert 85 <= float(app_accuracy) < float(model_accuracy), (
        "the application is good, the trained model better"
    )
    assert 300 <= int(app_ms) <= 2000, "the course's example latency of a hosted model"
    assert 0.05 <= float(app_usd) <= 0.5, "the course's example prices for the terse prompt"


def test_the_application_misses_at_senior_levels(printed):
    junior_mid, senior_staff = figure(
        printed, rf"LLM application: junior and mid {PERCENT}, senior and staff {PERCENT}"
    )
    assert float(junior_mid) >= 95
    assert float(junior_mid) - float(senior_staff) >= 8, "the blurring line should show at senior levels"
