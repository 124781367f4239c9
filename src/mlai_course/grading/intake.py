"""From a student's folder to a notebook fit to grade, without trusting anything in the folder.

- `find_notebook` walks the folder without following links and picks the notebook to grade (or says why none);
- `read_regular_file` reads it only if it is a regular file: `lstat` first, then `open` with O_NOFOLLOW and
  O_NONBLOCK (a named pipe never blocks the grader), a size cap checked on the bytes read;
- `parse_notebook` reads any nbformat version (3, 4.x) as 4.5 and names what is wrong with a broken file;
- `hand_in` finds and reads a student's notebook in the grader (on a cluster, workers never see the class
  folder); `parse_notebook` turns its bytes into a notebook in a worker.

Names that are not UTF-8 (Linux allows any bytes) are shown with `display_name`, never decoded blindly.
"""

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MiB = 1024 * 1024
MAX_NOTEBOOK_BYTES = 100 * MiB


class SubmissionProblem(ValueError):
    """A submission cannot be graded; the message names the file and what is wrong."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


def display_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 become \\xNN escapes; control characters are escaped."""
    text = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are never followed)"
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def read_regular_file(path: Path, limit: int = MAX_NOTEBOOK_BYTES, label: str | None = None) -> bytes:
    """The bytes of a regular file, at most `limit`; SubmissionProblem for anything else."""
    label = label or display_name(path.name)
    try:
        before = os.lstat(path)
    except OSError as error:
        raise SubmissionProblem("missing_notebook", f"{label} cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(before.st_mode):
        raise SubmissionProblem("invalid_notebook", f"{label} is {_kind(before.st_mode)}")
    if before.st_size > limit:
        raise SubmissionProblem(
            "invalid_notebook",
            f"{label} is {before.st_size / MiB:.0f} MiB; the limit is {limit / MiB:.0f} MiB",
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise SubmissionProblem("invalid_notebook", f"{label} cannot be opened: {error.strerror}") from None
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_ino, after.st_dev) != (before.st_ino, before.st_dev):
            raise SubmissionProblem("invalid_notebook", f"{label} changed while it was read")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise SubmissionProblem(
                    "invalid_notebook", f"{label} is larger than the {limit / MiB:.0f} MiB limit"
                )
        return b"".join(chunks)
    finally:
        os.close(fd)


def walk_entries(folder: Path, depth: int = 4, limit: int = 10_000) -> list[tuple[Path, os.stat_result]]:
    """Every entry under a folder with its lstat; links not followed; `depth` levels, `limit` entries."""
    found: list[tuple[Path, os.stat_result]] = []
    waiting = [(folder, 0)]
    while waiting and len(found) < limit:
        current, level = waiting.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    path = Path(entry.path)
                    found.append((path, info))
                    if stat.S_ISDIR(info.st_mode) and level + 1 < depth:
                        waiting.append((path, level + 1))
        except OSError:
            continue
    return sorted(found, key=lambda item: (len(item[0].relative_to(folder).parts), str(item[0])))


def _relative(path: Path, folder: Path) -> str:
    return display_name(str(path.relative_to(folder)))


def _names(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def find_notebook(folder: Path, assignment: str) -> tuple[Path, str]:
    """The notebook to grade in a submission folder, and a note when it is not simply <assignment>.ipynb.

    Prefers <assignment>.ipynb, then a single notebook whose name starts with the module, then the only
    notebook. Regular files come before anything else carrying a notebook's name; when only a folder, link,
    pipe or device has the name, SubmissionProblem says what it is.
    """
    expected = f"{assignment}.ipynb"
    entries = [
        (path, info)
        for path, info in walk_entries(folder)
        if ".ipynb_checkpoints" not in path.parts and path.name.endswith(".ipynb")
    ]
    regular = [path for path, info in entries if stat.S_ISREG(info.st_mode)]
    exact = [path for path in regular if path.name == expected]
    if exact:
        note = "" if exact[0].parent == folder else f"graded {_relative(exact[0], folder)}"
        return exact[0], note
    named = [path for path in regular if path.stem.startswith(assignment)]
    for candidates in (named, regular):
        if len(candidates) == 1:
            return candidates[0], f"graded '{_relative(candidates[0], folder)}' as {expected}"
    if regular:
        raise SubmissionProblem(
            "missing_notebook",
            f"no {expected}, and {len(regular)} other notebooks: cannot tell which to grade",
        )
    odd = [(path, info) for path, info in entries if path.name == expected] or entries
    if odd:
        path, info = odd[0]
        raise SubmissionProblem("invalid_notebook", f"{_relative(path, folder)} is {_kind(info.st_mode)}")
    files = [_relative(path, folder) for path, info in walk_entries(folder) if not stat.S_ISDIR(info.st_mode)]
    raise SubmissionProblem(
        "missing_notebook", f"no notebook in the submission; found: {_names(files) or 'nothing'}"
    )


# What nbgrader's exchange puts beside the notebook: the submission time and the secret that names the
# student's feedback file.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def other_files(folder: Path, graded: Path) -> list[str]:
    """The other files handed in (never used for grading), for the reason column."""
    return [
        _relative(path, folder)
        for path, info in walk_entries(folder)
        if path != graded and not stat.S_ISDIR(info.st_mode) and path.name not in EXCHANGE_FILES
    ]


def parse_notebook(content: bytes, label: str):
    """A notebook (nbformat 4.5 in memory) from a file's bytes; SubmissionProblem says what is wrong."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SubmissionProblem(
            "invalid_notebook", f"{label} is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SubmissionProblem(
            "invalid_notebook",
            f"{label} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
        ) from None
    except RecursionError:
        raise SubmissionProblem("invalid_notebook", f"{label} is JSON nested too deep to read") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    worksheets = data.get("worksheets") if isinstance(data, dict) else None
    if not isinstance(cells, list) and not isinstance(worksheets, list):
        raise SubmissionProblem("invalid_notebook", f"{label} is JSON but not a notebook (no list of cells)")
    try:
        notebook = nbformat.reads(text, as_version=4)
        notebook = nbformat.v4.upgrade(notebook) if notebook.nbformat_minor < 5 else notebook
        notebook.nbformat_minor = max(notebook.nbformat_minor, 5)
        for cell in notebook.cells:
            cell.setdefault("metadata", nbformat.NotebookNode())
            if not isinstance(cell.get("source", ""), str):
                cell.source = "".join(cell.source)
            if "id" not in cell:
                cell["id"] = nbformat.v4.new_code_cell().id
            meta = cell.metadata.get("nbgrader")
            if meta is not None and (
                not isinstance(meta, dict) or not isinstance(meta.get("grade_id", ""), str)
            ):
                del cell.metadata[
                    "nbgrader"
                ]  # damaged metadata counts as lost: restore_metadata matches by content
    except Exception as error:  # nbformat raises many kinds for malformed notebooks
        raise SubmissionProblem(
            "invalid_notebook", f"{label} is not a readable notebook: {type(error).__name__}: {error}"
        ) from None
    return notebook


def nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata, or {} when it has none or it is damaged."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


@dataclass
class HandedIn:
    """The notebook a student handed in, as the grader read it: its name as shown, its bytes, and notes for
    the reason column. Plain data: on a cluster the grader reads the file and a worker parses it."""

    label: str
    content: bytes
    notes: list[str] = field(default_factory=list)


def hand_in(folder: Path, assignment: str) -> HandedIn:
    """Find and read (never parse) the notebook to grade in a student's folder; SubmissionProblem if none."""
    path, note = find_notebook(folder, assignment)
    content = read_regular_file(path)
    notes = [note] if note else []
    others = other_files(folder, path)
    if others:
        notes.append(f"ignored other files: {_names(others)}")
    return HandedIn(display_name(path.name), content, notes)
