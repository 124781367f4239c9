"""Print the pip section of environment.yml as a requirements list.

Runs on a fresh machine before anything is installed, so it reads the file
with plain string handling instead of a YAML library. tests/test_environment.py
checks that this reading matches a real YAML parse.
"""

import sys
from pathlib import Path


def pip_requirements(environment_file: Path) -> list[str]:
    """Return the entries under `dependencies: - pip:` in environment.yml."""
    requirements = []
    in_pip_section = False
    pip_indent = None
    for line in environment_file.read_text(encoding="utf-8").splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        indent = len(stripped) - len(stripped.lstrip())
        if stripped.strip() == "- pip:":
            in_pip_section = True
            pip_indent = indent
            continue
        if in_pip_section:
            if indent <= pip_indent:
                in_pip_section = False
                continue
            entry = stripped.strip()
            if not entry.startswith("- "):
                raise SystemExit(f"{environment_file}: unexpected line in pip section: {line!r}")
            requirements.append(entry[2:].strip())
    if not requirements:
        raise SystemExit(f"{environment_file}: no '- pip:' section with entries found")
    return requirements


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "environment.yml"
    print("\n".join(pip_requirements(path)))
