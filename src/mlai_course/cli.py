"""Command line: `mlai-course release | check-stripped | student-edition | grade | demo-class`.

Authors' commands come from mlai_course.authoring, instructors' from mlai_course.grading; each is imported
only when it runs."""

import argparse
import sys
from pathlib import Path

from mlai_course.learner.paths import find_course_root

DEMO_CLASS_DIR = Path("grading") / "demo" / "class"


def add_grade_parser(commands) -> None:
    from mlai_course.grading.collect import DEFAULT_LMS_REGEX

    grade = commands.add_parser(
        "grade",
        help="grade a class's submissions: grades CSV, scrubbed feedback HTML, summary",
        description="Grade every student of a class for one module, each on their own. Reads "
        "CLASS_DIR/submitted/<student>/<module>/ (or an LMS zip), writes CLASS_DIR/reports/<module>/ "
        "(grades.csv, summary.md, summary.png) and CLASS_DIR/feedback/<student>/<module>/<module>.html. "
        "Each student's notebook runs in a sandbox (bubblewrap, its own unprivileged user, resource "
        "limits): on this machine, or on the workers of a Dask cluster with --scheduler.",
    )
    grade.add_argument("assignment", help="the module, e.g. 01-core-distinction")
    grade.add_argument("--course-root", type=Path, default=None)
    grade.add_argument(
        "--class-dir",
        type=Path,
        default=None,
        help="the nbgrader course root of the class (default: grading/)",
    )
    grade.add_argument(
        "--lms-zip", type=Path, default=None, help="an LMS download to collect into submitted/"
    )
    grade.add_argument(
        "--lms-regex",
        default=DEFAULT_LMS_REGEX,
        help="how to read <student> and the original file name from each file name in the LMS zip "
        "(named groups student_id and file_id; default: %(default)s)",
    )
    grade.add_argument(
        "--cell-timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py's)"
    )
    grade.add_argument(
        "--student-timeout",
        type=float,
        default=300.0,
        help="wall-clock seconds to grade one student before the process is killed (default: %(default)s)",
    )
    grade.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="students graded at the same time, each in its own sandbox (default: the machine's cores)",
    )
    grade.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="grade on the workers of this Dask scheduler's cluster; this machine keeps the gradebook, the "
        "feedback and the reports (see grading/README.md, 'Grading a large class on a cluster')",
    )
    grade.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run student code WITHOUT the sandbox, with the grader's rights (only if you accept the risk; "
        "grades.csv and the summary say so)",
    )
    grade.add_argument(
        "--export-only",
        action="store_true",
        help="do not autograde: rebuild grades.csv, feedback and summary from the gradebook "
        "(after manual grading in formgrader)",
    )


def run_grade(args, root: Path) -> int:
    from mlai_course.grading.options import GradingOptions
    from mlai_course.grading.pipeline import export_again, grade_class
    from mlai_course.grading.results import STATUSES, GradingError

    options = GradingOptions(
        course_root=root,
        assignment=args.assignment,
        class_dir=(args.class_dir or root / "grading").resolve(),
        cell_timeout=args.cell_timeout,
        student_timeout=args.student_timeout,
        lms_zip=args.lms_zip.resolve() if args.lms_zip else None,
        lms_regex=args.lms_regex,
        sandbox=not args.no_sandbox,
        scheduler=args.scheduler,
    )
    if args.jobs is not None:
        if args.scheduler:
            print(
                "mlai-course grade: --jobs is for this machine; on a cluster each worker thread grades "
                "one student (dask worker --nthreads)",
                file=sys.stderr,
            )
            return 2
        options.jobs = args.jobs
    try:
        results = export_again(options) if args.export_only else grade_class(options)
    except GradingError as error:
        print(f"mlai-course grade: {error}", file=sys.stderr)
        return 2
    counts = {status: sum(1 for r in results if r.status == status) for status in STATUSES}
    print(", ".join(f"{count} {status}" for status, count in counts.items() if count))
    print(f"grades and summary: {options.report_dir}")
    print(f"feedback: {options.class_dir / 'feedback'}/<student>/{options.assignment}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlai-course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    release_command = commands.add_parser(
        "release", help="regenerate notebooks/ from solutions/ with nbgrader"
    )
    release_command.add_argument("--course-root", type=Path, default=None)
    check = commands.add_parser("check-stripped", help="fail if a notebook has outputs or widget state")
    check.add_argument("--course-root", type=Path, default=None)
    edition = commands.add_parser(
        "student-edition", help="write the student edition (no answers, no instructor code) into a folder"
    )
    edition.add_argument("target", type=Path, help="an empty folder, or a checkout of the student edition")
    edition.add_argument("--course-root", type=Path, default=None)
    add_grade_parser(commands)
    demo = commands.add_parser(
        "demo-class", help="write a demo class: one submission per fault kind, and an LMS zip of it"
    )
    demo.add_argument("out_dir", type=Path, nargs="?", default=None, help=f"default: {DEMO_CLASS_DIR}")
    demo.add_argument("--assignment", default=None, help="the module (default: the first in solutions/)")
    demo.add_argument("--course-root", type=Path, default=None)
    args = parser.parse_args(argv)
    root = (args.course_root or find_course_root()).resolve()

    if args.command == "release":
        from mlai_course.authoring.release import release

        for path in release(root):
            print(f"released {path.relative_to(root)}")
        return 0
    if args.command == "check-stripped":
        from mlai_course.authoring.release import notebook_files, unstripped_notebooks

        dirty = unstripped_notebooks(notebook_files(root / "solutions") + notebook_files(root / "notebooks"))
        for path in dirty:
            print(
                f"{path.relative_to(root)}: has outputs, execution counts or widget state; run `make strip`"
            )
        return 1 if dirty else 0
    if args.command == "student-edition":
        from mlai_course.authoring.student_edition import EditionError, write_edition

        try:
            files = write_edition(root, args.target)
        except EditionError as error:
            print(f"mlai-course student-edition: {error}", file=sys.stderr)
            return 2
        print(f"wrote the student edition to {args.target} ({len(files)} files)")
        return 0
    if args.command == "grade":
        return run_grade(args, root)
    if args.command == "demo-class":
        from mlai_course.authoring.release import assignment_names
        from mlai_course.grading.demo_class import make_demo_class

        out_dir = args.out_dir or root / DEMO_CLASS_DIR
        for kind in make_demo_class(root, out_dir, args.assignment or assignment_names(root)[0]):
            print(f"{kind.student_id:18} {kind.description}")
        print(f"wrote {out_dir / 'submitted'} and {out_dir / 'lms-export.zip'}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
