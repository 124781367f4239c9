"""Release: generate the student notebooks from solutions/, and check that every notebook is stripped.

`make release` runs `python -m mlai_course.cli release`, which:

1. runs `nbgrader generate_assignment` for every folder in solutions/, writing
   the student version into notebooks/ (solutions and hidden tests removed,
   code answers replaced by stubs, checksums added to locked cells);
2. strips outputs, execution counts and widget state as nbstripout does (its
   `strip_output`, in this process), so nothing an author ran leaks into the
   student version;
3. removes release folders whose solution folder no longer exists.

`mlai-course check-stripped` (part of `make lint`) fails on any notebook with outputs or widget state.
"""

import copy
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
from nbstripout import strip_output

# What nbstripout's command strips besides outputs, counts and cell ids (its default extra keys), and the
# author's Python version (language_info).
STRIPPED_KEYS = [
    "metadata.signature",
    "metadata.widgets",
    "metadata.language_info",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
]


class ReleaseError(RuntimeError):
    """A release step failed; the message says which notebook and why."""


def tool_environment() -> dict:
    """Environment for running nbgrader: this Python's bin folder first on PATH (nbgrader runs alembic)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_tool(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m <tool> ...` with this Python; raise ReleaseError with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env=tool_environment(), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise ReleaseError(f"`{' '.join(args)}` failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result


def assignment_names(course_root: Path) -> list[str]:
    """Names of the modules in solutions/: folders NN-topic holding NN-topic.ipynb."""
    solutions = course_root / "solutions"
    return sorted(
        folder.name for folder in solutions.iterdir() if (folder / f"{folder.name}.ipynb").is_file()
    )


def notebook_files(folder: Path) -> list[Path]:
    """All notebooks under a folder, skipping Jupyter's checkpoint copies."""
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def stripped(notebook):
    """A copy of a notebook as `nbstripout --extra-keys metadata.language_info` writes it: no outputs,
    execution counts or widget state, cell ids numbered."""
    return strip_output(
        copy.deepcopy(notebook), keep_output=False, keep_count=False, keep_id=False, extra_keys=STRIPPED_KEYS
    )


def _read_as_is(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def strip_notebooks(paths: list[Path]) -> list[Path]:
    """Strip outputs, execution counts and widget state from notebooks, in place; return those changed."""
    changed = []
    for path in paths:
        notebook = _read_as_is(path)
        clean = stripped(notebook)
        if clean != notebook:
            nbformat.write(clean, path)
            changed.append(path)
    return changed


def unstripped_notebooks(paths: list[Path]) -> list[Path]:
    """Return the notebooks that stripping would change (outputs or widget state left in)."""
    return [path for path in paths if stripped(notebook := _read_as_is(path)) != notebook]


def release(course_root: Path, release_dir: Path | None = None) -> list[Path]:
    """Generate the student notebooks from solutions/ into release_dir (default: notebooks/), with nbgrader's
    own `generate_assignment` (no gradebook), in this process.

    Returns the generated notebooks. The gradebook is not touched.
    """
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    course_root = course_root.resolve()
    release_dir = (release_dir or course_root / "notebooks").resolve()
    names = assignment_names(course_root)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root / "grading")).load_config()
    config.CourseDirectory.root = str(course_root / "grading")
    config.CourseDirectory.source_directory = str(course_root / "solutions")
    config.CourseDirectory.release_directory = str(release_dir)
    config.GenerateAssignment.no_database = True
    config.SaveCells.enabled = False
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for name in names:
        result = api.generate_assignment(name, force=True, create=False)
        if not result["success"]:
            raise ReleaseError(
                f"nbgrader generate_assignment {name} failed:\n{result.get('error') or result.get('log')}"
            )
    for folder in release_dir.iterdir():
        if folder.is_dir() and folder.name not in names:
            shutil.rmtree(folder)
    generated = notebook_files(release_dir)
    strip_notebooks(generated)
    return generated
