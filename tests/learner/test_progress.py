"""Saved progress: where it lives, atomic writes, recovery from a corrupt file, and the progress charts."""

import json
import os
from pathlib import Path

import matplotlib
import pytest
from conftest import REPO_ROOT

from mlai_course.learner import progress
from mlai_course.learner.progress import (
    ProgressFileWarning,
    load_progress,
    module_scores,
    progress_figure,
    progress_path,
    record_result,
    save_progress,
    show_progress,
    topic_scores,
    weak_topics,
)
from mlai_course.learner.quiz import SelfCheck

matplotlib.use("Agg")

QUESTION = {"id": "q1", "type": "single_choice", "topic": "core distinction"}


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "state" / "progress.json"
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(path))
    return path


def record(score, question=QUESTION, module="01", total=3):
    return record_result(module, "The core distinction", total, question, {"score": score, "answer": "x"})


def corrupt_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.corrupt-*"))


def test_default_location_is_in_the_home_folder_not_the_course(monkeypatch):
    monkeypatch.delenv("MLAI_COURSE_PROGRESS", raising=False)
    path = progress_path()
    assert path == Path.home() / ".mlai_course" / "progress.json"
    assert REPO_ROOT not in path.parents or Path.home() == REPO_ROOT


def test_environment_variable_overrides_the_location(progress_file):
    assert progress_path() == progress_file


def test_missing_file_is_empty_progress_without_a_warning(progress_file, recwarn):
    assert load_progress() == {"version": 1, "modules": {}}
    assert not recwarn.list
    assert not progress_file.exists(), "reading never creates the file"


def test_record_creates_the_folder_and_keeps_attempts_and_best_score(progress_file):
    record(1.0)
    record(0.0)
    entry = json.loads(progress_file.read_text(encoding="utf-8"))["modules"]["01"]["questions"]["q1"]
    assert (entry["score"], entry["best_score"], entry["attempts"]) == (0.0, 1.0, 2)
    assert entry["topic"] == "core distinction" and entry["answer"] == "x"


def test_save_is_atomic_a_failed_write_leaves_the_old_file_intact(progress_file, monkeypatch):
    record(1.0)
    before = progress_file.read_bytes()

    def broken_dump(data, handle, **kwargs):
        handle.write('{"version": 1, "modu')
        raise OSError("disk full")

    monkeypatch.setattr(progress.json, "dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        save_progress({"version": 1, "modules": {}})
    assert progress_file.read_bytes() == before
    left = sorted(p.name for p in progress_file.parent.iterdir() if p.name != ".progress.json.lock")
    assert left == ["progress.json"], "no temp file left"


def test_save_writes_a_temp_file_in_the_same_folder_then_replaces(progress_file, monkeypatch):
    calls = []
    real_replace = os.replace

    def spy(source, target):
        calls.append((Path(source), Path(target)))
        real_replace(source, target)

    monkeypatch.setattr(progress.os, "replace", spy)
    save_progress({"version": 1, "modules": {}})
    [(source, target)] = calls
    assert source.parent == target.parent == progress_file.parent and target == progress_file
    assert not source.exists()


def test_failed_save_warns_and_does_not_raise(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    path = blocker / "progress.json"
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(path))
    with pytest.warns(ProgressFileWarning) as warned:
        entry = record(1.0)
    assert entry["score"] == 1.0
    messages = [str(w.message) for w in warned]
    assert any(message.startswith(f"Could not save your progress to {path}") for message in messages)
    assert "set MLAI_COURSE_PROGRESS to a writable file" in messages[-1]


WRITER = """
import sys
from mlai_course.learner.progress import record_result
writer, count = sys.argv[1], int(sys.argv[2])
for number in range(count):
    question = {"id": f"{writer}-{number}", "type": "single_choice", "topic": "concurrency"}
    record_result("01", "The core distinction", 2 * count, question, {"score": 1.0, "answer": number})
"""


def test_two_kernels_saving_at_once_lose_nothing_and_the_file_is_always_valid(progress_file):
    """Two processes record 150 results each into one file, while the test keeps reading it."""
    import subprocess
    import sys
    import time

    progress_file.parent.mkdir(parents=True)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, name, "150"], stderr=subprocess.PIPE, text=True)
        for name in ("first", "second")
    ]
    reads = 0
    deadline = time.monotonic() + 300
    while any(writer.poll() is None for writer in writers):
        assert time.monotonic() < deadline, "the writers did not finish in 5 minutes"
        if progress_file.exists():
            data = json.loads(progress_file.read_text(encoding="utf-8"))  # never half a file
            assert progress.structure_problem(data) is None
            reads += 1
        time.sleep(0.01)
    for writer in writers:
        assert writer.wait() == 0, writer.stderr.read()
        assert "ProgressFileWarning" not in writer.stderr.read()
    saved = load_progress(progress_file)["modules"]["01"]["questions"]
    assert len(saved) == 300, f"{300 - len(saved)} of 300 results were lost"
    assert {f"{name}-{n}" for name in ("first", "second") for n in range(150)} == set(saved)
    assert reads > 0, "the test read the file while it was being written"
    assert not list(progress_file.parent.glob("*.corrupt-*"))


CORRUPT = {
    "not JSON": (b'{"version": 1, "modules": {', "not valid JSON"),
    "empty file": (b"", "not valid JSON"),
    "not UTF-8": (b'{"version": 1, "modules": {"\xff": {}}}', "not UTF-8 text"),
    "a list": (b"[1, 2, 3]", "expected a JSON object, found list"),
    "wrong version": (b'{"version": 99, "modules": {}}', "expected version 1, found 99"),
    "modules not an object": (b'{"version": 1, "modules": []}', "'modules' is missing or not an object"),
    "module without questions": (b'{"version": 1, "modules": {"01": {}}}', "module '01' has no 'questions'"),
    "score not a number": (
        b'{"version": 1, "modules": {"01": {"questions": {"q1": {"score": "high"}}}}}',
        "module '01', question 'q1' is not a result with a numeric score",
    ),
}


@pytest.mark.parametrize("case", CORRUPT, ids=str)
def test_corrupt_file_is_set_aside_with_a_warning_and_nothing_is_lost(progress_file, case):
    content, problem = CORRUPT[case]
    progress_file.parent.mkdir(parents=True)
    progress_file.write_bytes(content)
    with pytest.warns(ProgressFileWarning) as warned:
        data = load_progress()
    assert data == {"version": 1, "modules": {}}
    message = str(warned[0].message)
    assert f"Your saved progress {progress_file} is corrupt: {problem}" in message
    [copy] = corrupt_copies(progress_file)
    assert copy.read_bytes() == content, "the corrupt file is kept, byte for byte"
    assert f"it was moved to {copy}" in message
    assert not progress_file.exists()


def test_recording_after_corruption_starts_a_fresh_valid_file(progress_file):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("garbage", encoding="utf-8")
    with pytest.warns(ProgressFileWarning):
        record(1.0)
    assert load_progress()["modules"]["01"]["questions"]["q1"]["score"] == 1.0
    assert len(corrupt_copies(progress_file)) == 1


def test_two_corrupt_files_in_the_same_second_are_both_kept(progress_file):
    progress_file.parent.mkdir(parents=True)
    for content in ("first", "second"):
        progress_file.write_text(content, encoding="utf-8")
        with pytest.warns(ProgressFileWarning):
            load_progress()
    assert sorted(p.read_text() for p in corrupt_copies(progress_file)) == ["first", "second"]


def test_self_check_survives_a_corrupt_progress_file(progress_file):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{broken", encoding="utf-8")
    bank = {
        "module": "07",
        "title": "T",
        "questions": [
            {
                "id": "n",
                "type": "numeric",
                "topic": "t",
                "source": "s",
                "prompt": "p",
                "answer": 1,
                "tolerance": 0,
                "explanation": "e",
            }
        ],
    }
    with pytest.warns(ProgressFileWarning, match="is corrupt"):
        quiz = SelfCheck(bank)
    quiz.receive({"type": "check", "id": "n", "answer": "1"})
    assert "Correct." in quiz.feedback["n"]
    assert load_progress()["modules"]["07"]["questions"]["n"]["score"] == 1.0


SAMPLE = {
    "version": 1,
    "modules": {
        "01": {
            "title": "The core distinction",
            "scored_questions": 4,
            "questions": {
                "a": {"topic": "core distinction", "score": 1.0},
                "b": {"topic": "how the roles evolved", "score": 0.5},
                "c": {"topic": "how the roles evolved", "score": 0.0},
                "r": {"topic": "self-rating", "score": None},
            },
        },
        "02": {
            "title": "Skills",
            "scored_questions": 2,
            "questions": {"d": {"topic": "skills", "score": 1.0}, "e": {"topic": "skills", "score": 0.5}},
        },
        "role-fit": {"title": "Which role fits you?", "scored_questions": 0, "questions": {}},
    },
}


def test_module_scores_count_unchecked_questions_as_zero():
    assert module_scores(SAMPLE) == [
        {"module": "01", "title": "The core distinction", "score": 1.5 / 4, "checked": 3, "total": 4},
        {"module": "02", "title": "Skills", "score": 0.75, "checked": 2, "total": 2},
    ]


def test_topic_scores_and_weak_topics():
    assert topic_scores(SAMPLE) == {"how the roles evolved": 0.25, "skills": 0.75, "core distinction": 1.0}
    assert weak_topics(SAMPLE) == ["how the roles evolved"]
    assert weak_topics(SAMPLE, below=0.8) == ["how the roles evolved", "skills"]


def test_progress_figure_is_two_labelled_bar_charts():
    fig = progress_figure(SAMPLE)
    module_ax, topic_ax = fig.axes
    assert module_ax.get_title() == "Self-check score per module"
    assert module_ax.get_xlabel() and module_ax.get_ylabel() == "Module"
    assert [t.get_text() for t in module_ax.get_yticklabels()] == ["01 · The core distinction", "02 · Skills"]
    assert [round(bar.get_width(), 1) for bar in module_ax.patches] == [37.5, 75.0]
    assert [t.get_text() for t in module_ax.texts] == ["38% (3/4 checked)", "75% (2/2 checked)"]

    assert topic_ax.get_title() == "Topics: weakest first"
    assert topic_ax.get_xlabel() and topic_ax.get_ylabel() == "Topic"
    labels = [t.get_text() for t in topic_ax.get_yticklabels()]
    assert labels == ["how the roles evolved", "skills", "core distinction"]
    assert [t.get_text() for t in topic_ax.texts] == ["25% (weak)", "75%", "100%"]
    assert [str(bar.get_hatch() or "") for bar in topic_ax.patches] == ["//", "", ""], (
        "weak shown by pattern, not colour"
    )


def test_show_progress_displays_words_and_charts(progress_file, monkeypatch):
    shown = []
    monkeypatch.setattr(progress, "display", shown.append)
    save_progress(SAMPLE)
    show_progress()
    summary, figure = shown
    text = summary.data
    assert f"(from `{progress_file}`)" in text
    assert "- Module 01 · The core distinction: 38% (3 of 4 questions checked)" in text
    assert "**Weak topics** (below 70%): how the roles evolved" in text
    assert len(figure.axes) == 2


def test_show_progress_with_nothing_saved_says_so(progress_file, monkeypatch):
    shown = []
    monkeypatch.setattr(progress, "display", shown.append)
    show_progress()
    [summary] = shown
    assert summary.data.startswith(f"No self-check results saved yet in `{progress_file}`.")
