"""Reports: grades.csv and the summary agree with the results, even for a class without any grade."""

import csv

from mlai_course.grading import report
from mlai_course.grading.results import STATUSES, StudentResult


def sample_results():
    return [
        StudentResult("ann", "ok", 5, 5, task_points={"t1": 2, "t2": 3}),
        StudentResult("bob", "ok", 2, 5, task_points={"t1": 2, "t2": 0}),
        StudentResult("cat", "ok", 1.5, 5, task_points={"t1": 0, "t2": 1.5}),
        StudentResult("dan", "timeout", 0, 5, reason="stuck | in C"),
    ]


def test_reports_agree_with_the_results(tmp_path):
    tasks = [("t1", 2.0), ("t2", 3.0)]
    results = sample_results()
    report.write_grades_csv(tmp_path / "grades.csv", results, tasks)
    report.write_summary(tmp_path, "m", results, tasks, STATUSES)
    with (tmp_path / "grades.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["student_id"] for row in rows] == ["ann", "bob", "cat", "dan"]
    assert rows[3]["t1"] == "" and rows[3]["status"] == "timeout"
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| ok | 3 |" in markdown and "| timeout | 1 |" in markdown
    assert "| all | 4 | 2.12 | 1.75 | 0 | 5 |" in markdown
    assert "| t2 | 3 | 1.5 | 50% | 1 of 3 |" in markdown
    assert markdown.index("1. t2:") < markdown.index("2. t1:")
    assert "stuck \\| in C" in markdown
    assert (tmp_path / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reports_survive_a_class_without_any_grade(tmp_path):
    results = [StudentResult("dan", "kernel_crash", 0, 5)]
    report.write_summary(tmp_path, "m", results, [("t1", 5.0)], STATUSES)
    assert "| graded (ok) | 0 | - |" in (tmp_path / "summary.md").read_text(encoding="utf-8")
