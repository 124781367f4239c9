"""Command line: `mlai-course release | strip | check-stripped | student-edition | grade | demo-class |
class-hub | collect | release-feedback`.

Authors' commands come from mlai_course.authoring, instructors' from mlai_course.grading; each is imported
only when it runs."""

import argparse
import os
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
    from mlai_course.grading.files import give_to_owner
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
    finally:
        give_to_owner(options.class_dir)  # run with sudo on the instructor's folder: theirs again
    counts = {status: sum(1 for r in results if r.status == status) for status in STATUSES}
    print(", ".join(f"{count} {status}" for status, count in counts.items() if count))
    print(f"grades and summary: {options.report_dir}")
    print(f"feedback: {options.class_dir / 'feedback'}/<student>/{options.assignment}/")
    return 0


def add_hub_parsers(commands) -> None:
    hub = commands.add_parser(
        "class-hub",
        help="set up one class on this machine's JupyterHub (users, exchange, course) and start the hub",
        description="As root: create a system user per roster id, nbgrader's exchange, the student edition "
        "for every server and the instructor's copy of the course, then start JupyterHub (PAM login, each "
        "server in a sandbox as its own user). Ctrl-C stops the hub.",
    )
    hub.add_argument("roster", type=Path, help="CSV with the columns id and role (instructor or student)")
    hub.add_argument("--class-root", type=Path, default=Path("/srv/mlai-class"), help="default: %(default)s")
    hub.add_argument("--home-root", type=Path, default=Path("/home"), help="new users' homes go here")
    hub.add_argument("--ip", default="127.0.0.1", help="address the hub listens on (default: %(default)s)")
    hub.add_argument("--port", type=int, default=8000, help="default: %(default)s")
    hub.add_argument("--hub-port", type=int, default=8081, help="the hub's internal port, on 127.0.0.1")
    hub.add_argument("--proxy-api-port", type=int, default=8001, help="the proxy's API port, on 127.0.0.1")
    hub.add_argument("--ssl-key", type=Path, default=None)
    hub.add_argument("--ssl-cert", type=Path, default=None)
    hub.add_argument("--set-up-only", action="store_true", help="set the class up, do not start the hub")
    hub.add_argument("--course-root", type=Path, default=None)
    for name, help_text, description in (
        (
            "collect",
            "collect a module's submissions from nbgrader's exchange, refusing impostors",
            "Copy each student's newest submission of the module from EXCHANGE/<course>/inbound/ into "
            "CLASS_DIR/submitted/<student>/<module>/, after checking that every file of it belongs to the "
            "student it claims to be from. Refused submissions are listed with their reason, and in "
            "CLASS_DIR/reports/<module>/exchange-collection.csv.",
        ),
        (
            "release-feedback",
            "return the graded module's scrubbed feedback to the students through nbgrader's exchange",
            "Check every student's feedback again (no hidden test, no solution line) and put it where "
            "their Assignments tab fetches it: EXCHANGE/<course>/feedback/.",
        ),
    ):
        command = commands.add_parser(name, help=help_text, description=description)
        command.add_argument("assignment", help="the module, e.g. 01-core-distinction")
        where = command.add_mutually_exclusive_group(required=True)
        where.add_argument("--exchange", type=Path, help="the root of nbgrader's file exchange")
        if name == "release-feedback":
            where.add_argument(
                "--for-nbgrader",
                action="store_true",
                help="for another exchange (e.g. ngshare): check, then put nbgrader's timestamp.txt and "
                "submission_secret.txt beside each checked file, for `nbgrader release_feedback`",
            )
        command.add_argument("--class-dir", type=Path, default=None, help="default: grading/")
        command.add_argument("--course-root", type=Path, default=None)


def run_class_hub(args, root: Path) -> int:
    from mlai_course.grading.class_hub import ClassHub, hub_command, set_up_class
    from mlai_course.grading.results import GradingError
    from mlai_course.grading.roster import read_roster

    try:
        hub = ClassHub(
            course_root=root,
            class_root=args.class_root.resolve(),
            roster=read_roster(args.roster),
            home_root=args.home_root.resolve(),
            ip=args.ip,
            port=args.port,
            hub_port=args.hub_port,
            proxy_api_port=args.proxy_api_port,
            ssl_key=args.ssl_key.resolve() if args.ssl_key else None,
            ssl_cert=args.ssl_cert.resolve() if args.ssl_cert else None,
        )
        set_up_class(hub)
        if args.set_up_only:
            return 0
        command, env = hub_command(hub)
    except GradingError as error:
        print(f"mlai-course class-hub: {error}", file=sys.stderr)
        return 2
    print(f"class-hub: starting JupyterHub on {args.ip}:{args.port} (Ctrl-C stops it)", flush=True)
    os.chdir(hub.state_dir)
    os.execve(command[0], command, env)


def run_exchange_command(args, root: Path) -> int:
    from mlai_course.grading.files import give_to_owner
    from mlai_course.grading.gradebook import course_id
    from mlai_course.grading.options import GradingOptions, check_options
    from mlai_course.grading.results import GradingError

    class_dir = (args.class_dir or root / "grading").resolve()
    options = GradingOptions(course_root=root, assignment=args.assignment, class_dir=class_dir)
    prefix = f"mlai-course {args.command}"
    try:
        check_options(options)
        course = course_id(root)
        exchange = args.exchange.resolve() if args.exchange else None
        if args.command == "collect":
            code = collect_exchange(options, exchange, course)
        else:
            code = release_exchange_feedback(options, exchange, course)
    except GradingError as error:
        print(f"{prefix}: {error}", file=sys.stderr)
        return 2
    give_to_owner(class_dir)
    return code


def collect_exchange(options, exchange: Path, course: str) -> int:
    from mlai_course.grading import gradebook
    from mlai_course.grading.exchange_collect import collect_from_exchange
    from mlai_course.grading.intake import display_name

    students = None
    if (options.class_dir / "gradebook.db").is_file():
        students = set(gradebook.roster(options)) or None
    submissions = collect_from_exchange(exchange, course, options.assignment, options.class_dir, students)
    for submission in submissions:
        reason = f" - {submission.reason}" if submission.reason else ""
        print(f"{display_name(submission.folder)}: {submission.status}{reason}")
    counts = {}
    for submission in submissions:
        counts[submission.status] = counts.get(submission.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "no submissions"
    print(f"{options.assignment}: {summary}; into {options.class_dir / 'submitted'}")
    return 0


def release_exchange_feedback(options, exchange: Path | None, course: str) -> int:
    from mlai_course.grading.exchange_feedback import release_feedback

    releases = release_feedback(options, exchange, course)
    for release in releases:
        print(
            f"{release.student_id}: {'released' if release.released else 'not released'}"
            + (f" - {release.reason}" if release.reason else "")
        )
    released = sum(release.released for release in releases)
    where = "into the exchange" if exchange else "ready for `nbgrader release_feedback`"
    print(f"{options.assignment}: feedback of {released} of {len(releases)} graded students {where}")
    return 0 if released == len(releases) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlai-course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    release_command = commands.add_parser(
        "release", help="regenerate notebooks/ from solutions/ with nbgrader"
    )
    release_command.add_argument("--course-root", type=Path, default=None)
    strip = commands.add_parser("strip", help="strip outputs and widget state from every notebook")
    strip.add_argument("--course-root", type=Path, default=None)
    check = commands.add_parser("check-stripped", help="fail if a notebook has outputs or widget state")
    check.add_argument("--course-root", type=Path, default=None)
    edition = commands.add_parser(
        "student-edition", help="write the student edition (no answers, no instructor code) into a folder"
    )
    edition.add_argument("target", type=Path, help="an empty folder, or a checkout of the student edition")
    edition.add_argument("--course-root", type=Path, default=None)
    add_grade_parser(commands)
    add_hub_parsers(commands)
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
    if args.command == "strip":
        from mlai_course.authoring.release import notebook_files, strip_notebooks

        for path in strip_notebooks(notebook_files(root / "solutions") + notebook_files(root / "notebooks")):
            print(f"stripped {path.relative_to(root)}")
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
    if args.command == "class-hub":
        return run_class_hub(args, root)
    if args.command in ("collect", "release-feedback"):
        return run_exchange_command(args, root)
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
