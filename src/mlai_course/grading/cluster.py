"""Grading on a Dask cluster: `mlai-course grade MODULE --scheduler tcp://HOST:PORT`.

The grader (this process, on the instructor's machine) keeps the gradebook, the feedback and the reports; the
cluster's workers only run notebooks. A worker gets a submission as data (the notebook's bytes, read here) and
sends back a `Graded` as data: it never sees the class folder and writes nothing of the grader's.
`run_on_cluster` keeps the contract of `pipeline.run_locally`: it yields (submission, Graded or exception) as
students finish.

1. Connect to the scheduler. One that cannot be reached stops the run with a clear message.
2. Register a worker plugin (`GradingWorker`) carrying the module (release, cells, hidden tests), the options
   and the course's fingerprint (course_version.py). On every worker, now and on any that joins later, it
   checks the worker before it grades anything: the same course as the grader's, and a sandbox that works
   (sandbox.check_machine: bubblewrap, root, namespaces, limits). A worker that fails refuses, and the grader
   prints why; one that passes opens one sandbox slot per worker thread (`dask worker --nthreads 1`: one
   student at a time per worker process).
3. Hand out the students, one per free slot, each to a chosen worker (`grade_on_worker`). The grader picks the
   worker, not Dask's scheduler, so a worker never holds a student it has not started: when a worker dies,
   only the students it was grading are charged a try and go to another worker. A student whose worker died
   MAX_TRIES times gets `worker_crash`: a notebook that kills its worker (e.g. by memory) does not take the
   cluster down one worker after another.
4. A scheduler lost mid-run stops the run with a message saying how far it got; run the command again to grade
   the class (every student again: the gradebook holds whole students only, as after any stopped run).

Test hook: a worker started with MLAI_COURSE_TEST_KILL_WORKER_FOR=<student id> in its environment kills itself
when handed that student, as a notebook that exhausts the worker's memory would (the sandbox stops student
code from doing it). Nothing sets it outside tests/grading/test_cluster.py.
"""

import asyncio
import contextlib
import logging
import os
import signal
import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass, field, replace

from mlai_course.grading import course_version, intake, sandbox
from mlai_course.grading.collect import Submission
from mlai_course.grading.gradebook import Module
from mlai_course.grading.options import GradingOptions
from mlai_course.grading.pipeline import Graded, grade_student
from mlai_course.grading.results import GradingError
from mlai_course.learner.paths import CourseDataNotFound, find_course_root

try:
    from distributed import Client, KilledWorker, WorkerPlugin, get_worker, wait
except ImportError:  # a learner install: grading on a cluster says what to install (connect)
    Client = KilledWorker = get_worker = wait = None
    WorkerPlugin = object

MAX_TRIES = 3  # workers lost while grading one student, before the student gets `worker_crash`
POLL_SECONDS = 1.0  # how often the grader looks for workers that joined, refused or died
WORKER_WAIT_SECONDS = 300.0  # no worker able to grade for this long: stop
RESULT_SECONDS = 120.0  # fetching one finished student's result from its worker
TEST_KILL_WORKER_FOR = "MLAI_COURSE_TEST_KILL_WORKER_FOR"

logger = logging.getLogger("distributed.worker.mlai_course")


class WorkerRefused(RuntimeError):
    """This worker cannot grade for this grader (another course version, no sandbox); the message says why."""


# ---------------------------------------------------------------- on each worker


class GradingWorker(WorkerPlugin):
    """On each Dask worker: checks the course and the sandbox once, then holds one sandbox slot per thread."""

    def __init__(self, name: str, options: GradingOptions, module: Module, cell_timeout: int, version: dict):
        self.name = name
        self.options = options
        self.module = module
        self.cell_timeout = cell_timeout
        self.version = version
        self.refusal = "still checking"
        self.worker_name = ""
        self.slots = None

    async def setup(self, worker) -> None:
        self.worker_name = str(worker.name) if str(worker.name) != worker.address else worker.address
        loop = asyncio.get_running_loop()
        self.refusal = await loop.run_in_executor(None, self.check, worker.state.nthreads)
        if self.refusal:
            logger.warning("mlai-course: this worker refuses to grade: %s", self.refusal)

    def check(self, threads: int) -> str:
        """Why this worker cannot grade for the grader, or "" once its sandbox slots are open."""
        try:
            course_root = find_course_root()
        except CourseDataNotFound as error:
            return f"no course on this worker (start it in the course's folder): {error}"
        found = course_version.differences(self.version, course_version.course_version(course_root))
        if found:
            return f"its course is another version than the grader's: {course_version.describe(found)}"
        try:
            sandbox.remove_stale_folders()
            sandbox.check_machine(course_root / "data", course_root)
            sandbox.become_subreaper()
            self.slots = sandbox.SlotPool(threads, course_root / "data")
        except sandbox.SandboxUnavailable as error:
            return f"cannot sandbox student code: {error}"
        except Exception as error:  # anything else that stops this worker from grading is its refusal
            return f"cannot grade: {type(error).__name__}: {error}"
        self.options = replace(self.options, course_root=course_root)
        return ""

    def teardown(self, worker) -> None:
        if self.slots is not None:
            self.slots.close()


def worker_status(plugin_name: str, dask_worker=None) -> tuple[str, str, int]:
    """On a worker: ("ready", its name, slots), ("refused", why, 0) or ("checking", "", 0)."""
    plugin = dask_worker.plugins.get(plugin_name)
    if plugin is None or plugin.refusal == "still checking":
        return "checking", "", 0
    if plugin.refusal:
        return "refused", plugin.refusal, 0
    return "ready", plugin.worker_name, len(plugin.slots.slots)


def grade_on_worker(plugin_name: str, submission: Submission) -> Graded:
    """A Dask task: grade one submission (its notebook's bytes) in one of this worker's sandbox slots."""
    plugin = get_worker().plugins.get(plugin_name)
    if plugin is None or plugin.refusal:
        raise WorkerRefused(plugin.refusal if plugin is not None else "the grading plugin is not set up here")
    if submission.student_id == os.environ.get(TEST_KILL_WORKER_FOR):  # the test hook (module docstring)
        os.kill(os.getpid(), signal.SIGKILL)
    slot = plugin.slots.get()
    try:
        graded = grade_student(plugin.options, plugin.module, submission, slot, plugin.cell_timeout)
    finally:
        plugin.slots.put(slot)
    graded.worker = plugin.worker_name
    return graded


# ---------------------------------------------------------------- in the grader


@dataclass
class Job:
    """A student to grade on the cluster: the notebook read once, and the workers lost while grading it."""

    submission: Submission
    handed_in: intake.HandedIn | None = None
    worker: str = ""
    lost_on: list[str] = field(default_factory=list)


def connect(address: str):
    """A Dask client connected to the scheduler; GradingError saying what to do when it cannot be reached."""
    if Client is None:
        raise GradingError(
            "grading on a cluster needs Dask's distributed: install the instructor tools "
            "(`make install-instructor`, environment.yml's instructor block)"
        )
    try:
        return Client(address)
    except (OSError, TimeoutError) as error:
        raise GradingError(
            f"cannot reach the Dask scheduler at {address} ({error}). Is `dask scheduler` running there, and "
            "can this machine reach its port? Start it, or fix --scheduler, and run the command again"
        ) from None


def check_scheduler(address: str) -> None:
    """Fail early, before anything is graded, when the scheduler cannot be reached."""
    connect(address).close()


def run_on_cluster(
    options: GradingOptions, module: Module, waiting: list[Submission], cell_timeout: int, note=print
) -> Iterator[tuple[Submission, Graded | BaseException]]:
    """Grade the submissions on the cluster's workers; yield each (submission, Graded) as it finishes, or the
    exception grading raised; `note` prints what the run has to say (refused or lost workers)."""
    with quiet_dask():  # the grader says what matters itself, in plain words
        client = connect(options.scheduler)
        run = ClusterRun(client, options, module, cell_timeout, note)
        try:
            yield from run.grade(waiting)
        finally:
            run.close()


@contextlib.contextmanager
def quiet_dask():
    """Dask's client logs (a lost scheduler's reconnection attempts, with tracebacks) off the terminal."""
    loggers = [logging.getLogger("distributed")] + [
        logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("distributed.") and isinstance(logger, logging.Logger)
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class ClusterRun:
    """One grading run on a cluster: which workers can grade, which student each is grading."""

    def __init__(self, client, options: GradingOptions, module: Module, cell_timeout: int, note):
        self.client = client
        self.options = options
        self.note = note
        version = course_version.course_version(options.course_root)
        name = f"mlai-course-grading-{uuid.uuid4().hex[:12]}"
        self.plugin = GradingWorker(name, options, module, cell_timeout, version)
        self.ready: dict[str, int] = {}  # address -> sandbox slots, of the workers that checked out
        self.names: dict[str, str] = {}
        self.refused: dict[str, str] = {}
        self.running: dict = {}  # Dask future -> Job
        self.submitted = 0
        self.finished = 0
        self.total = 0
        self.waiting_since: float | None = None

    # the run, top to bottom

    def grade(self, waiting: list[Submission]) -> Iterator[tuple[Submission, Graded | BaseException]]:
        self.total = len(waiting)
        self.call(self.client.register_plugin, self.plugin)  # every worker checks itself, now and on joining
        queue = deque(Job(submission) for submission in waiting)
        while queue or self.running:
            yield from self.count(self.check_workers(queue))
            while queue and self.free_worker():
                outcome = self.submit(queue.popleft())
                if outcome is not None:
                    yield from self.count([outcome])
            if not self.running:
                self.wait_for_workers()
                continue
            try:
                done = self.call(wait, list(self.running), POLL_SECONDS, "FIRST_COMPLETED").done
            except TimeoutError:
                continue
            for future in done:
                yield from self.count(self.collect(future, queue))

    def count(self, outcomes) -> Iterator:
        for outcome in outcomes:
            self.finished += 1
            yield outcome

    def check_workers(self, queue: deque) -> list:
        """Forget workers that left (their students go back in the queue, charged a try); ask new ones how
        their checks went; return the students that ran out of tries."""
        live = self.call(self.client.nthreads)
        for address in [address for address in self.ready if address not in live]:
            del self.ready[address]
        given_up = []
        for future, job in list(self.running.items()):
            if job.worker not in live:
                del self.running[future]
                future.cancel()
                given_up += self.lost(job, queue)
        unknown = [address for address in live if address not in self.ready and address not in self.refused]
        if unknown:
            statuses = self.call(
                self.client.run, worker_status, self.plugin.name, workers=unknown, on_error="return"
            )
            for address, status in statuses.items():
                if isinstance(status, BaseException):
                    continue  # starting or stopping: asked again next time
                state, detail, slots = status
                if state == "ready":
                    self.ready[address], self.names[address] = slots, detail
                elif state == "refused":
                    self.refuse(address, detail)
        return given_up

    def free_worker(self) -> str | None:
        """The ready worker with the most free slots, if any has one."""
        busy = {address: 0 for address in self.ready}
        for job in self.running.values():
            if job.worker in busy:
                busy[job.worker] += 1
        free = {address: self.ready[address] - busy[address] for address in self.ready}
        best = max(free, key=free.get, default=None)
        return best if best is not None and free[best] > 0 else None

    def submit(self, job: Job) -> tuple[Submission, Graded] | None:
        """Send one student to a free worker; a notebook that cannot be read is their row at once."""
        submission = job.submission
        if job.handed_in is None:
            try:
                job.handed_in = intake.hand_in(submission.folder, self.options.assignment)
            except intake.SubmissionProblem as problem:
                return submission, Graded(
                    submission.student_id, submission.submitted_at, problem.status, str(problem)
                )
        job.worker = self.free_worker()
        self.submitted += 1
        future = self.client.submit(
            grade_on_worker,
            self.plugin.name,
            replace(submission, folder=None, handed_in=job.handed_in),
            key=f"mlai-grade-{self.plugin.name[-12:]}-{self.submitted}-{submission.student_id}",
            workers=[job.worker],
            allow_other_workers=False,
            pure=False,
        )
        self.running[future] = job
        self.waiting_since = None
        return None

    def collect(self, future, queue: deque) -> list:
        """A finished task: the student's Graded or exception, or back in the queue if their worker failed."""
        job = self.running.pop(future, None)
        if job is None:
            return []
        if future.status == "finished":
            try:
                return [(job.submission, future.result(timeout=RESULT_SECONDS))]
            except Exception:  # the worker died before its result was fetched
                return self.lost(job, queue)
            finally:
                future.release()
        if future.status == "error":
            error = future.exception()
            if isinstance(error, WorkerRefused):
                self.refuse(job.worker, str(error))
                queue.appendleft(job)
                return []
            if isinstance(error, KilledWorker):  # the scheduler counted the deaths itself
                return self.lost(job, queue)
            return [(job.submission, error)]
        raise self.lost_scheduler()  # cancelled: the scheduler went away

    def lost(self, job: Job, queue: deque) -> list:
        """The worker grading a student died: grade them elsewhere, or give up after MAX_TRIES."""
        name = self.names.get(job.worker, job.worker)
        job.lost_on.append(name)
        student = intake.display_name(job.submission.student_id)
        if len(job.lost_on) < MAX_TRIES:
            self.note(f"worker {name} was lost while grading {student}: grading {student} again elsewhere")
            queue.appendleft(job)
            return []
        reason = (
            f"the worker grading this notebook died each of the {MAX_TRIES} times it was tried "
            f"({', '.join(job.lost_on)}): the notebook may exhaust a worker's memory; grade it on its own"
        )
        submission = job.submission
        return [(submission, Graded(submission.student_id, submission.submitted_at, "worker_crash", reason))]

    def refuse(self, address: str, reason: str) -> None:
        self.ready.pop(address, None)
        if address not in self.refused:
            self.refused[address] = reason
            self.note(f"worker {address} refuses to grade: {reason}")

    def wait_for_workers(self) -> None:
        """Nothing running and no free worker: wait for one, up to WORKER_WAIT_SECONDS."""
        live = self.call(self.client.nthreads)
        if live and not self.names and all(address in self.refused for address in live):
            reasons = "; ".join(f"{address}: {reason}" for address, reason in sorted(self.refused.items()))
            raise GradingError(f"no worker of the cluster at {self.options.scheduler} can grade: {reasons}")
        now = time.monotonic()
        if self.waiting_since is None:
            self.waiting_since = now
            self.note(f"waiting for a worker that can grade (cluster at {self.options.scheduler})")
        elif now - self.waiting_since > WORKER_WAIT_SECONDS:
            raise GradingError(
                f"no worker able to grade joined the cluster at {self.options.scheduler} in "
                f"{WORKER_WAIT_SECONDS:g} s; {self.finished} of {self.total} students were graded. Start "
                "workers (`dask worker --nthreads 1 ...`) and run the command again"
            )
        time.sleep(POLL_SECONDS)

    def call(self, function, *args, **kwargs):
        """A call to the cluster; a lost scheduler becomes a GradingError that says what to do."""
        try:
            return function(*args, **kwargs)
        except TimeoutError:
            raise
        except (OSError, CancelledError):  # the connection broke, or the client cancelled every future
            raise self.lost_scheduler() from None
        except Exception:
            if self.client.status != "running":
                raise self.lost_scheduler() from None
            raise

    def lost_scheduler(self) -> GradingError:
        return GradingError(
            f"lost the Dask scheduler at {self.options.scheduler} after {self.finished} of {self.total} "
            "students were graded; no grades.csv was written for this run. Start the scheduler and its "
            "workers again (or fix the network), then run the same command: it grades the whole class"
        )

    def close(self) -> None:
        for future in self.running:
            future.cancel()
        if self.client.status == "running":
            try:
                self.client.unregister_worker_plugin(self.plugin.name)
            except Exception:  # a worker that left meanwhile: the plugin goes with the run anyway
                pass
        try:
            self.client.close(timeout=10)
        except Exception:
            pass
