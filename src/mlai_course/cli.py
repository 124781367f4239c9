"""Command line: `mlai-course release` and `mlai-course check-stripped`."""

import argparse
import sys
from pathlib import Path

from mlai_course import authoring
from mlai_course.paths import find_course_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlai-course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser("release", help="regenerate notebooks/ from solutions/ with nbgrader")
    release.add_argument("--course-root", type=Path, default=None)
    check = commands.add_parser("check-stripped", help="fail if a notebook has outputs or widget state")
    check.add_argument("--course-root", type=Path, default=None)
    args = parser.parse_args(argv)
    root = args.course_root or find_course_root()

    if args.command == "release":
        for path in authoring.release(root):
            print(f"released {path.relative_to(root)}")
        return 0
    if args.command == "check-stripped":
        notebooks = authoring.notebook_files(root / "solutions") + authoring.notebook_files(
            root / "notebooks"
        )
        dirty = authoring.unstripped_notebooks(notebooks)
        for path in dirty:
            print(
                f"{path.relative_to(root)}: has outputs, execution counts or widget state; run `make strip`"
            )
        return 1 if dirty else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
