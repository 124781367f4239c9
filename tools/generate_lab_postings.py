"""Write the labs' SYNTHETIC described postings: data/lab_postings_synthetic.csv and its next-quarter batch.

How the postings are made (and how the next quarter drifts) is documented in mlai_course/labs/generate.py
and data/README.md. The output is the same, byte for byte, on every run and platform: fixed seeds, only
random.Random.random(), and csv written with "\\n" line endings.

    python tools/generate_lab_postings.py                 # rewrite both files in data/
    python tools/generate_lab_postings.py --output-dir /tmp/lab
"""

import argparse
import csv
from pathlib import Path

from mlai_course.labs.generate import COLUMNS, COMMITTED_FILES, ArticleLists, generate_rows

REPO_ROOT = Path(__file__).resolve().parents[1]


def write_rows(path: Path, rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, default=REPO_ROOT / "data", help="folder holding the article's tables"
    )
    parser.add_argument("--output-dir", type=Path, help="where to write (default: DATA_DIR)")
    args = parser.parse_args(argv)
    output_dir = args.output_dir or args.data_dir
    lists = ArticleLists.load(args.data_dir)
    for spec in COMMITTED_FILES:
        rows = generate_rows(
            spec.count,
            spec.seed,
            spec.batch,
            test_count=spec.test_count,
            first_id=spec.first_id,
            lists=lists,
        )
        path = output_dir / f"{spec.table}.csv"
        write_rows(path, rows)
        print(f"wrote {len(rows)} synthetic postings ({spec.batch.name}) to {path}")


if __name__ == "__main__":
    main()
