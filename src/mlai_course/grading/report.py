"""The reports of a grading run: grades.csv, summary.md, summary.png and grading-run.json.

- grades.csv: one row per student: student_id, status, score, max_score, reason, then the points earned in
  each task (graded cell, named by its nbgrader grade_id), left empty for students without a grade.
- summary.md: students by status, score statistics, points per task, the hardest tasks, and the students
  to look at (any status but ok).
- summary.png: a grade histogram, the points earned per task and the hardest tasks.

Task statistics use the graded students (status ok) only; the score statistics and the histogram count every
student, with 0 points for an error status.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or carriage return can
start one too). grades.csv writes such text cells with a leading apostrophe (`'=cmd`), which spreadsheets
show as the text `=cmd`; numbers are written as numbers. A student id like `-bob` is therefore `'-bob` in
grades.csv: strip one leading apostrophe to get the id back.
"""

import csv
import io
import json
import re
import statistics
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from matplotlib.figure import Figure

from mlai_course.grading.files import write_atomic
from mlai_course.grading.intake import display_name
from mlai_course.grading.options import GradingOptions
from mlai_course.grading.results import NO_SANDBOX_WARNING, STATUSES, GradingError, StudentResult
from mlai_course.learner.plots import use_course_style

BASE_COLUMNS = ["student_id", "status", "score", "max_score", "reason"]
GRADED_COLOUR = "#0072B2"
ERROR_COLOUR = "#D55E00"
MAX_POINTS_COLOUR = "#CCCCCC"


def number(value: float) -> str:
    """A score as written in reports: 3, 2.5, 0.33."""
    return f"{round(value, 2):g}"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """A text cell a spreadsheet shows as text, never runs: a leading apostrophe before a formula start."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def grades_csv_text(results, tasks: list[tuple[str, float]]) -> str:
    handle = io.StringIO()
    writer = csv.writer(handle)
    writer.writerow(BASE_COLUMNS + [spreadsheet_text(grade_id) for grade_id, _ in tasks])
    for result in results:
        graded = result.status == "ok"
        writer.writerow(
            [
                spreadsheet_text(result.student_id),
                result.status,
                number(result.score),
                number(result.max_score),
                spreadsheet_text(result.full_reason),
            ]
            + [number(result.task_points.get(grade_id, 0.0)) if graded else "" for grade_id, _ in tasks]
        )
    return handle.getvalue()


def write_grades_csv(path: Path, results, tasks: list[tuple[str, float]]) -> None:
    """One row per student; the task columns are empty for students without a grade. `write(path, text)`
    writes the file (the grader passes an atomic writer)."""
    write_atomic(path, grades_csv_text(results, tasks))


@dataclass
class TaskStats:
    grade_id: str
    points: float
    mean_points: float
    full_marks: int
    graded: int

    @property
    def mean_share(self) -> float:
        """The mean share of the task's points earned, 0 to 1."""
        return self.mean_points / self.points if self.points else 1.0


def task_stats(results, tasks: list[tuple[str, float]]) -> list[TaskStats]:
    graded = [result for result in results if result.status == "ok"]
    stats = []
    for grade_id, points in tasks:
        earned = [result.task_points.get(grade_id, 0.0) for result in graded]
        stats.append(
            TaskStats(
                grade_id=grade_id,
                points=points,
                mean_points=statistics.fmean(earned) if earned else 0.0,
                full_marks=sum(1 for value in earned if value >= points),
                graded=len(graded),
            )
        )
    return stats


def hardest_first(stats: list[TaskStats]) -> list[TaskStats]:
    """Tasks ordered from the lowest mean share of points earned; ties: fewer full marks first."""
    return sorted(stats, key=lambda task: (task.mean_share, task.full_marks, task.grade_id))


def _score_row(label: str, scores: list[float]) -> str:
    if not scores:
        return f"| {label} | 0 | - | - | - | - |"
    values = [
        number(v) for v in (statistics.fmean(scores), statistics.median(scores), min(scores), max(scores))
    ]
    return f"| {label} | {len(scores)} | " + " | ".join(values) + " |"


def _cell(text: str) -> str:
    """Student-controlled text in a markdown table: no table breaks, no markup."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")
    return re.sub(r"([`*_<>\[\]#])", r"\\\1", text)


def summary_markdown(assignment: str, results, tasks, statuses: dict[str, str], warning: str = "") -> str:
    max_score = max((result.max_score for result in results), default=0.0)
    graded = [result for result in results if result.status == "ok"]
    stats = task_stats(results, tasks)
    lines = [
        f"# Grading summary: {assignment}",
        "",
        *([f"**WARNING: {warning}.**", ""] if warning else []),
        f"{len(results)} students; the maximum score is {number(max_score)} points. "
        "Students with any status but `ok` have no grade and count as 0 points.",
        "",
        "## Students by status",
        "",
        "| status | students | meaning |",
        "| --- | ---: | --- |",
    ]
    for status, meaning in statuses.items():
        count = sum(1 for result in results if result.status == status)
        if count:
            lines.append(f"| {status} | {count} | {meaning} |")
    lines += [
        "",
        "## Scores",
        "",
        "| students | count | mean | median | min | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        _score_row("all", [result.score for result in results]),
        _score_row("graded (ok)", [result.score for result in graded]),
        "",
        "## Points per task",
        "",
        f"Graded students only ({len(graded)}).",
        "",
        "| task | points | mean points | mean share | full marks |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for task in stats:
        lines.append(
            f"| {task.grade_id} | {number(task.points)} | {number(task.mean_points)} | "
            f"{task.mean_share:.0%} | {task.full_marks} of {task.graded} |"
        )
    lines += ["", "## Hardest tasks", "", "Lowest mean share of points first.", ""]
    for rank, task in enumerate(hardest_first(stats), start=1):
        lines.append(
            f"{rank}. {task.grade_id}: {task.mean_share:.0%} of the points on average; "
            f"{task.graded - task.full_marks} of {task.graded} graded students lost points"
        )
    attention = [result for result in results if result.status != "ok"]
    lines += ["", "## Students to look at", ""]
    if attention:
        lines += ["| student | status | score | reason |", "| --- | --- | ---: | --- |"]
        for result in attention:
            lines.append(
                f"| {_cell(result.student_id)} | {result.status} | {number(result.score)} | "
                f"{_cell(result.full_reason)} |"
            )
    else:
        lines.append("None: every student was graded.")
    lines += ["", "![Grade histogram, points per task and hardest tasks](summary.png)", ""]
    return "\n".join(lines)


def summary_figure(assignment: str, results, tasks) -> Figure:
    use_course_style()
    figure = Figure(figsize=(15, 4.8), layout="constrained")
    histogram, per_task, hardest = figure.subplots(1, 3)
    max_score = max((result.max_score for result in results), default=0.0) or 1.0
    graded = [result.score for result in results if result.status == "ok"]
    errors = [result.score for result in results if result.status != "ok"]
    steps = min(max(round(max_score), 1), 20)
    width = max_score / steps
    bins = [(step - 0.5) * width for step in range(steps + 2)]  # one bar centred on each score 0, 1, ...
    histogram.hist(
        [graded, errors],
        bins=bins,
        stacked=True,
        color=[GRADED_COLOUR, ERROR_COLOUR],
        label=["graded", "error status (0 points)"],
        edgecolor="white",
    )
    histogram.set_xticks([step * width for step in range(steps + 1)])
    histogram.set_title(f"Grades: {len(results)} students")
    histogram.set_xlabel(f"score (points out of {number(max_score)})")
    histogram.set_ylabel("students")
    histogram.legend()

    stats = task_stats(results, tasks)
    names = [task.grade_id for task in stats]
    positions = list(range(len(stats)))
    per_task.bar(
        positions, [task.points for task in stats], color=MAX_POINTS_COLOUR, label="points available"
    )
    per_task.bar(
        positions, [task.mean_points for task in stats], width=0.5, color=GRADED_COLOUR, label="mean earned"
    )
    per_task.set_xticks(positions, names, rotation=20, ha="right")
    per_task.set_title(f"Points per task ({len(graded)} graded students)")
    per_task.set_xlabel("task (grade id)")
    per_task.set_ylabel("points")
    per_task.legend()

    ordered = hardest_first(stats)
    hardest.barh(
        [task.grade_id for task in reversed(ordered)],
        [100 * task.mean_share for task in reversed(ordered)],
        color=GRADED_COLOUR,
    )
    hardest.set_xlim(0, 100)
    hardest.set_title("Hardest tasks (top: lowest share earned)")
    hardest.set_xlabel("mean share of points earned (%)")
    hardest.set_ylabel("task (grade id)")
    figure.suptitle(f"Grading summary: {assignment}")
    return figure


def write_summary(
    report_dir: Path, assignment: str, results, tasks, statuses: dict[str, str], warning: str = ""
) -> None:
    write_atomic(report_dir / "summary.md", summary_markdown(assignment, results, tasks, statuses, warning))
    image = io.BytesIO()
    summary_figure(assignment, results, tasks).savefig(image, dpi=100, format="png")
    write_atomic(report_dir / "summary.png", image.getvalue())


def write_reports(options: GradingOptions, results: list[StudentResult], tasks, sandboxed: bool) -> None:
    """grades.csv, the summary and grading-run.json (what export_again reads back) for one run."""
    warning = "" if sandboxed else NO_SANDBOX_WARNING
    write_grades_csv(options.report_dir / "grades.csv", results, tasks)
    write_summary(options.report_dir, options.assignment, results, tasks, STATUSES, warning)
    run = {
        "assignment": options.assignment,
        "sandbox": sandboxed,
        "tasks": tasks,
        "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "students": [asdict(result) for result in results],
    }
    write_atomic(options.report_dir / "grading-run.json", json.dumps(run, indent=1) + "\n")


def read_run(options: GradingOptions) -> dict:
    """The last run's record (grading-run.json); GradingError when there is none."""
    run_file = options.report_dir / "grading-run.json"
    if not run_file.is_file():
        raise GradingError(f"{run_file}: no earlier grading run to export again; run without --export-only")
    run = json.loads(run_file.read_text(encoding="utf-8"))
    run["students"] = [StudentResult(**row) for row in run["students"]]
    run["tasks"] = [tuple(task) for task in run["tasks"]]
    return run


def progress_line(result: StudentResult) -> str:
    """One finished student, for the terminal: `bob: ok 5/5 (7.4 s) - reason`."""
    shown = display_name(result.student_id)
    line = f"{shown}: {result.status} {result.score:g}/{result.max_score:g} ({result.seconds:.1f} s)"
    return line + (f" - {result.full_reason}" if result.full_reason else "")
