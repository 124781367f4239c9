"""Find the course's folders from any working directory.

Notebooks run in many places: notebooks/NN-topic/ for a learner, a temporary
autograded/<student>/NN-topic/ folder under nbgrader, Binder's home folder.
The data folder is found, in order, from:

1. the MLAI_COURSE_DATA environment variable;
2. the working directory or any parent holding data/README.md;
3. the source tree this package was installed from (an editable install).
"""

import os
from pathlib import Path

DATA_ENV_VAR = "MLAI_COURSE_DATA"
DATA_MARKER = "README.md"


class CourseDataNotFound(FileNotFoundError):
    """Raised when no course data folder can be found."""


def _is_data_dir(path: Path) -> bool:
    return (path / DATA_MARKER).is_file()


def find_data_dir(start: Path | None = None) -> Path:
    """Return the course's data/ folder, searching as the module docstring says."""
    override = os.environ.get(DATA_ENV_VAR)
    if override:
        path = Path(override).expanduser().resolve()
        if not path.is_dir():
            raise CourseDataNotFound(f"{DATA_ENV_VAR}={override!r} is not a folder")
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_data_dir(folder / "data"):
            return folder / "data"
    source_tree_data = Path(__file__).resolve().parents[3] / "data"
    if _is_data_dir(source_tree_data):
        return source_tree_data
    raise CourseDataNotFound(
        f"No course data folder found from {here} or its parents, nor beside the installed package. "
        f"Run from inside the course folder, or set {DATA_ENV_VAR} to the data folder."
    )


def find_course_root(start: Path | None = None) -> Path:
    """Return the course root: the folder that holds data/, solutions/ and notebooks/."""
    return find_data_dir(start).parent
