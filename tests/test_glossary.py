"""The glossary: one place, in the folder learners open, every term defined, linked from every module."""

import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from notebook_helpers import module_paths, read

GLOSSARY = REPO_ROOT / "notebooks" / "glossary.md"
LINK = "../glossary.md"
# Terms a newcomer meets in the course and must find defined (more are welcome). A term matches a heading's
# name: the heading without a bracketed part, e.g. "### Evaluation (evals)" is the term "Evaluation".
REQUIRED_TERMS = [
    # the list
    "RAG",
    "LoRA",
    "Fine-tuning",
    "Quantization",
    "Pruning",
    "Drift",
    "Guardrails",
    "Vector database",
    "Embeddings",
    "LLM",
    "Foundation model",
    "MLOps",
    "Model serving",
    "Feature engineering",
    "A/B test",
    "Evaluation",
    "Agent frameworks",
    "Prompt engineering",
    "Token",
    "Context window",
    "Multi-modal",
    "Inference latency",
    "Experiment tracking",
    "Training pipeline",
    "Distributed training",
    "Bias-variance",
    "Overfitting",
    "MLflow",
    "Kubeflow",
    "Airflow",
    # what modules 01-03 lean on
    "API",
    "Pre-trained model",
    "Production",
    "Chunking",
    "LLM chain",
    "Retrain trigger",
    "Levels",
    "Salary band",
    "Midpoint",
    "Median",
    "Premium",
    "Synthetic data",
    "DataFrame",
    "Series",
    "groupby",
    "value_counts",
    "pivot and pivot_table",
    "str.contains",
    "Regular expression",
    "NaN",
    "Validate",
    "Autograder",
    "Hidden tests",
    "Source article",
]


def glossary_entries(text: str) -> dict[str, str]:
    """{heading name: definition} for every '### ' heading: the text up to the next heading."""
    entries = {}
    parts = re.split(r"^(#{1,3}) (.+)$", text, flags=re.M)
    # re.split with two groups gives [before, level, heading, body, level, heading, body, ...]
    for level, heading, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        if level == "###":
            name = re.sub(r"\s*\(.*\)$", "", heading).strip()
            assert name not in entries, f"glossary.md defines {name!r} twice"
            entries[name] = body.strip()
    return entries


@pytest.fixture(scope="module")
def entries() -> dict[str, str]:
    assert GLOSSARY.is_file(), "notebooks/glossary.md is missing: learners open notebooks/, so it lives there"
    return glossary_entries(GLOSSARY.read_text(encoding="utf-8"))


def test_glossary_says_its_definitions_are_the_course_own_words():
    assert "the course's own" in GLOSSARY.read_text(encoding="utf-8")


def test_every_heading_has_a_plain_words_definition(entries):
    assert len(entries) >= len(REQUIRED_TERMS)
    for name, definition in entries.items():
        words = definition.split()
        assert len(words) >= 6, f"glossary.md: {name!r} needs a sentence or two, got {definition!r}"
        assert definition.endswith((".", ")")), f"glossary.md: {name!r}: end the definition with a full stop"


@pytest.mark.parametrize("term", REQUIRED_TERMS)
def test_required_term_is_defined(entries, term):
    assert term.lower() in {name.lower() for name in entries}, f"glossary.md has no '### {term}' entry"


def test_glossary_parser_reads_names_and_bodies():
    text = "# G\n\nIntro.\n\n## Group\n\n### RAG (retrieval)\n\nLooks things up.\n\n### Token\n\nA bit.\n"
    assert glossary_entries(text) == {"RAG": "Looks things up.", "Token": "A bit."}


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_every_module_links_to_the_glossary_from_its_setup(folder):
    for path in module_paths(REPO_ROOT, folder):
        setup = next(
            (cell for cell in read(path).cells if cell.cell_type == "markdown" and "## Setup" in cell.source),
            None,
        )
        assert setup is not None, f"{path.name}: no '## Setup' markdown cell"
        assert f"]({LINK})" in setup.source, f"{path.name}: the setup cell should link to {LINK}"


def test_the_link_resolves_in_the_folder_learners_open():
    for path in module_paths(REPO_ROOT, "notebooks"):
        target = Path(path.parent, LINK).resolve()
        assert target == GLOSSARY.resolve() and target.is_file(), f"{path}: {LINK} does not resolve"
