"""Progress of a grading run as students finish: `[57/300]`, the time so far, an estimate of the time left.

- in a terminal: a live bar (tqdm) at the bottom of the screen, each finished student's line printed above it;
- otherwise (CI, a log file, a pipe): one plain line per student, with the count and both times in it;
- on a cluster every line says which worker graded the student, and the summary counts students per worker.

The estimate of the time left counts only the students that were run (a submission without a notebook is
done at once and says nothing about the pace): the mean time per run student so far, times those left.
"""

import sys
import time
from collections import Counter

from mlai_course.grading.report import progress_line
from mlai_course.grading.results import StudentResult


def duration(seconds: float) -> str:
    """A duration as a clock shows it: 0:07, 3:12, 1:02:03."""
    seconds = max(int(round(seconds)), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def short_worker(worker: str) -> str:
    """A worker's name as shown: its name, or its address without the `tcp://`."""
    return worker.split("://", 1)[-1]


class Progress:
    """Reports each finished student of a class of `total`, live in a terminal, in plain lines otherwise."""

    def __init__(self, total: int, stream=None, live: bool | None = None, clock=time.monotonic):
        self.total = total
        self.stream = stream if stream is not None else sys.stdout
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.run = 0  # students that went through a kernel (the pace of the rest says nothing)
        self.by_worker: Counter[str] = Counter()
        is_terminal = getattr(self.stream, "isatty", lambda: False)()
        self.bar = self._live_bar() if (is_terminal if live is None else live) else None

    def _live_bar(self):
        try:
            from tqdm import tqdm
        except ImportError:  # the instructor tools are not installed: plain lines do the job
            self._print("(install the instructor tools, `make install-instructor`, for a live progress bar)")
            return None
        return tqdm(
            total=self.total,
            file=self.stream,
            desc="grading",
            unit="student",
            dynamic_ncols=True,
            smoothing=0.05,
            bar_format="{desc} [{n_fmt}/{total_fmt}] {bar} {elapsed} elapsed, {remaining} left",
        )

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    def time_left(self) -> float | None:
        """Seconds left at the pace so far, or None before the first student that ran."""
        if not self.run:
            return None
        return self.elapsed / self.run * (self.total - self.done)

    def student(self, result: StudentResult) -> None:
        """One student finished: their line (with the worker, on a cluster), and the count and times."""
        self.done += 1
        if result.seconds > 0:
            self.run += 1
        if result.worker:
            self.by_worker[result.worker] += 1
        line = f"[{self.done}/{self.total}] {progress_line(result)}"
        if result.worker:
            line += f" [on {short_worker(result.worker)}]"
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
            self.bar.update(1)
            return
        left = self.time_left()
        shown_left = "?" if left is None else f"about {duration(left)}"
        self._print(f"{line} | {duration(self.elapsed)} elapsed, {shown_left} left")

    def note(self, message: str) -> None:
        """A message about the run (a worker refused, workers awaited), above the bar."""
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            self._print(message)

    def close(self) -> None:
        """End the bar and print the summary: students, time, and students per worker on a cluster."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        each = f", {self.elapsed / self.run:.2f} s per student" if self.run else ""
        self._print(f"graded {self.done} of {self.total} students in {duration(self.elapsed)}{each}")
        if self.by_worker:
            shares = ", ".join(
                f"{short_worker(worker)}: {count}" for worker, count in sorted(self.by_worker.items())
            )
            self._print(f"students per worker: {shares}")

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)
