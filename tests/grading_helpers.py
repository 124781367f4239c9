"""Shared by the grading tests: run `mlai-course grade` and fingerprint folders."""

import hashlib
import subprocess
import sys

from conftest import REPO_ROOT

from mlai_course.authoring import assignment_names

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
