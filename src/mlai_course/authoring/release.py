"""Release: generate the student notebooks from solutions/, and check that every notebook is stripped.

`make release` runs `python -m mlai_course.cli release`, which:

1. runs `nbgrader generate_assignment` for every folder in solutions/, writing
   the student version into notebooks/ (solutions and hidden tests removed,
   code answers replaced by stubs, checksums added to locked cells);
2. strips outputs, execution counts and widget state with nbstripout, so
   nothing an author ran leaks into the student version;
3. removes release folders whose solution folder no longer exists.

`mlai-course check-stripped` (part of `make lint`) fails on any notebook with outputs or widget state.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

# nbstripout already drops outputs, counts, metadata.widgets and
# metadata.signature; language_info records the author's Python version.
STRIP_ARGS = ["--extra-keys", "metadata.language_info"]


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


def strip_notebooks(paths: list[Path]) -> None:
    """Strip outputs, execution counts and widget state from notebooks, in place."""
    if paths:
        run_tool(["nbstripout", *STRIP_ARGS, *map(str, paths)], cwd=Path.cwd())


def unstripped_notebooks(paths: list[Path]) -> list[Path]:
    """Return the notebooks that nbstripout would change (outputs or widget state left in)."""
    return [
        path
        for path in paths
        if subprocess.run(
            [sys.executable, "-m", "nbstripout", "--verify", *STRIP_ARGS, str(path)], capture_output=True
        ).returncode
        != 0
    ]


def release(course_root: Path, release_dir: Path | None = None) -> list[Path]:
    """Generate the student notebooks from solutions/ into release_dir (default: notebooks/).

    Returns the generated notebooks. The gradebook is not touched.
    """
    course_root = course_root.resolve()
    release_dir = (release_dir or course_root / "notebooks").resolve()
    names = assignment_names(course_root)
    for name in names:
        run_tool(
            [
                "nbgrader",
                "generate_assignment",
                name,
                "--force",
                "--no-db",
                f"--CourseDirectory.release_directory={release_dir}",
            ],
            cwd=course_root / "grading",
        )
    for folder in release_dir.iterdir():
        if folder.is_dir() and folder.name not in names:
            shutil.rmtree(folder)
    generated = notebook_files(release_dir)
    strip_notebooks(generated)
    return generated
