"""Collect the class's submissions: one folder per student, submitted/<student>/<module>/, never changed.

`submitted_students` lists every student folder that holds the module, checked without following links: a
name that cannot be a student id, a link or a file in place of a folder gets its row and its reason.

With `--lms-zip`, an LMS download (Canvas, Moodle, ...) is first collected into those folders, safely.
An LMS names every submitted file after the student who uploaded it, e.g. Canvas:
`jdoe_12345_67890_01-core-distinction.ipynb`. `--lms-regex` reads the student id and the original file name
from each entry's *file name* (named groups `student_id` and `file_id`). Our own collector replaces nbgrader's
`zip_collect`, which extracted archives nested in a student's upload (so a student could create folders for
other ids, or write gigabytes from a small upload) and stopped on two files of one student with the same name.

- Student ids are checked: no `.`/`..`, no path separator, no NUL or control character; file names too.
- Nested archives (a `.zip` inside the upload) are never opened: they are copied like any file, and are not
  notebooks.
- Sizes are capped per entry, per student and for the whole zip, counting the bytes actually read (never the
  sizes the zip's header claims); an entry that inflates far beyond its compressed size is a zip bomb and is
  reported and skipped.
- The submission time of each student is the newest date of their entries in the zip (set by the LMS), never a
  student's `timestamp.txt`.
- Two entries of one student that map to the same file name: the newer by LMS date is kept, and the student's
  reason says so.
- Every file is collected, not only notebooks, so that a student who uploaded only a PDF gets
  `missing_notebook` instead of silently vanishing from the class.

A student's folder is replaced as a whole only once all their entries have been read (written to a temporary
folder beside it, then renamed), so a collection killed half-way leaves each folder old or new, never mixed.
"""

import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nbgrader import utils as nbgrader_utils

from mlai_course.grading.intake import HandedIn, SubmissionProblem, display_name, read_regular_file
from mlai_course.grading.results import GradingError, StudentResult

# ---------------------------------------------------------------- student folders


@dataclass
class Submission:
    """One student's folder for the module, before grading; `problem` is set when it cannot be graded.
    `handed_in` is the notebook already read from the folder (on a cluster, what a worker gets instead)."""

    student_id: str
    folder: Path | None
    problem: StudentResult | None = None
    submitted_at: str = ""
    notes: list[str] = field(default_factory=list)
    handed_in: HandedIn | None = None


ID_PROBLEM = re.compile(r"[\x00-\x1f\x7f/\\]")


def student_id_problem(name: str) -> str:
    """Why a folder or LMS name cannot be a student id, or ""."""
    if any(0xDC80 <= ord(char) <= 0xDCFF for char in name):
        return "the name is not UTF-8"
    if name in ("", ".", ".."):
        return f"{name!r} is not a name"
    if ID_PROBLEM.search(name):
        return "the name holds a control character or a path separator"
    return ""


def submitted_students(submitted: Path, assignment: str, lms_times: dict[str, str]) -> list[Submission]:
    """Every student folder under submitted/ that has this module, checked without following links."""
    if not submitted.is_dir():
        return []
    found = []
    with os.scandir(submitted) as entries:
        for entry in sorted(entries, key=lambda entry: entry.name):
            name, shown = entry.name, display_name(entry.name)
            if name.startswith("."):
                continue  # hidden files and the collector's temporary folders
            problem = student_id_problem(name)
            if entry.is_symlink():
                problem = problem or "the student's folder is a symbolic link (links are never followed)"
            elif not entry.is_dir(follow_symlinks=False):
                continue  # a stray file beside the student folders
            if problem:
                status = "invalid_student_id" if student_id_problem(name) else "missing_notebook"
                found.append(Submission(shown, None, StudentResult(shown, status, reason=problem)))
                continue
            module_dir = Path(entry.path) / assignment
            try:
                module_info = os.lstat(module_dir)
            except OSError:
                continue
            if not stat.S_ISDIR(module_info.st_mode):
                kind = "a symbolic link" if stat.S_ISLNK(module_info.st_mode) else "not a folder"
                result = StudentResult(name, "missing_notebook", reason=f"{assignment}/ is {kind}")
                found.append(Submission(name, None, result))
                continue
            found.append(Submission(name, module_dir, submitted_at=lms_times.get(name, "")))
    return found


def folder_timestamp(folder: Path) -> tuple[str, str]:
    """A timestamp.txt written by nbgrader's exchange (collect), if valid: (ISO time, note)."""
    path = folder / "timestamp.txt"
    if not os.path.lexists(path):
        return "", ""
    try:
        text = read_regular_file(path, 200, "timestamp.txt").decode("utf-8").strip()
        parsed = nbgrader_utils.parse_utc(text)
    except (SubmissionProblem, UnicodeDecodeError, ValueError, TypeError, OverflowError):
        return "", "ignored timestamp.txt: not a readable time"
    return parsed.replace(tzinfo=UTC).isoformat(), ""


def collect_submissions(
    class_dir: Path, assignment: str, lms_zip: Path | None = None, lms_regex: str | None = None
) -> list[Submission]:
    """The class's submissions for one module: the LMS zip collected first, if any, then every folder.

    A submission's time comes from the LMS zip, else from a valid timestamp.txt in the folder."""
    submitted = class_dir / "submitted"
    times, notes = {}, {}
    if lms_zip is not None:
        try:
            collection = collect_lms_zip(lms_zip, submitted, assignment, lms_regex or DEFAULT_LMS_REGEX)
        except CollectError as error:
            raise GradingError(str(error)) from None
        for warning in collection.warnings:
            print(f"warning: {warning}")
        times, notes = collection.times, collection.notes
    submissions = submitted_students(submitted, assignment, times)
    for submission in submissions:
        submission.notes += notes.get(submission.student_id, [])
        if submission.folder is not None and lms_zip is None:
            submission.submitted_at, note = folder_timestamp(submission.folder)
            if note:
                submission.notes.append(note)
    return submissions


# ---------------------------------------------------------------- an LMS download

# <student>_<one or more numbers>_<original file name>; Canvas may add "late_" after the student.
DEFAULT_LMS_REGEX = r"^(?P<student_id>[^_]+)_(?:late_)?(?:\d+_)+(?P<file_id>.+)$"
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_STUDENT_BYTES = 200 * 1024 * 1024
MAX_ZIP_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; text notebooks compress ~5-20x
MIN_RATIO_BYTES = 10 * 1024 * 1024  # small entries are never called bombs
BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


class CollectError(RuntimeError):
    """The zip cannot be collected at all (unreadable, not a zip)."""


class TooLarge(Exception):
    pass


@dataclass
class Collection:
    times: dict[str, str] = field(default_factory=dict)  # student -> ISO time of their newest entry
    notes: dict[str, list[str]] = field(default_factory=dict)  # student -> notes for the reason column
    warnings: list[str] = field(default_factory=list)  # for the instructor, on the terminal


def name_problem(name: str) -> str:
    if name in ("", ".", ".."):
        return f"{name!r} is not a name"
    if BAD_NAME.search(name):
        return "it holds a path separator or a control character"
    return ""


def _entry_time(info: zipfile.ZipInfo) -> datetime:
    try:
        return datetime(*info.date_time, tzinfo=UTC)
    except ValueError:
        return datetime(1980, 1, 1, tzinfo=UTC)


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, counting what is really inflated; TooLarge past `limit` or a bomb-like ratio."""
    chunks, total = [], 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(1024 * 1024)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise TooLarge(f"more than {limit / 1e6:.0f} MB")
            if total > MIN_RATIO_BYTES and total > MAX_RATIO * max(info.compress_size, 1):
                raise TooLarge(
                    f"a zip bomb: {info.compress_size:,} compressed bytes inflate past {total:,} bytes"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def collect_lms_zip(
    zip_path: Path, submitted: Path, assignment: str, regex: str = DEFAULT_LMS_REGEX
) -> Collection:
    """Collect every matching entry of an LMS zip into submitted/<student>/<assignment>/."""
    pattern = re.compile(regex)
    result = Collection()
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as error:
        raise CollectError(f"{zip_path}: not a readable zip file ({error})") from None
    students: dict[str, dict[str, tuple[datetime, bytes]]] = {}
    used: dict[str, int] = {}
    whole = 0
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            match = pattern.match(base)
            if not match:
                result.warnings.append(f"{base!r} in {zip_path.name} does not match --lms-regex; skipped")
                continue
            student, file_name = match.group("student_id"), match.group("file_id")
            problem = name_problem(student)
            if problem:
                result.warnings.append(
                    f"{base!r}: the student id {student!r} cannot be used ({problem}); skipped"
                )
                continue
            notes = result.notes.setdefault(student, [])
            files = students.setdefault(
                student, {}
            )  # a student whose uploads are all refused still gets a row
            file_problem = name_problem(file_name)
            if file_problem:
                notes.append(f"skipped an upload whose file name cannot be used ({file_problem})")
                continue
            limit = min(MAX_ENTRY_BYTES, MAX_STUDENT_BYTES - used.get(student, 0), MAX_ZIP_BYTES - whole)
            try:
                content = read_entry(archive, info, limit)
            except TooLarge as error:
                notes.append(f"skipped {file_name!r} from the LMS zip: {error}")
                result.warnings.append(f"{base!r}: {error}; skipped")
                continue
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
                notes.append(f"skipped {file_name!r}: the zip entry cannot be read ({error})")
                continue
            used[student] = used.get(student, 0) + len(content)
            whole += len(content)
            when = _entry_time(info)
            if file_name in files:
                older, newer = sorted([files[file_name][0], when])
                notes.append(
                    f"two uploads named {file_name!r}: kept the newer ({newer:%Y-%m-%d %H:%M}), "
                    f"not the one from {older:%Y-%m-%d %H:%M}"
                )
                if when < files[file_name][0]:
                    continue
            files[file_name] = (when, content)
    for student, files in students.items():
        write_student(submitted / student / assignment, files)
        if files:
            result.times[student] = max(when for when, _ in files.values()).isoformat()
    result.notes = {student: notes for student, notes in result.notes.items() if notes}
    return result


def write_student(folder: Path, files: dict[str, tuple[datetime, bytes]]) -> None:
    """Replace a student's folder with these files, whole: a temporary folder, then a rename."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    for file_name, (when, content) in files.items():
        target = staging / file_name
        target.write_bytes(content)
        os.utime(target, (when.timestamp(), when.timestamp()))
    old = None
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        old = folder.with_name(f".{folder.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    staging.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
