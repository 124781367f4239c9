"""Progress of a grading run: plain lines when the output is not a terminal, a live bar when it is.

Both with a made-up clock, so the counts and times are exact. The real commands' output is checked in
test_cluster.py (a local run in a pseudo-terminal, a cluster run into a pipe).
"""

import io

from mlai_course.grading.grading_progress import Progress, duration
from mlai_course.grading.results import StudentResult


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def student(name, status="ok", score=5.0, seconds=2.0, worker=""):
    return StudentResult(name, status, score=score, max_score=5.0, seconds=seconds, worker=worker)


def test_durations_read_like_a_clock():
    assert [duration(s) for s in (0, 7.4, 192, 3723)] == ["0:00", "0:07", "3:12", "1:02:03"]


def test_plain_lines_count_students_and_estimate_the_time_left():
    clock, out = Clock(), io.StringIO()
    progress = Progress(4, stream=out, clock=clock)
    progress.student(student("ghost", "missing_notebook", 0.0, seconds=0.0))  # done at once: no pace yet
    clock.now += 10
    progress.student(student("ann"))
    clock.now += 20
    progress.student(student("bob", score=3.0, worker="tcp://10.0.0.7:40123"))
    progress.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/4] ghost: missing_notebook 0/5") and lines[0].endswith(
        "| 0:00 elapsed, ? left"
    )
    assert lines[1] == "[2/4] ann: ok 5/5 (2.0 s) | 0:10 elapsed, about 0:20 left"  # 10 s per run student
    assert lines[2] == "[3/4] bob: ok 3/5 (2.0 s) [on 10.0.0.7:40123] | 0:30 elapsed, about 0:15 left"
    assert lines[3] == "graded 3 of 4 students in 0:30, 15.00 s per student"
    assert lines[4] == "students per worker: 10.0.0.7:40123: 1"
    assert "\r" not in out.getvalue(), "no bar redrawing in a log"


def test_a_terminal_gets_a_live_bar_with_the_lines_above_it():
    clock, out = Clock(), Terminal()
    progress = Progress(2, stream=out, clock=clock)
    assert progress.bar is not None
    clock.now += 5
    progress.student(student("ann", worker="w1"))
    progress.note("worker tcp://10.0.0.9:1 refuses to grade: its course is another version")
    progress.student(student("bob", worker="w2"))
    progress.close()
    text = out.getvalue()
    assert "\r" in text, "the bar is redrawn in place"
    assert "grading [2/2]" in text and "elapsed" in text and "left" in text
    assert "[1/2] ann: ok 5/5 (2.0 s) [on w1]" in text and "[2/2] bob: ok 5/5 (2.0 s) [on w2]" in text
    assert "refuses to grade: its course is another version" in text
    assert text.rstrip().endswith("students per worker: w1: 1, w2: 1")
