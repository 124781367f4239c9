"""The helper package's layout: four rooms by who uses them, read from the source with `ast`.

- learner/ and labs/ (what a learner's kernel imports, and all the student edition ships) never import
  grading/ or authoring/, directly, relatively or inside a function;
- the top level holds only __init__.py, cli.py and the four rooms;
- no module is over MAX_LINES lines.

Each rule is checked on the real package and, to show the check can fail, on a small package written here
that breaks it.
"""

import ast
from pathlib import Path

import pytest
from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "mlai_course"
ROOMS = {"learner", "labs", "grading", "authoring"}
LEARNER_ROOMS = ("learner", "labs")
INSTRUCTOR_ROOMS = ("grading", "authoring")
MAX_LINES = 500


def imported_modules(path: Path, package: str) -> set[str]:
    """Every module a file imports, as absolute dotted names (relative imports resolved)."""
    here = path.relative_to(path.parents[len(package.split(".")) + 1]).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - node.level])
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def forbidden_imports(package_dir: Path) -> list[str]:
    """`file: module` for each import of an instructor room from a learner room."""
    name = package_dir.name
    forbidden = tuple(f"{name}.{room}" for room in INSTRUCTOR_ROOMS)
    problems = []
    for room in LEARNER_ROOMS:
        for path in sorted((package_dir / room).rglob("*.py")):
            for module in sorted(imported_modules(path, name)):
                if module in forbidden or module.startswith(tuple(f"{f}." for f in forbidden)):
                    problems.append(f"{path.relative_to(package_dir.parent)}: imports {module}")
    return sorted(problems)


def long_modules(package_dir: Path) -> list[str]:
    return [
        f"{path.relative_to(package_dir.parent)}: {lines} lines"
        for path in sorted(package_dir.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]


def top_level_extras(package_dir: Path) -> list[str]:
    allowed = {"__init__.py", "cli.py", "__pycache__", *ROOMS}
    return sorted(entry.name for entry in package_dir.iterdir() if entry.name not in allowed)


def test_learner_rooms_never_import_instructor_rooms():
    assert forbidden_imports(PACKAGE) == []


def test_no_module_is_over_the_line_limit():
    assert long_modules(PACKAGE) == []


def test_the_top_level_holds_only_the_face_the_command_and_the_rooms():
    assert top_level_extras(PACKAGE) == []
    assert {entry.name for entry in PACKAGE.iterdir() if entry.is_dir()} - {"__pycache__"} == ROOMS


def test_every_room_is_a_package_that_says_who_uses_it():
    for room in ROOMS:
        init = PACKAGE / room / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{room}/__init__.py"


@pytest.fixture
def broken_package(tmp_path) -> Path:
    package = tmp_path / "src" / "mlai_course"
    for room in ROOMS:
        (package / room).mkdir(parents=True)
        (package / room / "__init__.py").write_text('"""A room."""\n')
    (package / "__init__.py").write_text("")
    (package / "learner" / "direct.py").write_text("import mlai_course.grading.pipeline\n")
    (package / "learner" / "relative.py").write_text("from ..authoring import release\n")
    (package / "labs" / "inside.py").write_text(
        "def later():\n    from mlai_course.grading import sandbox\n    return sandbox\n"
    )
    (package / "labs" / "fine.py").write_text("from mlai_course.learner import data\nfrom . import fine\n")
    (package / "grading" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (package / "stray.py").write_text("")
    return package


def test_the_checks_catch_a_package_that_breaks_each_rule(broken_package):
    assert forbidden_imports(broken_package) == [
        "mlai_course/labs/inside.py: imports mlai_course.grading",
        "mlai_course/labs/inside.py: imports mlai_course.grading.sandbox",
        "mlai_course/learner/direct.py: imports mlai_course.grading.pipeline",
        "mlai_course/learner/relative.py: imports mlai_course.authoring",
        "mlai_course/learner/relative.py: imports mlai_course.authoring.release",
    ]
    assert long_modules(broken_package) == [f"mlai_course/grading/long.py: {MAX_LINES + 1} lines"]
    assert top_level_extras(broken_package) == ["stray.py"]
