"""The labs' described postings: reproducible, labelled by the work, drifting as documented."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

from mlai_course.labs import generate
from mlai_course.labs.generate import REWORDED, ArticleLists, in_sentence, make_postings
from mlai_course.labs.postings import load_postings, title_disagrees
from mlai_course.learner.schemas import ROLES

GENERATOR = REPO_ROOT / "tools" / "generate_lab_postings.py"
FILES = ("lab_postings_synthetic.csv", "lab_postings_next_quarter_synthetic.csv")
ML, AI = ROLES
NICE_TO_HAVE = ("Nice to have", "Bonus if", "A plus")
SENIOR = ("At this level", "Seniors here")


def run_generator(*args: str) -> subprocess.CompletedProcess:
    # A different hash seed from this process's, so nothing may depend on set or dict hashing order.
    environment = {**os.environ, "PYTHONHASHSEED": "4321"}
    return subprocess.run(
        [sys.executable, str(GENERATOR), *args], capture_output=True, text=True, env=environment, check=True
    )


@pytest.fixture(scope="module")
def this_quarter():
    return load_postings("this")


@pytest.fixture(scope="module")
def next_quarter():
    return load_postings("next")


@pytest.fixture(scope="module")
def without_typos():
    """A fresh batch of each quarter with typos switched off, so phrases can be matched exactly."""
    typo_share = generate.TYPO_SHARE
    generate.TYPO_SHARE = 0
    try:
        return {quarter: make_postings(400, seed=5, quarter=quarter) for quarter in ("this", "next")}
    finally:
        generate.TYPO_SHARE = typo_share


def test_regenerating_reproduces_the_committed_files_byte_for_byte(tmp_path):
    result = run_generator("--output-dir", str(tmp_path))
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (REPO_ROOT / "data" / name).read_bytes(), (
            f"data/{name} is out of date: run .venv/bin/python tools/generate_lab_postings.py"
        )
    assert "wrote 1000 synthetic postings (this quarter)" in result.stdout
    assert "wrote 500 synthetic postings (next quarter)" in result.stdout


def test_generator_builds_descriptions_from_the_article_tables_it_reads(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    skills = data_dir / "skills.csv"
    text = skills.read_text(encoding="utf-8")
    skills.write_text(text.replace("Statistics and linear algebra", "Zebra wrangling"), encoding="utf-8")
    run_generator("--data-dir", str(data_dir))
    regenerated = load_postings("this", data_dir)
    assert regenerated["description"].str.contains("zebra wrangling", case=False).any()
    assert not regenerated["description"].str.contains("linear algebra", case=False).any()


def test_sizes_splits_and_ids(this_quarter, next_quarter):
    for name in FILES:
        assert (REPO_ROOT / "data" / name).stat().st_size < 400_000
    assert this_quarter["split"].value_counts().to_dict() == {"train": 700, "test": 300}
    assert next_quarter["split"].value_counts().to_dict() == {"test": 300, "train": 200}
    assert this_quarter["posting_id"].tolist() == list(range(1, 1001))
    assert next_quarter["posting_id"].tolist() == list(range(1001, 1501))
    for postings in (this_quarter, next_quarter):
        assert postings["description"].str.len().between(60, 700).all()
        assert not postings["description"].str.contains("$", regex=False).any()


def test_stated_shares_of_work_and_disagreeing_titles(this_quarter, next_quarter):
    assert 0.45 <= (this_quarter["role"] == AI).mean() <= 0.55
    assert 0.60 <= (next_quarter["role"] == AI).mean() <= 0.70
    assert 0.17 <= title_disagrees(this_quarter).mean() <= 0.23
    assert 0.25 <= title_disagrees(next_quarter).mean() <= 0.35
    for postings in (this_quarter, next_quarter):
        titles = postings["title"]
        names_ai = titles.str.contains(r"\bAI\b")
        assert (names_ai == (postings["title_role"] == AI)).all(), "title_role is the role the title names"


def phrases_of(lists: ArticleLists, role: str) -> list[str]:
    """A role's work phrases as the descriptions word them: the article's and next quarter's rewording."""
    phrases = lists.required[role] + lists.tasks[role]
    return [in_sentence(phrase) for phrase in phrases + [REWORDED[p] for p in phrases if p in REWORDED]]


def test_the_label_is_the_work_each_description_holds(without_typos):
    lists = ArticleLists.load()
    for postings in without_typos.values():
        for row in postings.itertuples():
            other = AI if row.role == ML else ML
            own = sum(phrase in row.description for phrase in phrases_of(lists, row.role))
            foreign = [phrase for phrase in phrases_of(lists, other) if phrase in row.description]
            assert own >= 1, f"no work of its role in: {row.description}"
            for phrase in foreign:
                sentence = next(s for s in re.split(r"(?<=\.) ", row.description) if phrase in s)
                # the other role's skill is a "nice to have", or a word of the role's own "blurring line" list
                assert sentence.startswith(NICE_TO_HAVE + SENIOR), sentence
                if sentence.startswith(SENIOR):
                    assert row.level in ("Senior", "Staff"), row


def test_next_quarter_rewords_the_ai_engineers_phrases_only(without_typos):
    this_text = " ".join(without_typos["this"]["description"])
    next_text = " ".join(without_typos["next"]["description"])
    for new_wording in REWORDED.values():
        assert in_sentence(new_wording) not in this_text
    reworded_used = sum(in_sentence(new_wording) in next_text for new_wording in REWORDED.values())
    assert reworded_used >= len(REWORDED) - 2
    new_words = {"assistant", "embedding", "agentic", "spend"}
    this_words = set(re.findall(r"[a-z]+", this_text.lower()))
    assert new_words.isdisjoint(this_words)
    assert new_words <= set(re.findall(r"[a-z]+", next_text.lower()))


def test_make_postings_is_reproducible_and_checks_its_arguments():
    first = make_postings(30, seed=12, test_count=10)
    assert first.equals(make_postings(30, seed=12, test_count=10))
    assert not first["description"].equals(make_postings(30, seed=13, test_count=10)["description"])
    assert (first["split"] == "test").sum() == 10
    with pytest.raises(ValueError, match="quarter must be one of"):
        make_postings(5, seed=1, quarter="last")
    with pytest.raises(ValueError, match="test_count must be between 0 and count"):
        make_postings(5, seed=1, test_count=6)
