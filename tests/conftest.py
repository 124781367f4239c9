"""Shared fixtures: the repository root, throwaway copies of the course, and the source article."""

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

# The source article the course teaches. It is not part of this repository: the course authors keep it beside
# it. Tests that compare the course with the article's words read it from MLAI_COURSE_SOURCE_ARTICLE, or from
# the authors' default place; without it they skip, saying why, and everything else still runs.
SOURCE_ARTICLE_ENV_VAR = "MLAI_COURSE_SOURCE_ARTICLE"
DEFAULT_SOURCE_ARTICLE = REPO_ROOT.parent / "shared" / "seeds" / "000_59df725ae3b264fd.txt"


def source_article_path() -> Path:
    return Path(os.environ.get(SOURCE_ARTICLE_ENV_VAR) or DEFAULT_SOURCE_ARTICLE).expanduser()


def source_article_text() -> str:
    """The source article's text; skips the calling test (with the reason) when the article is absent."""
    path = source_article_path()
    if not path.is_file():
        pytest.skip(
            f"the source article is not at {path}: set {SOURCE_ARTICLE_ENV_VAR} to its path to compare the "
            "course's facts with it (the rest of the suite does not need it)"
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A copy of the course (solutions, notebooks, data, nbgrader config) in a temporary folder."""
    return copy_course(tmp_path / "course")


def copy_course(root: Path) -> Path:
    """Copy the course (solutions, notebooks, data, nbgrader config) to `root`; return it."""
    for folder in ("solutions", "notebooks", "data"):
        shutil.copytree(
            REPO_ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    (root / "grading").mkdir()
    shutil.copy2(REPO_ROOT / "grading" / "nbgrader_config.py", root / "grading" / "nbgrader_config.py")
    return root
