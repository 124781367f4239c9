"""The synthetic job postings: reproducible from their generator and consistent with the seed tables."""

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

from mlai_course.learner.data import load_table
from mlai_course.learner.schemas import LEVELS, ROLES

GENERATOR = REPO_ROOT / "tools" / "generate_job_postings.py"
COMMITTED = REPO_ROOT / "data" / "job_postings_synthetic.csv"


def run_generator(*args: str) -> subprocess.CompletedProcess:
    # A different hash seed from this process's, so nothing may depend on set or dict hashing order.
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    return subprocess.run(
        [sys.executable, str(GENERATOR), *args], capture_output=True, text=True, env=environment, check=True
    )


@pytest.fixture(scope="module")
def postings():
    return load_table("job_postings_synthetic")


def test_regenerating_reproduces_the_committed_file_byte_for_byte(tmp_path):
    output = tmp_path / "postings.csv"
    result = run_generator("--output", str(output))
    assert output.read_bytes() == COMMITTED.read_bytes(), (
        "data/job_postings_synthetic.csv is out of date: run .venv/bin/python tools/generate_job_postings.py"
    )
    assert f"wrote {len(load_table('job_postings_synthetic'))} synthetic postings" in result.stdout


def test_generator_follows_the_seed_tables_it_reads(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    compensation = data_dir / "compensation.csv"
    compensation.write_text(
        compensation.read_text(encoding="utf-8").replace(
            "Junior,1,AI Engineer,125000,160000", "Junior,1,AI Engineer,1000,41000"
        ),
        encoding="utf-8",
    )
    run_generator("--data-dir", str(data_dir))
    regenerated = load_table("job_postings_synthetic", data_dir)
    junior_ai = regenerated[(regenerated["level"] == "Junior") & (regenerated["role"] == "AI Engineer")]
    assert len(junior_ai) > 0
    assert junior_ai["salary_low_usd"].min() >= 1000 and junior_ai["salary_high_usd"].max() <= 41000


def test_size_and_synthetic_label(postings):
    assert 300 <= len(postings) <= 2000
    assert "synthetic" in COMMITTED.name
    assert postings["posting_id"].tolist() == list(range(1, len(postings) + 1))


def test_every_role_and_level_is_represented(postings):
    counts = postings.groupby(["role", "level"]).size()
    assert {(role, level) for role in ROLES for level in LEVELS} == set(counts.index)
    assert counts.min() >= 20


def test_every_salary_lies_in_the_seed_band_for_its_level_and_role(postings):
    bands = load_table("compensation").rename(
        columns={"low_usd": "band_low_usd", "high_usd": "band_high_usd"}
    )
    merged = postings.merge(bands, on=["level", "role"], how="left", validate="many_to_one")
    assert merged["band_low_usd"].notna().all()
    outside = merged[
        (merged["salary_low_usd"] < merged["band_low_usd"])
        | (merged["salary_high_usd"] > merged["band_high_usd"])
        | (merged["salary_low_usd"] >= merged["salary_high_usd"])
    ]
    assert outside.empty, outside[["posting_id", "level", "role", "salary_low_usd", "salary_high_usd"]]


def test_skills_come_from_the_seed_lists_for_the_role(postings):
    skills = load_table("skills")

    def seed_list(role, skill_list):
        return set(skills[(skills["role"] == role) & (skills["skill_list"] == skill_list)]["skill"])

    overlap = seed_list("Both", "overlap")
    for row in postings.itertuples():
        asked = row.skills.split("; ")
        assert len(asked) == len(set(asked)), f"posting {row.posting_id} repeats a skill"
        required = seed_list(row.role, "required")
        allowed = required | overlap
        if row.level in ("Senior", "Staff"):
            allowed |= seed_list(row.role, "senior_blurring")
        assert set(asked) <= allowed, f"posting {row.posting_id}: {set(asked) - allowed}"
        assert len(set(asked) & required) >= 3, f"posting {row.posting_id} asks for few required skills"


def test_senior_blurring_skills_appear_only_at_senior_levels(postings):
    blurring = set(load_table("skills").query("skill_list == 'senior_blurring'")["skill"])
    has_blurring = postings["skills"].str.split("; ").apply(lambda asked: bool(set(asked) & blurring))
    assert set(postings.loc[has_blurring, "level"]) == {"Senior", "Staff"}


def test_sector_and_title_fit_the_role_and_level(postings):
    sectors = load_table("hiring_sectors")
    for row in postings.itertuples():
        assert row.sector in set(sectors[sectors["role"] == row.role]["sector"])
        assert row.title.endswith("Engineer")
        assert row.title.startswith(row.level) == (row.level != "Mid"), row.title
        assert ("AI" in row.title) == (row.role == "AI Engineer"), row.title
