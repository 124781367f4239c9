"""Shared fixtures: the repository root, throwaway copies of the course, the student edition, and the source
article."""

import os
import shutil
import subprocess
import sys
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


@pytest.fixture(scope="session")
def student_edition(tmp_path_factory) -> Path:
    """The student edition as `make student-edition` writes it (what learners and Binder get), built once per
    test process."""
    target = tmp_path_factory.mktemp("student-edition") / "course"
    result = subprocess.run(
        [sys.executable, "-m", "mlai_course.cli", "student-edition", str(target), "--course-root", REPO_ROOT],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return target


# ---------------------------------------------------------------- spreading the suite over test processes
#
# `make test` runs `pytest -n 2 --dist loadscope --no-loadscope-reorder` with the scheduler below: every test
# belongs to a group that one process runs whole (its file, so that a module-scoped fixture, such as a graded
# class or a notebook's kernel under nbval, is built once), and groups are handed out in the order
# pytest_collection_modifyitems sorts them: the longest first, so that no long group starts last while the
# other process idles. The plain nbgrader chain is one group per module (its fixture grades each module on its
# own), so that the modules spread over both processes. (xdist's own `--dist loadgroup` does not group with
# pytest 9: it renames `item._nodeid`, which pytest 9 no longer reads.)
# Seconds per group, measured on 2 cores (benchmarks/test_suite.md); the rest take a few seconds each.
LONG_GROUPS = {
    "tests/grading/test_cluster.py": 188,
    "tests/course/test_browser.py": 174,
    "tests/grading/test_sandbox.py": 109,
    "tests/grading/test_demo_class.py": 83,
    "tests/grading/test_hostile_class.py": 78,
    "tests/course/test_binder.py": 72,
    "tests/grading/test_class_hub.py": 70,
    "tests/course/test_student_notebooks.py": 33,
    "tests/grading/test_collect_lms.py": 29,
    "tests/grading/test_manual_grading.py": 28,
    "tests/course/test_nbgrader_e2e.py[08-lab-a-day-as-an-ai-engineer]": 25,
    "tests/course/test_nbgrader_e2e.py[07-lab-a-day-as-an-ml-engineer]": 25,
}
SPLIT_BY_PARAMETER = {"tests/course/test_nbgrader_e2e.py"}


def group_of(nodeid: str) -> str:
    """The group a test runs in: its file, or its file and parameter for a file split by parameter."""
    path = nodeid.split("::")[0]
    if path in SPLIT_BY_PARAMETER and nodeid.endswith("]"):
        return f"{path}[{nodeid.rsplit('[', 1)[1]}"
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    position = {}
    for index, item in enumerate(items):
        position.setdefault(group_of(item.nodeid), index)

    def order(item):
        group = group_of(item.nodeid)
        return -LONG_GROUPS.get(group, 0), position[group]

    items.sort(key=order)


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        """xdist's scope scheduling, with group_of as the scope."""

        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    return GroupScheduling(config, log)
