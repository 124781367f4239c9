"""Shared fixtures: the repository root and throwaway copies of the course."""

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A copy of the course (solutions, notebooks, data, nbgrader config) in a temporary folder."""
    root = tmp_path / "course"
    for folder in ("solutions", "notebooks", "data"):
        shutil.copytree(
            REPO_ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    (root / "grading").mkdir()
    shutil.copy2(REPO_ROOT / "grading" / "nbgrader_config.py", root / "grading" / "nbgrader_config.py")
    return root
