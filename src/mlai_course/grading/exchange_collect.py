"""`mlai-course collect MODULE --exchange DIR`: a module's submissions from nbgrader's exchange, checked for
who really handed each in, into CLASS_DIR/submitted/<student>/<module>/ (what `mlai-course grade` reads).

nbgrader's file exchange lets every student write into the course's inbound folder, and a submission's owner
is only written in its folder's name, `<student>+<module>+<timestamp>+<random>`: a student can create
`alice+01-core-distinction+...` with their own notebook. nbgrader's own `collect` then only logs a warning
and collects it. Here the name is a claim, and the files are the evidence:

- every file and folder of the submission must belong to the claimed student's system user (the owner of a
  file is set by the kernel when it is created: a student cannot give a file to someone else); a submission
  with anything owned by another user is **refused**, with a reason naming the owner, and never replaces
  the claimed student's real submission;
- links, named pipes and devices are refused; nothing is followed: every file is opened relative to its
  folder with O_NOFOLLOW and checked again once open, so a submission changed while it is read cannot point
  the collector elsewhere;
- only the gradebook's students (the class roster) are collected; sizes are capped as for LMS zips;
- a student's newest accepted submission is collected; its time is the one in the folder's name, unless the
  files were changed more than CLOCK_SLACK away from it (a name can be forged, a file's change time cannot be
  set back): then the files' time, and the reason says so. It goes into the collected folder's timestamp.txt;
- a folder in submitted/ is replaced whole (a temporary folder, then a rename), and only by a newer
  submission.

Every decision is printed and written to CLASS_DIR/reports/<module>/exchange-collection.csv.
"""

import csv
import io
import os
import pwd
import secrets
import shutil
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nbgrader import utils as nbgrader_utils

from mlai_course.grading.collect import MAX_ENTRY_BYTES, MAX_STUDENT_BYTES, folder_timestamp
from mlai_course.grading.files import write_atomic
from mlai_course.grading.intake import display_name
from mlai_course.grading.report import spreadsheet_text
from mlai_course.grading.results import GradingError

CLOCK_SLACK = timedelta(minutes=2)
MAX_FILES = 1000
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's own


class Refused(Exception):
    """A submission that is not collected; the message says why."""


@dataclass
class InboundSubmission:
    """One folder of the exchange's inbound for the module, and what collection decided about it."""

    folder: str
    student: str
    claimed_at: datetime | None = None
    submitted_at: datetime | None = None
    status: str = "collected"  # collected, refused, older, kept
    reason: str = ""
    files: dict[str, tuple[bytes, float]] = field(default_factory=dict)  # relative path -> (bytes, mtime)


def user_id(name: str) -> int | None:
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def parse_folder_name(name: str, assignment: str) -> tuple[str, datetime] | None:
    """(student, claimed time) of an nbgrader inbound name for this module; None for another module.
    Refused when it is not a submission's name."""
    parts = name.split("+")
    if len(parts) not in (3, 4) or not parts[0]:
        raise Refused("not an nbgrader submission name (<student>+<module>+<time>+<random>)")
    if parts[1] != assignment:
        return None
    try:
        claimed = nbgrader_utils.parse_utc(parts[2])
    except (ValueError, TypeError, OverflowError):
        raise Refused(f"the time in its name, {display_name(parts[2])!r}, is not a time") from None
    return parts[0], claimed.replace(tzinfo=UTC)


def _check_owner(info: os.stat_result, relative: str, student: str, uid: int) -> None:
    if info.st_uid != uid:
        shown = display_name(student)
        raise Refused(
            f"it claims to be {shown}'s submission, but {display_name(relative)} belongs to "
            f"{user_name(info.st_uid)}; only {shown} can hand in as {shown}"
        )


def read_tree(dir_fd: int, student: str, uid: int, prefix: str, found: dict, budget: list[int]) -> float:
    """Read every file under an open folder into `found`, checking each entry's owner and kind; return the
    latest change time seen. Never follows a link."""
    changed = os.fstat(dir_fd).st_ctime
    for entry in sorted(os.scandir(dir_fd), key=lambda entry: entry.name):
        relative = f"{prefix}{entry.name}"
        info = os.stat(entry.name, dir_fd=dir_fd, follow_symlinks=False)
        _check_owner(info, relative, student, uid)
        if stat.S_ISLNK(info.st_mode):
            raise Refused(f"{display_name(relative)} is a link (links are never followed)")
        if len(found) >= MAX_FILES:
            raise Refused(f"more than {MAX_FILES} files")
        if stat.S_ISDIR(info.st_mode):
            child = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dir_fd)
            try:
                _check_owner(os.fstat(child), relative, student, uid)
                changed = max(changed, read_tree(child, student, uid, f"{relative}/", found, budget))
            finally:
                os.close(child)
            continue
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{display_name(relative)} is not a regular file (a pipe, socket or device)")
        handle = os.open(entry.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
        with os.fdopen(handle, "rb") as file:
            opened = os.fstat(file.fileno())
            _check_owner(opened, relative, student, uid)
            if not stat.S_ISREG(opened.st_mode):
                raise Refused(f"{display_name(relative)} changed into something else while it was read")
            limit = min(MAX_ENTRY_BYTES, budget[0])
            content = file.read(limit + 1)
        if len(content) > limit:
            raise Refused(f"{display_name(relative)} is too large (more than {limit / 1e6:.0f} MB)")
        budget[0] -= len(content)
        found[relative] = (content, opened.st_mtime)
        changed = max(changed, opened.st_ctime)
    return changed


def trusted_time(claimed: datetime, changed: datetime) -> tuple[datetime, str]:
    """The submission's time: the claimed one, unless the files' change time says otherwise."""
    if abs(changed - claimed) <= CLOCK_SLACK:
        return claimed, ""
    return changed, (
        f"the folder's name says {claimed:%Y-%m-%d %H:%M:%S} UTC but its files were written at "
        f"{changed:%Y-%m-%d %H:%M:%S} UTC; the files' time is used"
    )


def read_submission(inbound_fd: int, name: str, assignment: str, students: set[str] | None):
    """One inbound folder as an InboundSubmission (refused ones carry the reason), or None if it is another
    module's."""
    try:
        parsed = parse_folder_name(name, assignment)
    except Refused as refusal:
        return InboundSubmission(name, "", status="refused", reason=str(refusal))
    if parsed is None:
        return None
    student, claimed = parsed
    submission = InboundSubmission(name, student, claimed_at=claimed)
    try:
        if students is not None and student not in students:
            shown = display_name(student)
            raise Refused(f"{shown} is not a student of this class (not in the gradebook's student list)")
        uid = user_id(student)
        if uid is None:
            raise Refused(f"there is no user {display_name(student)} on this machine")
        folder = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=inbound_fd)
        try:
            _check_owner(os.fstat(folder), "its folder", student, uid)
            changed = read_tree(folder, student, uid, "", submission.files, [MAX_STUDENT_BYTES])
        finally:
            os.close(folder)
    except Refused as refusal:
        submission.status, submission.reason, submission.files = "refused", str(refusal), {}
        return submission
    except OSError as error:  # e.g. a link or a file in place of the folder (O_NOFOLLOW, O_DIRECTORY)
        submission.status, submission.files = "refused", {}
        submission.reason = f"cannot be read as a folder ({error.strerror})"
        return submission
    submission.submitted_at, submission.reason = trusted_time(claimed, datetime.fromtimestamp(changed, UTC))
    return submission


def inbound_submissions(inbound: Path, assignment: str, students: set[str] | None) -> list[InboundSubmission]:
    """Every inbound folder of the module, read and checked."""
    try:
        inbound_fd = os.open(inbound, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise GradingError(
            f"{inbound}: cannot open the exchange's inbound folder ({error.strerror})"
        ) from None
    try:
        names = sorted(entry.name for entry in os.scandir(inbound_fd))
        found = [read_submission(inbound_fd, name, assignment, students) for name in names]
    finally:
        os.close(inbound_fd)
    return [submission for submission in found if submission is not None]


def write_submission(target: Path, submission: InboundSubmission) -> None:
    """Replace submitted/<student>/<module>/ whole with the submission's files and a trusted timestamp.txt."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
    staging.mkdir()
    for relative, (content, mtime) in submission.files.items():
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        os.utime(path, (mtime, mtime))
    stamp = submission.submitted_at.strftime(TIMESTAMP_FORMAT)
    (staging / "timestamp.txt").write_text(stamp, encoding="utf-8")
    old = None
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        old = target.with_name(f".{target.name}.old.{secrets.token_hex(4)}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def collect_from_exchange(
    exchange: Path, course_id: str, assignment: str, class_dir: Path, students: set[str] | None
) -> list[InboundSubmission]:
    """Collect each student's newest accepted submission of the module; return every inbound folder's fate."""
    submissions = inbound_submissions(exchange / course_id / "inbound", assignment, students)
    newest: dict[str, InboundSubmission] = {}
    for submission in submissions:
        if submission.status != "collected":
            continue
        best = newest.get(submission.student)
        if best is None or submission.submitted_at > best.submitted_at:
            if best is not None:
                best.status = "older"
            newest[submission.student] = submission
        else:
            submission.status = "older"
    for student, submission in sorted(newest.items()):
        target = class_dir / "submitted" / student / assignment
        existing, _ = folder_timestamp(target) if target.is_dir() else ("", "")
        if existing and datetime.fromisoformat(existing) >= submission.submitted_at:
            submission.status = "kept"
            submission.reason = "submitted/ already holds this submission or a newer one; left as it is"
            continue
        write_submission(target, submission)
    for submission in submissions:
        submission.files = {}
    write_record(class_dir / "reports" / assignment / "exchange-collection.csv", submissions)
    return submissions


def write_record(path: Path, submissions: list[InboundSubmission]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["inbound_folder", "student_id", "status", "submitted_at", "reason"])
    for submission in submissions:
        when = submission.submitted_at.isoformat() if submission.submitted_at else ""
        texts = (display_name(submission.folder), display_name(submission.student), submission.status)
        writer.writerow([*map(spreadsheet_text, texts), when, spreadsheet_text(submission.reason)])
    write_atomic(path, buffer.getvalue())
