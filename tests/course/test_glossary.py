"""The glossary: one place, in the folder learners open, every term defined, linked from every module, and
every word a setup cell promises explained."""

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
    "Judgement task",
    "Undecided",
    "Source article",
    # what modules 04-06 lean on
    "Overlap",
    "Software engineering fundamentals",
    "Data processing abilities",
    "Production mindset",
    "The blurring line",
    "Senior levels",
    "Cross-functional skills",
    "Custom model evaluation",
    "LLM integration",
    "Prompt engineering for evals",
    "Application context",
    "Job title",
    "Career switch",
    "ML fundamentals",
    "Algorithm",
    "System design",
    "Product-oriented system design",
    "Research-focused company",
    "Paper discussion",
    "Barrier to entry",
    "Frontier model",
    "Full-stack and backend engineering",
    "Tool maturity",
    "Prediction",
    "isin",
    "tuple",
    "None",
    "The course's reading",
    "Two bites at the same apple",
    "Bug hunt",
    "Exit ticket",
    "Self-rating",
    "Role profile",
    "Progress file",
    "Example learner",
    "Capstone",
    "Written reflection",
    # what lab 07 leans on
    "scikit-learn",
    "Label",
    "Feature",
    "Classifier",
    "Train/test split",
    "Baseline",
    "TF-IDF",
    "Vectorizer and vocabulary",
    "Word pairs",
    "Logistic regression",
    "Weights",
    "Pipeline",
    "Accuracy",
    "Precision",
    "Recall",
    "Confusion matrix",
    "Slice",
    "p-value",
    "Significance level and power",
    "Sample size",
    "Two-proportion z-test",
    "Percentage point",
    "Peeking",
    "Throughput",
    "Batch",
    "Ship",
    "Endpoint",
    "Model card",
    "Confidence",
    "Pickle",
    "Checksum",
    "Input drift and prediction drift",
    "Sparse matrix",
    "Random seed",
    # what lab 08 leans on
    "Stand-in model",
    "Hosted model",
    "API key",
    "Chat messages",
    "Temperature",
    "Few-shot prompt",
    "Tokenizer",
    "Vector",
    "Cosine similarity",
    "Retrieval",
    "Prompt injection",
    "Personal data redaction",
    "JSON",
    "JSON schema",
    "Parse",
    "Fallback",
    "Cache",
    "Deep copy",
    "Evaluation set",
    "Regression check",
    "Hit rate at k",
]
# A setup cell names a few words the glossary explains: "Words you do not know yet (RAG, drift, ...) are ...".
PROMISED_WORDS = re.compile(r"Words you do not know yet \(([^()]*)\)")


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


def glossary_keys(text: str) -> set[str]:
    """Each heading's name and its bracketed alias, lower-cased: "### Evaluation (evals)" gives both."""
    keys = set()
    for heading in re.findall(r"^### (.+)$", text, flags=re.M):
        name, _, alias = heading.partition(" (")
        keys.add(name.strip().lower())
        if alias:
            keys.add(alias.removesuffix(")").strip().lower())
    return keys


def is_defined(word: str, keys: set[str]) -> bool:
    """Whether the glossary defines `word`, in the singular or the plural: "guardrail" is "Guardrails"."""
    word = word.lower()
    return bool({word, word + "s", word.removesuffix("s")} & keys)


def setup_cell(path: Path):
    return next(
        (cell for cell in read(path).cells if cell.cell_type == "markdown" and "## Setup" in cell.source),
        None,
    )


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
    assert glossary_keys(text) == {"rag", "retrieval", "token"}
    assert is_defined("Tokens", glossary_keys(text)) and is_defined("retrieval", glossary_keys(text))
    assert not is_defined("guardrail", glossary_keys(text))


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_every_module_links_to_the_glossary_from_its_setup(folder):
    for path in module_paths(REPO_ROOT, folder):
        setup = setup_cell(path)
        assert setup is not None, f"{path.name}: no '## Setup' markdown cell"
        assert f"]({LINK})" in setup.source, f"{path.name}: the setup cell should link to {LINK}"


def test_the_link_resolves_in_the_folder_learners_open():
    for path in module_paths(REPO_ROOT, "notebooks"):
        target = Path(path.parent, LINK).resolve()
        assert target == GLOSSARY.resolve() and target.is_file(), f"{path}: {LINK} does not resolve"


def test_the_words_a_setup_cell_names_are_in_the_glossary():
    keys = glossary_keys(GLOSSARY.read_text(encoding="utf-8"))
    named = 0
    for path in module_paths(REPO_ROOT, "solutions"):
        setup = setup_cell(path)
        found = setup and PROMISED_WORDS.search(setup.source)
        if not found:
            continue
        words = [word.strip() for word in found.group(1).split(",") if word.strip() not in ("", "...", "…")]
        for word in words:
            assert is_defined(word, keys), f"{path.name}: the setup cell names {word!r}: glossary.md lacks it"
        named += len(words)
    assert named > 0, "no setup cell names the words the glossary explains: 'Words you do not know yet (...)'"
