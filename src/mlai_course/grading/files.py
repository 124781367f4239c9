"""Files the grader writes: whole or not at all, and folders removed without following links."""

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: bytes | str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_tree(path: Path) -> None:
    """Remove a file, a link (never what it points to) or a folder, if there is one."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def give_to_owner(folder: Path) -> None:
    """Run as root on someone's class folder (`sudo mlai-course grade`): hand what root wrote there back to
    the folder's owner, so that their formgrader can still write the gradebook. Never follows a link; a file
    with other hard links is left alone."""
    if os.geteuid() != 0 or not folder.is_dir() or folder.is_symlink():
        return
    owner = os.stat(folder)
    if owner.st_uid == 0:
        return
    for parent, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            path = os.path.join(parent, name)
            info = os.lstat(path)
            if info.st_uid == 0 and (stat.S_ISDIR(info.st_mode) or info.st_nlink == 1):
                os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)
