"""Write the student edition of the course: what learners need, and nothing that gives answers away.

    mlai-course student-edition DIR        (or: make student-edition DIR=...)

This repository is the **instructor repository**: it holds the solutions, the hidden tests, the grading tools
and their tests, and is kept private. Learners get the **student edition**, which this script writes to DIR
(typically a checkout of the public repository; its `.git` folder is kept, everything else is replaced):

- `notebooks/`: the released student notebooks (no solutions, no hidden tests) and the glossary;
- `data/`: the course's data tables and self-check question banks;
- `src/mlai_course/`: the package's face (`__init__.py`) and its two learner rooms, `learner/` and `labs/`,
  copied whole (LEARNER_ROOMS); the instructors' `grading/`, the authors' `authoring/` and the command line
  stay here (tests/course/test_package_layout.py checks that learner code never imports them);
- `environment.yml` with the learner pins only (the dev block is left out), `pyproject.toml` for the learner
  package, `postBuild` and `jupyter-config/learner/` (Binder and `make lab` show learners the student tools
  only), `tools/requirements_from_env.py`;
- a learner README (`tools/student_edition/README.md`) and Makefile (`tools/learner.mk`, the same learner
  targets the instructor repository's Makefile includes).

DIR must be empty, new, or an earlier student edition (it holds STAMP_FILE), so that the script never deletes
anything else. tests/course/test_student_edition.py builds an edition, checks that no solution line, hidden
test, gradebook or instructor-only file is in it, and runs its notebooks.
"""

import os
import shutil
import tomllib
from pathlib import Path

import yaml

NOTEBOOK_TABLE_MARKER = (
    "<!-- THE COURSE'S NOTEBOOKS: written from course.yml by `mlai-course student-edition` -->"
)
TEMPLATE = Path("tools") / "student_edition" / "README.md"  # the learner README, in the course root
STAMP_FILE = ".student-edition"
PACKAGE = Path("src") / "mlai_course"
# What a learner's kernel imports: the package's face and its two learner rooms, whole.
LEARNER_ROOMS = ["__init__.py", "learner", "labs"]
# Copied as they are, from the instructor repository to the same place in the edition.
COPIED = [
    Path("notebooks"),
    Path("data"),
    Path("postBuild"),
    Path("jupyter-config") / "learner",
    Path("tools") / "requirements_from_env.py",
]
IGNORED_NAMES = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".DS_Store")


class EditionError(RuntimeError):
    """The edition cannot be written; the message says why."""


def check_target(course_root: Path, target: Path) -> None:
    """Refuse any folder that is not new, empty (but for .git) or an earlier edition."""
    course_root = course_root.resolve()
    if target.resolve() == course_root or course_root in target.resolve().parents:
        raise EditionError(f"{target}: the edition must be written outside the instructor repository")
    if target.exists() and not target.is_dir():
        raise EditionError(f"{target}: exists and is not a folder")
    if target.is_dir():
        entries = {entry.name for entry in target.iterdir()} - {".git"}
        if entries and STAMP_FILE not in entries:
            raise EditionError(
                f"{target}: not empty and not an earlier student edition (no {STAMP_FILE}); "
                "choose an empty folder or a checkout of the student repository"
            )


def clear(target: Path) -> None:
    """Remove an earlier edition's files, keeping the folder's .git."""
    for entry in target.iterdir():
        if entry.name == ".git":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, ignore=IGNORED_NAMES)
    else:
        shutil.copy2(source, target)


def learner_environment(text: str) -> str:
    """environment.yml without the comment block that ends it: the dev tools, which learners never install."""
    lines = text.rstrip().splitlines()
    while lines and (lines[-1].startswith("#") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines) + "\n"


def learner_pyproject(project: dict) -> str:
    """A pyproject.toml for the learner package: same name, version and pins source, no command-line tools."""
    dependencies = [name for name in project["dependencies"] if name != "nbgrader"]
    listed = "".join(f'    "{name}",\n' for name in dependencies)
    return (
        "[build-system]\n"
        'requires = ["setuptools>=68"]\n'
        'build-backend = "setuptools.build_meta"\n'
        "\n"
        "[project]\n"
        f'name = "{project["name"]}"\n'
        f'version = "{project["version"]}"\n'
        'description = "Helpers for the ML Engineer vs AI Engineer course: data, self-checks, plots."\n'
        'readme = "README.md"\n'
        f'requires-python = "{project["requires-python"]}"\n'
        f'license = "{project["license"]}"\n'
        "# Versions are pinned once, in environment.yml.\n"
        f"dependencies = [\n{listed}]\n"
        "\n"
        "[tool.setuptools.packages.find]\n"
        'where = ["src"]\n'
        "\n"
        "[tool.setuptools.package-data]\n"
        'mlai_course = ["learner/*.json", "learner/static/*"]\n'
    )


def write_edition(course_root: Path, target: Path) -> list[Path]:
    """Write the student edition of the course at `course_root` to `target`; return the files written,
    relative to it."""
    check_target(course_root, target)
    target.mkdir(parents=True, exist_ok=True)
    clear(target)
    for path in [*COPIED, *(PACKAGE / room for room in LEARNER_ROOMS)]:
        copy(course_root / path, target / path)
    environment = (course_root / "environment.yml").read_text(encoding="utf-8")
    (target / "environment.yml").write_text(learner_environment(environment), encoding="utf-8")
    project = tomllib.loads((course_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (target / "pyproject.toml").write_text(learner_pyproject(project), encoding="utf-8")
    readme = (course_root / TEMPLATE).read_text(encoding="utf-8")
    (target / "README.md").write_text(with_notebook_table(course_root, readme), encoding="utf-8")
    copy(course_root / "tools" / "learner.mk", target / "Makefile")
    (target / STAMP_FILE).write_text(
        "Written by the instructor repository's `mlai-course student-edition`: do not edit here, "
        "change the instructor repository and write the edition again.\n",
        encoding="utf-8",
    )
    return sorted(
        Path(folder).relative_to(target) / name
        for folder, _, names in os.walk(target)
        if ".git" not in Path(folder).relative_to(target).parts
        for name in names
    )


def notebook_table(course_map: dict) -> str:
    """The course's notebooks as a markdown table: number (linked), title, the article sections."""
    rows = ["| notebook | title | the article's sections |", "| --- | --- | --- |"]
    for entry in course_map["modules"]:
        link = f"[{entry['id']}](notebooks/{entry['name']}/{entry['name']}.ipynb)"
        rows.append(f"| {link} | {entry['title']} | {'; '.join(entry['sections'])} |")
    return "\n".join(rows)


def with_notebook_table(course_root: Path, readme: str) -> str:
    """The learner README with the marker line replaced by the table of notebooks from course.yml."""
    if NOTEBOOK_TABLE_MARKER not in readme:
        raise EditionError(f"{TEMPLATE}: the line {NOTEBOOK_TABLE_MARKER!r} is missing")
    course_map = yaml.safe_load((course_root / "course.yml").read_text(encoding="utf-8"))
    return readme.replace(NOTEBOOK_TABLE_MARKER, notebook_table(course_map))
