"""The student edition holds what learners need and nothing that gives answers away, and it works on its own.

Built once per session by `mlai-course student-edition` into a temporary folder; then every file in it is
read.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT

from mlai_course import cli
from mlai_course.authoring import student_edition
from mlai_course.authoring.release import assignment_names
from mlai_course.grading.secret_lines import course_secrets

INSTRUCTOR_ONLY_FOLDERS = ["solutions", "grading", "tests", "benchmarks", ".ci"]
MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]


@pytest.fixture(scope="module")
def edition(student_edition) -> Path:
    return student_edition


def edition_files(edition: Path) -> list[Path]:
    return sorted(path for path in edition.rglob("*") if path.is_file())


# Solution or hidden-test lines the learner's package holds on purpose, and why that gives nothing away.
SHARED_ON_PURPOSE = {
    "raise AssertionError(": "generic Python; mlai_course.learner.checks raises its own messages with it",
    "first = rows.iloc[0]": "generic pandas in the retrieval helper",
    "except ValueError:": "generic Python; the learner package catches ValueError where it reads input",
}


def all_secret_lines() -> set[str]:
    """The course's secret lines (the grader's notion, mlai_course.grading.secret_lines), less those shared
    on purpose."""
    return course_secrets(REPO_ROOT) - set(SHARED_ON_PURPOSE)


def edition_command(target: Path) -> int:
    return cli.main(["student-edition", str(target), "--course-root", str(REPO_ROOT)])


def test_the_edition_has_the_learners_files(edition):
    for name in assignment_names(REPO_ROOT):
        assert (edition / "notebooks" / name / f"{name}.ipynb").is_file()
    for path in ("README.md", "Makefile", "environment.yml", "pyproject.toml", "postBuild", "data/README.md"):
        assert (edition / path).is_file(), path
    assert (edition / "jupyter-config" / "learner" / "labconfig" / "page_config.json").is_file()
    assert (edition / "src" / "mlai_course" / "learner" / "checks.py").is_file()


def test_the_learner_readme_lists_every_notebook_of_the_course_map(edition):
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert student_edition.NOTEBOOK_TABLE_MARKER not in readme
    links = re.findall(r"^\| \[(\d\d)\]\((notebooks/[^)]+\.ipynb)\) \| ([^|]+) \|", readme, re.M)
    course_map = yaml.safe_load((REPO_ROOT / "course.yml").read_text(encoding="utf-8"))
    assert [(number, title.strip()) for number, _, title in links] == [
        (entry["id"], entry["title"]) for entry in course_map["modules"]
    ]
    for _, link, _ in links:
        assert (edition / link).is_file(), f"README links to {link}, which is not in the edition"


def test_no_instructor_folder_module_or_gradebook_is_in_the_edition(edition):
    for folder in INSTRUCTOR_ONLY_FOLDERS:
        assert not (edition / folder).exists(), folder
    package = sorted(path.name for path in (edition / "src" / "mlai_course").iterdir())
    assert package == sorted(student_edition.LEARNER_ROOMS), (
        "only the learner rooms: no grading, authoring, cli"
    )
    shipped = {path.relative_to(edition / "src").as_posix() for path in (edition / "src").rglob("*.py")}
    source = {
        path.relative_to(REPO_ROOT / "src").as_posix()
        for room in ("learner", "labs")
        for path in (REPO_ROOT / "src" / "mlai_course" / room).rglob("*.py")
    }
    assert shipped == source | {"mlai_course/__init__.py"}, "the learner rooms are copied whole"
    names = [path.name for path in edition_files(edition)]
    assert not [name for name in names if name.endswith((".db", ".sqlite"))], "no gradebook"
    assert "nbgrader_config.py" not in names
    assert [path.name for path in (edition / "tools").iterdir()] == ["requirements_from_env.py"]


def test_no_solution_line_or_hidden_test_is_in_any_file_of_the_edition(edition):
    secrets = all_secret_lines()
    assert len(secrets) > 20, "the solutions should have distinctive solution and hidden-test lines"
    leaks = []
    for path in edition_files(edition):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for marker in MARKERS:
            if marker in text:
                leaks.append(f"{path.relative_to(edition)}: {marker}")
        # Notebooks are JSON: each source line is a JSON string, so compare decoded lines too.
        lines = {line.strip() for line in text.splitlines()}
        lines |= {line.strip() for line in text.replace("\\n", "\n").replace('\\"', '"').splitlines()}
        lines |= {line.strip().strip('",') for line in lines}
        for secret in secrets & lines:
            leaks.append(f"{path.relative_to(edition)}: {secret}")
    assert not leaks, "answers in the student edition:\n" + "\n".join(leaks[:20])


def test_the_environment_has_no_test_tools_and_the_package_no_command(edition):
    environment = (edition / "environment.yml").read_text(encoding="utf-8")
    assert "# dev:" not in environment and "install-dev" not in environment
    for tool in ("pytest==", "nbval==", "ruff==", "playwright==", "repo2docker=="):
        assert tool not in environment
    assert "jupyterlab==" in environment
    pyproject = (edition / "pyproject.toml").read_text(encoding="utf-8")
    assert "[project.scripts]" not in pyproject and "nbgrader" not in pyproject


def test_the_edition_makefile_runs_jupyterlab_with_the_learner_config(edition):
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=edition, capture_output=True, text=True)
    assert dry_run.returncode == 0, dry_run.stderr
    assert f'JUPYTER_CONFIG_PATH="{edition}/jupyter-config/learner"' in dry_run.stdout
    assert "jupyter lab --notebook-dir=notebooks" in dry_run.stdout


def test_every_learner_module_imports_without_the_instructor_code(edition):
    modules = sorted(
        ".".join(path.relative_to(edition / "src").with_suffix("").parts)
        for path in (edition / "src" / "mlai_course").rglob("*.py")
    )
    modules = [name.removesuffix(".__init__") for name in modules]
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    env = {
        **os.environ,
        "PYTHONPATH": str(edition / "src"),
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code, *modules], cwd=edition, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    where = subprocess.run(
        [sys.executable, "-c", "import mlai_course; print(mlai_course.__file__)"],
        cwd=edition,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip() == str(edition / "src" / "mlai_course" / "__init__.py")


def test_the_edition_notebooks_are_the_release(edition):
    """The edition's notebooks are notebooks/ byte for byte: tests/course/test_student_notebooks.py runs them
    in the edition, with its own package and data."""
    for name in assignment_names(REPO_ROOT):
        path = Path("notebooks") / name / f"{name}.ipynb"
        assert (edition / path).read_bytes() == (REPO_ROOT / path).read_bytes(), path


def test_writing_again_keeps_git_and_refuses_other_folders(tmp_path):
    target = tmp_path / "course"
    assert edition_command(target) == 0
    (target / ".git").mkdir()
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (target / "stale.txt").write_text("from an earlier edition")
    assert edition_command(target) == 0
    assert (target / ".git" / "HEAD").is_file() and not (target / "stale.txt").exists()
    other = tmp_path / "my-project"
    other.mkdir()
    (other / "thesis.tex").write_text("precious")
    assert edition_command(other) == 2
    assert (other / "thesis.tex").read_text() == "precious"
    assert edition_command(REPO_ROOT / "edition") == 2
