"""`mlai-course grade`: from a class's submissions to grades, scrubbed feedback and a summary.

One grader process; students graded in parallel, each in a sandbox: on this machine (`run_locally`), or on
a Dask cluster with --scheduler (`cluster.run_on_cluster`, whose workers do step 4). For one module (an
nbgrader *assignment*) in a class folder (an nbgrader course root, by default grading/), `grade_class` runs
the stages top to bottom:

1. check the options, and that this machine can sandbox student code (unless --no-sandbox, said loudly; on a
   cluster each worker checks itself);
2. record the module in the gradebook once and read its cells, points and tests back (gradebook.py);
3. collect the submissions: folders submitted/<student>/<module>/, an LMS zip first (collect.py);
4. for each student, in a worker (`grade_student`; it writes nothing): read the notebook safely
   (intake.py), restore metadata and locked cells (restore.py), add canary tests and run it in a sandboxed
   kernel (execute.py), judge every test from what the grader observed (judge.py), make outputs passive;
5. for each student, back in the grader (`record_student`): save the grades in the gradebook, keep the
   autograded notebook, write scrubbed feedback (feedback.py);
6. write grades.csv, the summary and the run's record (report.py).

Each finished student is reported as they come (grading_progress.py: `[57/300]`, elapsed, time left).

Every student ends up in grades.csv with one of STATUSES. Student kernels never see the gradebook, the
reports or the feedback: only this process writes them.
"""

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from mlai_course.grading import execute, gradebook, intake, judge, report, restore, sandbox
from mlai_course.grading.collect import Submission, collect_submissions
from mlai_course.grading.feedback import FeedbackWriter, sanitize_outputs
from mlai_course.grading.files import remove_tree, write_atomic
from mlai_course.grading.grading_progress import Progress
from mlai_course.grading.options import GradingOptions, check_options, class_lock
from mlai_course.grading.results import NO_SANDBOX_WARNING, GradingError, StudentResult


def grade_class(options: GradingOptions) -> list[StudentResult]:
    """Grade every student of the class for one module; write grades.csv, feedback and the summary."""
    check_options(options)
    check_machine(options)
    options.class_dir.mkdir(parents=True, exist_ok=True)
    cell_timeout = options.cell_timeout or gradebook.configured_cell_timeout(options.course_root)
    sandbox.remove_stale_folders()
    release_prefix = sandbox.temporary_prefix("release")
    with class_lock(options), tempfile.TemporaryDirectory(prefix=release_prefix) as release:
        module = gradebook.record_assignment(options, Path(release))
        submissions = collect_submissions(
            options.class_dir, options.assignment, options.lms_zip, options.lms_regex
        )
        handed_in = {submission.student_id for submission in submissions}
        absent = [student for student in gradebook.roster(options) if student not in handed_in]
        if not submissions and not absent:
            raise GradingError(
                f"no submissions and no students for {options.assignment} in {options.class_dir}"
            )
        results = grade_students(options, module, submissions, cell_timeout)
        results += [not_submitted(options, module, student) for student in absent]
        results.sort(key=lambda result: result.student_id)
        report.write_reports(options, results, module.task_columns, options.sandbox)
    return results


def check_machine(options: GradingOptions) -> None:
    """This Python's tools first on PATH (nbgrader runs alembic); a sandbox that works here, or a scheduler
    that answers; a class to grade."""
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    if options.scheduler:  # the workers check themselves (cluster.py)
        from mlai_course.grading.cluster import check_scheduler

        check_scheduler(options.scheduler)
    elif options.sandbox:
        try:
            sandbox.check_machine(options.data_dir, options.course_root)
        except sandbox.SandboxUnavailable as error:
            raise GradingError(f"cannot sandbox student code: {error}") from None
    if (
        not options.lms_zip
        and not (options.class_dir / "submitted").is_dir()
        and not (options.class_dir / "gradebook.db").exists()
    ):
        raise GradingError(
            f"no submissions for {options.assignment} in {options.class_dir / 'submitted'} "
            f"(expected submitted/<student>/{options.assignment}/<notebook>, or use --lms-zip)"
        )


# ---------------------------------------------------------------- one student, in a worker


@dataclass
class Graded:
    """One student's grading as data, from a worker: what it observed and concluded. Nothing is written yet.

    `notebook` (executed, canaries removed, outputs passive) and `verdict` are set when `status` is "ok";
    `worker` names the Dask worker on a cluster. Plain data: it travels back from a worker by pickle."""

    student_id: str
    submitted_at: str
    status: str = "ok"
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    notebook: object = None
    verdict: judge.Verdict | None = None
    seconds: float = 0.0
    worker: str = ""


def grade_student(
    options: GradingOptions, module: gradebook.Module, submission: Submission, slot, cell_timeout: int
) -> Graded:
    """Intake, restore, execute and judge one student's notebook. Never raises for student work."""
    started = time.monotonic()
    graded = Graded(submission.student_id, submission.submitted_at)
    try:
        handed = submission.handed_in or intake.hand_in(submission.folder, options.assignment)
        notebook, notes = intake.parse_notebook(handed.content, handed.label), list(handed.notes)
        notes += restore.restore_metadata(notebook, module.release)
        notes += restore.restore_cells(notebook, module)
    except intake.SubmissionProblem as problem:
        graded.status, graded.reason = problem.status, str(problem)
    except Exception as error:  # a notebook that breaks our repair code is still one student's problem
        graded.status, graded.reason = "autograde_error", f"{type(error).__name__}: {str(error)[:300]}"
    else:
        graded.notes = [*submission.notes, *notes]
        canaries = judge.insert_canaries(notebook)
        execution = execute.execute(notebook, options, slot, cell_timeout)
        graded.status, graded.reason = execution.status, execution.reason
        if execution.status == "ok":
            judgement = judge.judge_run(notebook, execution.replies, execution.interrupted, canaries)
            graded.status, graded.reason, graded.verdict = (
                judgement.status,
                judgement.reason,
                judgement.verdict,
            )
            if judgement.interrupted:
                graded.notes.append(f"a cell ran past the {cell_timeout} s limit and was interrupted")
        if graded.status == "ok":
            sanitize_outputs(notebook)
            graded.notebook = notebook
    graded.seconds = time.monotonic() - started
    return graded


# ---------------------------------------------------------------- one student, back in the grader


def record_student(options: GradingOptions, module: gradebook.Module, graded: Graded) -> StudentResult:
    """Save a graded student's grades and autograded notebook; remove a failed student's old ones."""
    if graded.status == "ok":
        result = gradebook.save_grades(
            options, module, graded.student_id, graded.verdict, graded.submitted_at
        )
        folder = options.autograded_folder(graded.student_id)
        remove_tree(folder)
        write_atomic(folder / f"{options.assignment}.ipynb", nbformat.writes(graded.notebook))
        result.reason = "; ".join(graded.notes)
    else:
        reason = "; ".join(part for part in (graded.reason, *graded.notes) if part)
        result = StudentResult(graded.student_id, graded.status, reason=reason)
        gradebook.forget_submission(options, result)
    result.submitted_at = graded.submitted_at
    result.max_score = module.max_score
    result.seconds = graded.seconds
    result.worker = graded.worker
    return result


def not_submitted(options: GradingOptions, module: gradebook.Module, student: str) -> StudentResult:
    result = StudentResult(student, "no_submission", max_score=module.max_score)
    gradebook.forget_submission(options, result)
    return result


# ---------------------------------------------------------------- the class, in parallel


def grade_students(
    options: GradingOptions, module: gradebook.Module, submissions: list[Submission], cell_timeout: int
) -> list[StudentResult]:
    """Grade every submission: workers run notebooks while this thread records what they observed and writes
    each student's feedback."""
    results = []
    progress = Progress(len(submissions))
    try:
        for submission in submissions:
            if submission.problem is not None:  # found while collecting: nothing to run
                result = submission.problem
                result.max_score = module.max_score
                gradebook.forget_submission(options, result)
                progress.student(result)
                results.append(result)
        waiting = [submission for submission in submissions if submission.problem is None]
        if waiting:
            writer = FeedbackWriter(options)
            for submission, outcome in run_students(options, module, waiting, cell_timeout, progress):
                result = recorded(options, module, writer, submission, outcome)
                progress.student(result)
                results.append(result)
    finally:
        progress.close()
    return results


def run_students(options, module, waiting, cell_timeout, progress):
    """On the cluster (--scheduler) or on this machine: (submission, Graded or exception) as each ends."""
    if options.scheduler:
        from mlai_course.grading.cluster import run_on_cluster

        return run_on_cluster(options, module, waiting, cell_timeout, progress.note)
    return run_locally(options, module, waiting, cell_timeout)


def recorded(options, module, writer: FeedbackWriter, submission: Submission, outcome) -> StudentResult:
    """A finished student, recorded in the gradebook with feedback; a bug for one student is their row."""
    try:
        if isinstance(outcome, BaseException):
            raise outcome
        result = record_student(options, module, outcome)
        writer.write(result)
    except Exception as error:  # a bug for one student must not stop the class
        traceback.print_exception(error)
        reason = f"{type(error).__name__}: {str(error)[:300]}"
        result = StudentResult(
            submission.student_id, "autograde_error", max_score=module.max_score, reason=reason
        )
        gradebook.forget_submission(options, result)
    if not options.sandbox:
        result.add_note(NO_SANDBOX_WARNING)
    return result


def run_locally(
    options: GradingOptions, module: gradebook.Module, waiting: list[Submission], cell_timeout: int
) -> Iterator[tuple[Submission, Graded | BaseException]]:
    """Grade the submissions on this machine, `options.jobs` at a time, each in its own sandbox slot; yield
    each (submission, Graded) as it finishes, or the exception a worker raised."""
    jobs = min(options.jobs, len(waiting))
    slots = None
    if options.sandbox:
        sandbox.become_subreaper()
        try:
            slots = sandbox.SlotPool(jobs, options.data_dir)
        except sandbox.SandboxUnavailable as error:
            raise GradingError(str(error)) from None

    def in_a_slot(submission: Submission) -> Graded:
        slot = slots.get() if slots is not None else None
        try:
            return grade_student(options, module, submission, slot, cell_timeout)
        finally:
            if slots is not None:
                slots.put(slot)

    try:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade") as pool:
            pending = {pool.submit(in_a_slot, submission): submission for submission in waiting}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    submission = pending.pop(future)
                    error = future.exception()
                    yield submission, error if error is not None else future.result()
    finally:
        if slots is not None:
            slots.close()


# ---------------------------------------------------------------- after manual grading


def export_again(options: GradingOptions) -> list[StudentResult]:
    """After manual grading in formgrader: the last run's statuses, today's gradebook scores, new reports."""
    check_options(options)
    run = report.read_run(options)
    results = run["students"]
    for result in results:
        if result.status == "ok":
            gradebook.read_scores(options, result)
    with class_lock(options):
        writer = FeedbackWriter(options)
        for result in results:
            writer.write(result)
        report.write_reports(options, results, run["tasks"], run.get("sandbox", True))
    return results
