"""Which version of the course a machine holds: the fingerprint a grader sends to every Dask worker.

A worker grades only for a grader whose course is its own: the same release (notebooks/), data (data/), helper
package (mlai_course, which the notebooks import), Python and pinned Python packages (environment.yml's pip
section, as installed). A worker on another version would run the notebooks with other data or other helpers
and give other grades, so it refuses and says what differs (`differences`).

The fingerprint is plain data (names to SHA-256 digests and versions), computed in milliseconds.
"""

import hashlib
import platform
from importlib import metadata
from pathlib import Path

import yaml

import mlai_course

COURSE_FOLDERS = ("notebooks", "data")
SKIPPED = {"__pycache__", ".ipynb_checkpoints"}


def file_digests(folder: Path, label: str) -> dict[str, str]:
    """`label/<relative path>` -> SHA-256 of every file under `folder` (caches and hidden files left out)."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part in SKIPPED or part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        digests[f"{label}/{relative.as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def pinned_packages(course_root: Path) -> list[str]:
    """The names pinned in environment.yml's pip section (what the learners' kernels run on)."""
    environment = course_root / "environment.yml"
    if not environment.is_file():
        return []
    loaded = yaml.safe_load(environment.read_text(encoding="utf-8")) or {}
    pip = [
        entry["pip"] for entry in loaded.get("dependencies", []) if isinstance(entry, dict) and "pip" in entry
    ]
    return sorted(requirement.split("==")[0].strip() for requirement in (pip[0] if pip else []))


def installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def course_version(course_root: Path) -> dict[str, str]:
    """The course's fingerprint on this machine: files by digest, Python and pinned packages by version."""
    version: dict[str, str] = {}
    for folder in COURSE_FOLDERS:
        version |= file_digests(course_root / folder, folder)
    version |= file_digests(Path(mlai_course.__file__).resolve().parent, "mlai_course")
    version["Python"] = platform.python_version()
    for name in pinned_packages(course_root):
        version[f"package {name}"] = installed(name)
    return version


def differences(expected: dict[str, str], here: dict[str, str]) -> list[str]:
    """What differs between the grader's fingerprint (`expected`) and this machine's, one phrase each."""
    found = []
    for key in sorted(expected.keys() | here.keys()):
        if key not in here:
            found.append(f"{key} is missing here")
        elif key not in expected:
            found.append(f"{key} is not in the grader's course")
        elif expected[key] != here[key]:
            versioned = key == "Python" or key.startswith("package ")
            found.append(
                f"{key} {here[key]} here, {expected[key]} on the grader" if versioned else f"{key} differs"
            )
    return found


def describe(found: list[str], most: int = 6) -> str:
    shown = "; ".join(found[:most])
    return shown + (f"; and {len(found) - most} more differences" if len(found) > most else "")
