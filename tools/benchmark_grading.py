"""Benchmark: grading time per submission of `mlai-course grade` beside plain `nbgrader autograde`.

In one run, on this machine, both grade the same demo class (one submission per fault kind, from
`mlai-course demo-class`) with the same per-cell timeout, each in a fresh class folder in a temporary
directory:

- ours: `mlai-course grade <module> --class-dir ... --cell-timeout T` (the whole command: sandbox check,
  gradebook set-up, every student in a sandboxed kernel, --jobs = the machine's cores, feedback, reports);
- plain: `nbgrader generate_assignment` then one `nbgrader autograde <module> --force` for the whole class
  (one process, no sandbox, no feedback).

Then ours alone on a generated 300-student class (perfect, blank and partly-right notebooks, not committed).
Writes benchmarks/grading.json and benchmarks/grading.md. Run it with `make benchmark-grading`.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import nbformat
import nbgrader
from nbgrader.api import Gradebook

from mlai_course.authoring.release import assignment_names, tool_environment
from mlai_course.grading.demo_class import FAULT_KINDS, build_submission, make_demo_class
from mlai_course.grading.gradebook import configured_cell_timeout, course_id

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=tool_environment(), capture_output=True, text=True)
    return time.monotonic() - started, result.returncode


def run_ours(
    module: str, demo: Path, work: Path, cell_timeout: int, student_timeout: int, name: str = "ours"
) -> dict:
    class_dir = work / name
    shutil.copytree(demo / "submitted", class_dir / "submitted")
    seconds, code = timed(
        [
            sys.executable,
            "-m",
            "mlai_course.cli",
            "grade",
            module,
            "--class-dir",
            str(class_dir),
            "--cell-timeout",
            str(cell_timeout),
            "--student-timeout",
            str(student_timeout),
        ],
        ROOT,
    )
    run = json.loads((class_dir / "reports" / module / "grading-run.json").read_text(encoding="utf-8"))
    students = {row["student_id"]: row for row in run["students"]}
    return {"seconds": seconds, "exit_code": code, "students": students, "sandbox": run["sandbox"]}


def synthetic_class(module: str, out: Path, size: int) -> None:
    """`size` students: perfect, blank and partly-right notebooks in turn (generated, never committed)."""
    student = nbformat.read(ROOT / "notebooks" / module / f"{module}.ipynb", as_version=4)
    source = nbformat.read(ROOT / "solutions" / module / f"{module}.ipynb", as_version=4)
    kinds = [build_submission(kind, module, student, source) for kind in ("perfect", "blank", "partly-right")]
    for index in range(size):
        folder = out / "submitted" / f"student-{index:03d}" / module
        folder.mkdir(parents=True)
        for file_name, content in kinds[index % len(kinds)].items():
            (folder / file_name).write_bytes(content)


def run_plain(module: str, demo: Path, work: Path, cell_timeout: int) -> dict:
    class_dir = work / "plain"
    shutil.copytree(demo / "submitted", class_dir / "submitted")
    common = [
        f"--CourseDirectory.root={class_dir}",
        f"--CourseDirectory.source_directory={ROOT / 'solutions'}",
        f"--CourseDirectory.release_directory={work / 'release'}",
    ]
    nbgrader_cli = [sys.executable, "-m", "nbgrader"]
    setup_seconds, _ = timed(
        [*nbgrader_cli, "generate_assignment", module, "--force", *common], ROOT / "grading"
    )
    seconds, code = timed(
        [*nbgrader_cli, "autograde", module, "--force", f"--Execute.timeout={cell_timeout}", *common],
        ROOT / "grading",
    )
    with Gradebook(f"sqlite:///{class_dir / 'gradebook.db'}", course_id(ROOT)) as gradebook:
        students = {}
        for kind in FAULT_KINDS:
            autograded = class_dir / "autograded" / kind.student_id / module
            try:
                submission = gradebook.find_submission(module, kind.student_id)
                score = float(submission.score)
            except Exception:
                score = None
            students[kind.student_id] = {"autograded": autograded.is_dir(), "score": score}
    return {"setup_seconds": setup_seconds, "seconds": seconds, "exit_code": code, "students": students}


def _names(students: list[str]) -> str:
    return ", ".join(sorted(students)) or "none"


def markdown(results: dict) -> str:
    ours, plain, n = results["ours"], results["plain"], results["submissions"]
    big = results["synthetic"]
    plain_total = plain["seconds"] + plain["setup_seconds"]
    ratio = ours["seconds"] / plain_total
    autograde_ours = sum(row["seconds"] for row in ours["students"].values())
    plain_graded = [s for s, row in plain["students"].items() if row["autograded"]]
    plain_zero_ungraded = [
        s for s, row in plain["students"].items() if not row["autograded"] and row["score"] is not None
    ]
    plain_absent = [s for s, row in plain["students"].items() if row["score"] is None]
    differ = [
        student
        for student in plain_graded
        if ours["students"][student]["status"] == "ok"
        and plain["students"][student]["score"] != ours["students"][student]["score"]
    ]
    rows = [
        ("`mlai-course grade` (sandboxed, the whole command)", ours["seconds"], ours["exit_code"]),
        ("plain `nbgrader generate_assignment` + `autograde`", plain_total, plain["exit_code"]),
        ("plain `nbgrader autograde` alone", plain["seconds"], plain["exit_code"]),
    ]
    lines = [
        "# Grading benchmark",
        "",
        f"Measured by `tools/benchmark_grading.py` (`make benchmark-grading`) on {results['date']}, "
        f"{results['machine']}. The class: the demo class of `{results['module']}` ({n} submissions, one per "
        f"fault kind, see grading/README.md); per-cell timeout {results['cell_timeout']} s; per-student "
        f"limit {results['student_timeout']} s; `mlai-course grade` with --jobs {results['jobs']} "
        f"(the machine's cores), every student in a sandboxed kernel. Plain nbgrader runs one process, "
        f"without a sandbox and "
        f"without feedback.",
        "",
        "| run | wall time (s) | per submission (s) | exit code |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {name} | {seconds:.1f} | {seconds / n:.2f} | {code} |" for name, seconds, code in rows),
        "",
        f"Each was run {results['repeat']} times in turn (ours: "
        f"{', '.join(f'{value:.1f}' for value in ours['all_seconds'])} s; plain with set-up: "
        f"{', '.join(f'{value:.1f}' for value in plain['all_seconds'])} s); the table keeps each one's "
        "fastest. "
        f"The machine is shared (load average {results['load_average_at_end'][0]:.1f} at the end), so the "
        "numbers move between runs.",
        "",
        f"**Ratio, ours / plain (set-up included on both sides): {ratio:.2f}x per submission** "
        f"(target: at most "
        f"1.2x); against plain `autograde` alone: {ours['seconds'] / plain['seconds']:.2f}x. The sum of our "
        f"students' own times is {autograde_ours:.1f} s: {results['jobs']} run at once.",
        "",
        f"**{big['size']}-student synthetic class** (perfect, blank and partly-right in turn, generated, "
        f"not committed): `mlai-course grade` took {big['seconds']:.1f} s wall time, "
        f"{big['seconds'] / big['size']:.2f} s per "
        f"submission, per-cell timeout {big['cell_timeout']} s (the course's); statuses: {big['statuses']}; "
        f"exit code {big['exit_code']}. Not ok: {big['not_ok'] or 'none'}.",
        "",
        "Per submission:",
        "",
        "| student | ours: status | ours: score | ours: s | plain: autograded | plain: gradebook score |",
        "| --- | --- | ---: | ---: | --- | ---: |",
    ]
    for student, row in sorted(ours["students"].items()):
        plain_row = plain["students"].get(student, {})
        plain_score = "-" if plain_row.get("score") is None else f"{plain_row['score']:g}"
        autograded = "yes" if plain_row.get("autograded") else "no"
        lines.append(
            f"| {student} | {row['status']} | {row['score']:g} | {row['seconds']:.1f} | {autograded} | "
            f"{plain_score} |"
        )
    lines += [
        "",
        f"`mlai-course grade` put all {len(ours['students'])} students in grades.csv, each with a status. "
        f"Plain nbgrader, in one process, was {'faster' if ratio > 1 else 'slower'} per submission and "
        f"exited with code "
        f"{plain['exit_code']}; it autograded {len(plain_graded)} of {n}; {len(plain_zero_ungraded)} more "
        f"({_names(plain_zero_ungraded)}) have a gradebook score of 0 without having been graded, and "
        f"{len(plain_absent)} ({_names(plain_absent)}) got no gradebook entry. Among the students both "
        f"autograded, plain nbgrader scored these differently: {_names(differ)} (plain nbgrader runs the "
        "notebook beside every file the student handed in, so a stray module can shadow an import). "
        "One nbgrader start-up (`python -m nbgrader --version`) takes "
        f"{results['nbgrader_startup_seconds']:.1f} s "
        "here: ours pays it once per class, and a sandboxed kernel start per student.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default=assignment_names(ROOT)[0])
    parser.add_argument("--cell-timeout", type=int, default=5)
    parser.add_argument("--student-timeout", type=int, default=90)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks")
    parser.add_argument("--synthetic-size", type=int, default=300)
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of each on the demo class; the fastest counts"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlai-grading-benchmark-") as temp:
        work = Path(temp)
        make_demo_class(ROOT, work / "demo", args.module)
        # the machine may be shared: run both in turn, --repeat times each, and keep each one's fastest run
        ours_runs, plain_runs = [], []
        for attempt in range(args.repeat):
            run = run_ours(
                args.module, work / "demo", work, args.cell_timeout, args.student_timeout, f"ours{attempt}"
            )
            ours_runs.append(run)
            plain_runs.append(
                run_plain(args.module, work / "demo", work / f"plain{attempt}", args.cell_timeout)
            )
            print(
                f"run {attempt + 1}: ours {run['seconds']:.1f} s, plain {plain_runs[-1]['seconds']:.1f} s + "
                f"{plain_runs[-1]['setup_seconds']:.1f} s set-up",
                flush=True,
            )
        ours = min(ours_runs, key=lambda run: run["seconds"])
        plain = min(plain_runs, key=lambda run: run["seconds"] + run["setup_seconds"])
        ours["all_seconds"] = [run["seconds"] for run in ours_runs]
        plain["all_seconds"] = [run["seconds"] + run["setup_seconds"] for run in plain_runs]
        synthetic_class(args.module, work / "synthetic", args.synthetic_size)
        big_timeout = configured_cell_timeout(ROOT)  # the course's own per-cell timeout, as a real class
        big = run_ours(args.module, work / "synthetic", work, big_timeout, args.student_timeout, "big")
        statuses, not_ok = {}, {}
        for row in big.pop("students").values():
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
            if row["status"] != "ok":
                not_ok[row["student_id"]] = f"{row['status']}: {row['reason']}"
        big.update(size=args.synthetic_size, statuses=statuses, not_ok=not_ok, cell_timeout=big_timeout)
    startup, _ = timed([sys.executable, "-m", "nbgrader", "--version"], ROOT / "grading")
    results = {
        "nbgrader_startup_seconds": startup,
        "date": date.today().isoformat(),
        "machine": f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, nbgrader {nbgrader.__version__}",
        "module": args.module,
        "submissions": len(FAULT_KINDS),
        "cell_timeout": args.cell_timeout,
        "student_timeout": args.student_timeout,
        "jobs": os.cpu_count(),
        "repeat": args.repeat,
        "load_average_at_end": os.getloadavg(),
        "ours": ours,
        "plain": plain,
        "synthetic": big,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "grading.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (args.out / "grading.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
