"""Print pinned requirements from environment.yml, one per line.

    python tools/requirements_from_env.py [environment.yml] [--group learner|instructor|dev]

- `learner` (default): the entries under `dependencies: - pip:`, what Binder and `make install` install;
- `instructor`: the entries of the commented `# instructor:` block, what an instructor's machines add to run a
  class (`make install-instructor`): the class hub, grading on a cluster;
- `dev`: the entries of the commented `# dev:` block at the end of the file, the test and authoring tools that
  `make install-dev` adds (with the instructor's, which the tests use).

The commented blocks end the file, one after the other, so that Binder, which reads the same file, ignores
them.

Runs on a fresh machine before anything is installed, so it reads the file with plain string handling
instead of a YAML library. tests/test_environment.py checks that this reading matches a real YAML parse.
"""

import argparse
import sys
from pathlib import Path

GROUPS = ("learner", "instructor", "dev")
COMMENTED_GROUPS = ("instructor", "dev")
DEV_BLOCK_START = "# dev:"


def _fail(environment_file: Path, message: str):
    raise SystemExit(f"{environment_file}: {message}")


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
                _fail(environment_file, f"unexpected line in pip section: {line!r}")
            requirements.append(entry[2:].strip())
    if not requirements:
        _fail(environment_file, "no '- pip:' section with entries found")
    return requirements


def commented_requirements(environment_file: Path, group: str) -> list[str]:
    """Return the entries of a commented block `# <group>:`: lines `#   - name==version`, up to a blank line,
    the next block or the end of the file."""
    lines = environment_file.read_text(encoding="utf-8").splitlines()
    start_line = f"# {group}:"
    starts = [number for number, line in enumerate(lines) if line.strip() == start_line]
    if len(starts) != 1:
        _fail(environment_file, f"expected one '{start_line}' line, found {len(starts)}")
    headers = {f"# {name}:" for name in COMMENTED_GROUPS}
    requirements = []
    for line in lines[starts[0] + 1 :]:
        if line.strip() in headers or not line.strip():
            break
        if not line.startswith("#"):
            _fail(environment_file, f"the {group} block must stay a comment: {line!r}")
        entry = line[1:].strip()
        if entry.startswith("- "):
            requirements.append(entry[2:].strip())
        elif entry and not entry.startswith("#"):
            _fail(environment_file, f"unexpected line in the {group} block: {line!r}")
    if not requirements:
        _fail(environment_file, f"the {group} block lists no requirements")
    return requirements


def dev_requirements(environment_file: Path) -> list[str]:
    """The test and authoring tools: the commented `# dev:` block."""
    return commented_requirements(environment_file, "dev")


def instructor_requirements(environment_file: Path) -> list[str]:
    """What an instructor's machines add: the commented `# instructor:` block."""
    return commented_requirements(environment_file, "instructor")


def requirements(environment_file: Path, group: str = "learner") -> list[str]:
    if group == "learner":
        return pip_requirements(environment_file)
    if group in COMMENTED_GROUPS:
        return commented_requirements(environment_file, group)
    raise ValueError(f"group must be one of {GROUPS}, not {group!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_file = Path(__file__).resolve().parents[1] / "environment.yml"
    parser.add_argument("environment_file", nargs="?", type=Path, default=default_file)
    parser.add_argument("--group", choices=GROUPS, default="learner")
    args = parser.parse_args(argv)
    print("\n".join(requirements(args.environment_file, args.group)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
