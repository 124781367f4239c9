"""Lab 08 tells the story it says, and teaches correct practice: its printed key figures, its plots and the
figures its texts quote, read from one run of the source notebook.

Each figure is checked loosely (a range, not one number), so that a new scikit-learn or pandas may move the
numbers a little, but cannot silently break the story the lab's text tells: retrieval that finds nearly
every answer; passages in the prompt that change the answers (better with retrieval, worse with poor
retrieval); a temperature check that can show variation; a prompt change that a slice-by-slice check must
refuse; and, on the same 300 test postings, a comparison of like with like (latency, throughput) that gives
both approaches their running and labelling costs.
"""

import re

import pytest
import yaml
from conftest import REPO_ROOT
from lab_run import plot_problems, run_lab
from notebook_helpers import figure, read

from mlai_course.labs.app import MAX_POSTING_CHARS
from mlai_course.learner.plots import ROLE_COLOURS

NAME = "08-lab-a-day-as-an-ai-engineer"
LAB = REPO_ROOT / "solutions" / NAME / f"{NAME}.ipynb"
BANK = REPO_ROOT / "data" / "quiz_banks" / f"{NAME}.yaml"
PERCENT = r"(\d+\.\d)%"
WHOLE = r"(\d+)%"
COURSE_COLOURS = {colour.lower() for colour in ROLE_COLOURS.values()} | {"#000000"}


@pytest.fixture(scope="module")
def lab():
    """The source notebook, run once; it must run without an error."""
    return run_lab(LAB)


@pytest.fixture(scope="module")
def printed(lab) -> str:
    return lab.printed


def test_the_chosen_chunks_find_nearly_every_answer(printed):
    (rate,) = figure(printed, r"Hit rate at 3 with 32-word chunks, 16 overlapping: (\d+)%")
    assert 85 <= int(rate) <= 100


def test_the_passages_reach_the_prompt_and_change_the_answers(printed):
    count, closed, rag, poor = figure(
        printed,
        rf"Right answers on (\d+) postings: closed book {WHOLE}, retrieval {WHOLE}, poor retrieval {WHOLE}",
    )
    assert int(count) >= 50
    assert int(rag) >= 90 and int(rag) > int(closed), "retrieval should help the answers"
    assert int(poor) < int(closed) - 30, "passages cut away from their headings should support almost nothing"
    rows = dict(
        (setup, tuple(map(int, numbers)))
        for setup, *numbers in re.findall(
            rf"^(closed book|retrieval|poor retrieval): junior and mid {WHOLE}, senior and staff {WHOLE}, "
            rf"sent to a person {WHOLE}, citing a passage {WHOLE}",
            printed,
            re.M,
        )
    )
    assert set(rows) == {"closed book", "retrieval", "poor retrieval"}
    assert rows["closed book"][3] == 0, "closed book, no answer can cite a passage"
    assert rows["retrieval"][3] >= 90, "with retrieval, the answers cite the passages they rely on"
    assert rows["poor retrieval"][2] >= 50, "with poor retrieval, most postings go to a person"


def test_the_temperature_check_calls_the_model_each_time_and_can_show_variation(printed):
    (at_zero,) = figure(printed, r"5 calls at temperature 0: (\d+) different answer")
    (at_one,) = figure(printed, r"5 calls at temperature 1\.0: (\d+) different answer")
    assert int(at_zero) == 1 and int(at_one) > 1
    source = next(cell.source for cell in read(LAB).cells if "5 calls at temperature" in cell.source)
    assert re.search(r"\{\s*client\.chat\.completions\.create\(.*\bfor _ in range\(5\)", source, re.S), (
        "the check must call the model inside the loop, once per answer"
    )


def test_the_sdk_is_what_the_learner_calls(printed):
    assert "<class 'openai.OpenAI'>" in printed
    assert "ChatCompletion · " in printed
    assert re.search(r"BadRequestError, HTTP 400: .*temperature", printed)


def test_the_prompt_change_breaks_one_slice_far_more_than_the_whole(printed):
    pattern = rf"Prompt change: overall {PERCENT} -> {PERCENT}; title disagrees {PERCENT} -> {PERCENT}"
    overall_before, overall_after, slice_before, slice_after = map(float, figure(printed, pattern))
    assert overall_before >= 90
    assert 0 < overall_before - overall_after <= 15, "the overall figure should drop"
    assert slice_before - slice_after >= 40, "the title-disagrees slice should collapse"
    overall_drop, slice_drop, times = figure(
        printed, r"Drops: overall (\d+\.\d) points, title disagrees (\d+\.\d) points \((\d+) times as much\)"
    )
    assert abs(float(overall_drop) - (overall_before - overall_after)) < 0.15
    assert int(times) >= 3 and abs(float(slice_drop) / float(overall_drop) - int(times)) <= 0.5


def test_side_by_side_compares_like_with_like(printed):
    (model_accuracy,) = figure(printed, rf"Trained model \(lab 07\): accuracy {PERCENT}")
    app_accuracy, to_a_person = figure(
        printed, rf"LLM application \(lab 08\): accuracy {PERCENT}, {PERCENT} sent to a person"
    )
    assert 90 <= float(model_accuracy) <= 99.5 and 85 <= float(app_accuracy) <= 99.5
    assert float(to_a_person) < 10
    model_ms, app_ms, local_ms = figure(
        printed,
        r"Latency, one posting at a time: trained model (\d+\.\d+) ms \(measured\); LLM application (\d+) ms "
        r"\(the course's example hosted latency, plus (\d+\.\d) ms measured here\)",
    )
    assert 0 < float(model_ms) < 100, "one prediction of a small model, one posting at a time"
    assert 300 <= int(app_ms) <= 2000 and float(local_ms) < int(app_ms)
    model_rate, app_rate, calls = figure(
        printed,
        r"Throughput: trained model ([\d,]+) postings per second \(measured, one batch of 300\); "
        r"LLM application (\d+) postings per second \((\d+) calls at once, the course's example\)",
    )
    assert int(model_rate.replace(",", "")) > 10 * int(app_rate) > 0
    assert abs(int(app_rate) - int(calls) * 1000 / int(app_ms)) <= 1, "calls at once over the latency"


def test_both_approaches_have_running_and_labelling_costs(printed):
    model_usd, app_usd, tokens_usd = map(
        float,
        figure(
            printed,
            r"Running cost per 1,000 postings: trained model USD (\d+\.\d+) \(the server's share\); "
            r"LLM application USD (\d+\.\d+) \(the same share, plus USD (\d+\.\d+) of tokens\)",
        ),
    )
    assert model_usd > 0, "the trained model's serving is not free"
    assert abs(app_usd - model_usd - tokens_usd) <= 0.011 and tokens_usd > 0
    model_labels, model_labels_usd, app_labels, app_labels_usd = figure(
        printed,
        r"Labelling: trained model (\d+) postings, USD ([\d.,]+); "
        r"LLM application (\d+) postings, USD ([\d.,]+)",
    )
    assert int(model_labels) == 700 and 0 < int(app_labels) < int(model_labels)
    assert float(model_labels_usd) / int(model_labels) == pytest.approx(
        float(app_labels_usd) / int(app_labels)
    )
    assert "course's example figures" in printed


def test_the_senior_slice_is_printed_and_called_a_demonstration(printed):
    figure(printed, rf"LLM application: junior and mid {PERCENT}, senior and staff {PERCENT}")
    text = " ".join(cell.source for cell in read(LAB).cells if cell.cell_type == "markdown")
    assert "The senior slice is the course's demonstration, not evidence" in text


def test_the_plots_keep_their_legends_off_the_data_and_use_the_course_colours(lab):
    assert len(lab.figures) >= 7
    problems = [problem for record in lab.figures for problem in plot_problems(record, COURSE_COLOURS)]
    assert problems == []


# --- Figures quoted in the text are the figures the notebook computes ------------------------------------


def question(question_id: str) -> str:
    bank = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    found = next(item for item in bank["questions"] if item["id"] == question_id)
    parts = [found["prompt"]]
    for option in found.get("options", []) + found.get("items", []):
        parts += [option.get("text", ""), option.get("explanation", "")]
    return " ".join(" ".join(parts).split())


def test_the_regression_question_quotes_the_prompt_change_as_computed(printed):
    pattern = rf"Prompt change: overall {PERCENT} -> {PERCENT}; title disagrees {PERCENT} -> {PERCENT}"
    before, after, slice_before, slice_after = figure(printed, pattern)
    quoted = question("regression-slices")
    assert f"from {before}% to {after}%" in quoted and f"from {slice_before}% to {slice_after}%" in quoted, (
        quoted
    )


def test_the_too_terse_question_quotes_the_prompt_costs_as_computed(printed):
    terse, longest, share = figure(
        printed,
        rf"Terse: {WHOLE} right at .*; long with 4 examples: {WHOLE} at .* \(terse costs {WHOLE} of it\)",
    )
    quoted = question("too-terse")
    assert f"scored {terse}% for {share}% of the cost" in quoted and f"which scored {longest}%" in quoted, (
        quoted
    )


def test_the_senior_question_quotes_the_closed_book_figures_as_computed(printed):
    (count,) = figure(printed, r"Right answers on (\d+) postings")
    junior, senior = figure(printed, rf"closed book: junior and mid {WHOLE}, senior and staff {WHOLE}")
    quoted = question("senior-misses")
    assert junior == "100" and "every junior and mid posting" in quoted, (
        "the question says every one was right"
    )
    assert f"of the {count} right" in quoted and f"{senior}% of the senior and staff" in quoted, quoted


def test_the_apps_length_limit_is_the_one_its_text_states():
    text = " ".join(cell.source for cell in read(LAB).cells)
    assert MAX_POSTING_CHARS == 5000 and "5,000 characters" in text


def test_the_exercises_would_you_ship_it_is_answered_after_it():
    sources = [cell.source for cell in read(LAB).cells if cell.cell_type == "markdown"]
    asked = next(index for index, source in enumerate(sources) if "would you ship it?" in source)
    answered = [index for index, source in enumerate(sources) if source.startswith("**Would you ship it?**")]
    assert answered and answered[0] > asked, "the lab takes up its own question"
