"""Shared by the grading tests: run `mlai-course grade` and fingerprint folders."""

import fcntl
import hashlib
import os
import subprocess
import sys

from conftest import REPO_ROOT

from mlai_course.authoring.release import assignment_names

MODULE = assignment_names(REPO_ROOT)[0]


def tree_digest(folder) -> dict:
    """SHA-256 of every file under `folder`, by relative path: equal digests mean nothing changed."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def grade(course, *args):
    """Run `mlai-course grade MODULE` on a course copy; return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "mlai_course.cli", "grade", MODULE, "--course-root", str(course), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )


def leftover_sandbox_processes() -> list[int]:
    """Processes of sandbox user ids that no running grader holds (by its lock file): left behind."""
    from mlai_course.grading.sandbox import SANDBOX_FIRST_ID, user_processes

    found = []
    for uid in range(SANDBOX_FIRST_ID, SANDBOX_FIRST_ID + 32):
        processes = user_processes(uid)
        if not processes:
            continue
        with open(f"/tmp/mlai-sandbox-{uid}.lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a grader running now (another test) holds this user id
            found += [pid for pid in processes if os.path.exists(f"/proc/{pid}")]
    return found
