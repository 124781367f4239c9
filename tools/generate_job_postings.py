"""Write data/job_postings_synthetic.csv: made-up job postings for pandas and plotting practice.

The postings are SYNTHETIC: no real posting is behind any row. What they borrow from the seed, they take
from the course's seed tables in data/ (checked by their schemas on the way in):

- each posting's salary range lies inside the seed's band for its level and role (compensation.csv);
- its skills come from the seed's lists for its role: the role's required skills, the skills both roles
  need, and, at Senior and Staff level, the seed's "blurring line" list for the role (skills.csv);
- its sector comes from the seed's hiring sectors for its role (hiring_sectors.csv).

Everything else (how many postings per role and level, titles, range widths, remote share) is invented.

The output is the same, byte for byte, on every run and every platform: a fixed seed, only
random.Random.random() (whose sequence Python keeps stable), and csv written with "\\n" line endings.

    python tools/generate_job_postings.py            # rewrite data/job_postings_synthetic.csv
    python tools/generate_job_postings.py --output /tmp/postings.csv
"""

import argparse
import csv
import random
from pathlib import Path

from mlai_course.labs.generate import below, pick, pick_weighted
from mlai_course.learner.data import load_table

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT_NAME = "job_postings_synthetic.csv"
RANDOM_SEED = 3
POSTINGS = 1200
SALARY_STEP_USD = 5_000
RANGE_WIDTHS_USD = (15_000, 20_000, 25_000, 30_000, 35_000, 40_000)
ROLE_WEIGHTS = {"ML Engineer": 1, "AI Engineer": 1}
LEVEL_WEIGHTS = {"Junior": 3, "Mid": 4, "Senior": 3, "Staff": 1}
TITLE_NAMES = {
    "ML Engineer": ("ML Engineer", "Machine Learning Engineer"),
    "AI Engineer": ("AI Engineer", "Applied AI Engineer"),
}
REMOTE_SHARE = 0.35
COLUMNS = (
    "posting_id",
    "title",
    "role",
    "level",
    "sector",
    "skills",
    "salary_low_usd",
    "salary_high_usd",
    "remote",
)
SKILL_SEPARATOR = "; "


def pick_some(rng: random.Random, items: list, smallest: int, largest: int) -> list:
    """Between `smallest` and `largest` distinct items, kept in the seed's order."""
    count = smallest + below(rng, largest - smallest + 1)
    chosen = set()
    while len(chosen) < count:
        chosen.add(below(rng, len(items)))
    return [items[index] for index in sorted(chosen)]


def seed_lists(data_dir: Path) -> tuple[dict, dict, dict]:
    """Salary bands by (level, role), skill lists by (role, skill_list), sectors by role."""
    compensation = load_table("compensation", data_dir)
    bands = {
        (row.level, row.role): (int(row.low_usd), int(row.high_usd)) for row in compensation.itertuples()
    }
    skills = load_table("skills", data_dir).sort_values(["role", "skill_list", "rank"])
    skill_lists = {key: list(group["skill"]) for key, group in skills.groupby(["role", "skill_list"])}
    sectors = load_table("hiring_sectors", data_dir).sort_values(["role", "rank"])
    sector_lists = {role: list(group["sector"]) for role, group in sectors.groupby("role")}
    return bands, skill_lists, sector_lists


def salary_range(rng: random.Random, band: tuple[int, int]) -> tuple[int, int]:
    """A posting's range: a width from RANGE_WIDTHS_USD, placed on SALARY_STEP_USD steps inside the band."""
    band_low, band_high = band
    width = pick(rng, [width for width in RANGE_WIDTHS_USD if width <= band_high - band_low])
    low = band_low + SALARY_STEP_USD * below(rng, (band_high - width - band_low) // SALARY_STEP_USD + 1)
    return low, low + width


def generate(data_dir: Path) -> list[tuple]:
    bands, skill_lists, sector_lists = seed_lists(data_dir)
    rng = random.Random(RANDOM_SEED)
    postings = []
    for posting_id in range(1, POSTINGS + 1):
        role = pick_weighted(rng, ROLE_WEIGHTS)
        level = pick_weighted(rng, LEVEL_WEIGHTS)
        name = pick(rng, TITLE_NAMES[role])
        title = name if level == "Mid" else f"{level} {name}"
        sector = pick(rng, sector_lists[role])
        skills = pick_some(rng, skill_lists[(role, "required")], 3, 6)
        skills += pick_some(rng, skill_lists[("Both", "overlap")], 0, 2)
        if level in ("Senior", "Staff"):
            skills += pick_some(rng, skill_lists[(role, "senior_blurring")], 0, 2)
        low, high = salary_range(rng, bands[(level, role)])
        remote = rng.random() < REMOTE_SHARE
        postings.append(
            (posting_id, title, role, level, sector, SKILL_SEPARATOR.join(skills), low, high, str(remote))
        )
    return postings


def write_postings(output: Path, data_dir: Path) -> int:
    """Write the postings to `output`; return how many there are."""
    postings = generate(data_dir)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(postings)
    return len(postings)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=REPO_ROOT / "data", help="folder holding the seed tables"
    )
    parser.add_argument("--output", type=Path, help=f"where to write (default: DATA_DIR/{OUTPUT_NAME})")
    args = parser.parse_args(argv)
    output = args.output or args.data_dir / OUTPUT_NAME
    count = write_postings(output, args.data_dir)
    print(f"wrote {count} synthetic postings to {output}")


if __name__ == "__main__":
    main()
