"""Releasing feedback through nbgrader's exchange: only checked, scrubbed feedback of the graded submission
leaves, under the name nbgrader's fetch_feedback computes from the student's own submission secret."""

import json
from dataclasses import asdict
from pathlib import Path

import nbformat
import pytest
from conftest import REPO_ROOT
from grading_helpers import MODULE
from nbgrader.utils import notebook_hash

from mlai_course.grading.exchange_feedback import release_feedback
from mlai_course.grading.options import GradingOptions
from mlai_course.grading.results import GradingError, StudentResult
from mlai_course.grading.secret_lines import course_secrets, hidden_test_lines

COURSE = "course"
GRADED_AT = "2026-03-02T09:00:00+00:00"
STAMP = "2026-03-02 09:00:00.000000 UTC"
SCRUBBED = "<html><body><p>Score: 5.0 / 5.0</p><pre># Hidden tests: not shown.</pre></body></html>"


@pytest.fixture
def class_dir(tmp_path) -> Path:
    return tmp_path / "class"


@pytest.fixture
def exchange(tmp_path) -> Path:
    (tmp_path / "exchange" / COURSE).mkdir(parents=True)
    return tmp_path / "exchange"


def graded(
    class_dir: Path, student: str, feedback: str, stamp: str = STAMP, secret: str | None = None
) -> None:
    """A student collected, then graded by `mlai-course grade`: submission, feedback, the run's record."""
    submitted = class_dir / "submitted" / student / MODULE
    submitted.mkdir(parents=True)
    (submitted / "timestamp.txt").write_text(stamp)
    if secret is not None:
        (submitted / "submission_secret.txt").write_text(secret)
    folder = class_dir / "feedback" / student / MODULE
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.html").write_text(feedback, encoding="utf-8")
    run_file = class_dir / "reports" / MODULE / "grading-run.json"
    run = (
        json.loads(run_file.read_text())
        if run_file.exists()
        else {"assignment": MODULE, "tasks": [], "students": []}
    )
    run["students"].append(asdict(StudentResult(student, "ok", 5.0, 5.0, submitted_at=GRADED_AT)))
    run_file.parent.mkdir(parents=True, exist_ok=True)
    run_file.write_text(json.dumps(run))


def release(class_dir: Path, exchange: Path):
    options = GradingOptions(course_root=REPO_ROOT, assignment=MODULE, class_dir=class_dir)
    return {release.student_id: release for release in release_feedback(options, exchange, COURSE)}


def test_scrubbed_feedback_goes_where_fetch_feedback_looks(class_dir, exchange):
    graded(class_dir, "alice", SCRUBBED, secret="alice's secret\n")
    result = release(class_dir, exchange)
    assert result["alice"].released, result["alice"].reason
    name = notebook_hash(secret="alice's secret\n", notebook_id=MODULE)  # the file as it is, as nbgrader
    assert (exchange / COURSE / "feedback" / f"{name}.html").read_text(encoding="utf-8") == SCRUBBED
    assert oct((exchange / COURSE / "feedback").stat().st_mode & 0o777) == "0o711", "never listed"


def test_feedback_that_shows_a_hidden_test_is_withheld(class_dir, exchange):
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    hidden = sorted(hidden_test_lines(source) & course_secrets(REPO_ROOT))[0]
    unscrubbed = f"<html><pre>### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS</pre></html>"
    graded(class_dir, "bob", unscrubbed, secret="bob's secret")
    graded(class_dir, "carol", f"<html><pre>{hidden}</pre></html>".replace(" ", "&#32;"), secret="carol's")
    result = release(class_dir, exchange)
    assert not result["bob"].released and "hidden-test region" in result["bob"].reason
    assert not result["carol"].released and "hidden-test or solution lines" in result["carol"].reason
    assert list((exchange / COURSE / "feedback").iterdir()) == []


def test_feedback_of_another_submission_or_without_the_exchange_is_not_released(class_dir, exchange):
    graded(class_dir, "dave", SCRUBBED, stamp="2026-03-05 10:00:00.000000 UTC", secret="handed in again")
    graded(class_dir, "erin", SCRUBBED)  # collected from a folder or an LMS zip: no submission secret
    result = release(class_dir, exchange)
    assert not result["dave"].released and "not the one graded" in result["dave"].reason
    assert not result["erin"].released and "not handed in through the exchange" in result["erin"].reason


def test_for_nbgrader_the_checked_files_get_nbgraders_timestamp_and_secret(class_dir, exchange):
    graded(class_dir, "alice", SCRUBBED, secret="alice's secret")
    graded(class_dir, "bob", "<html><pre>### BEGIN HIDDEN TESTS</pre></html>", secret="bob's secret")
    result = release(class_dir, None)
    assert result["alice"].released and not result["bob"].released
    alice = class_dir / "feedback" / "alice" / MODULE
    assert (alice / "timestamp.txt").read_text() == STAMP
    assert (alice / "submission_secret.txt").read_text() == "alice's secret"
    assert not (class_dir / "feedback" / "bob" / MODULE / "timestamp.txt").exists(), "nbgrader cannot send it"
    assert list((exchange / COURSE).iterdir()) == [], "no exchange folder is written"


def test_no_grading_run_no_release(class_dir, exchange):
    with pytest.raises(GradingError, match="no earlier grading run"):
        release(class_dir, exchange)
