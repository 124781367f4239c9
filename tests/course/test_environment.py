"""environment.yml is the single source of pins; the local install and Binder read it.

Learners get its pip section (Binder, `make install`, `make lab`); `make install-dev` adds the test and
authoring tools of its commented dev block, which Binder never sees.
"""

import re
import subprocess
import sys
import tomllib

import yaml
from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tools"))
from requirements_from_env import dev_requirements, instructor_requirements, pip_requirements  # noqa: E402

ENVIRONMENT = REPO_ROOT / "environment.yml"


def pip_section() -> list[str]:
    environment = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    sections = [entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict)]
    assert len(sections) == 1, "environment.yml needs exactly one pip section"
    return sections[0]


def commented_section(group: str) -> list[str]:
    """A commented block read as YAML: the lines from '# <group>:' to a blank line, with their '#' removed."""
    lines = ENVIRONMENT.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"# {group}:")
    end = next((number for number in range(start, len(lines)) if not lines[number].strip()), len(lines))
    block = "\n".join(line[1:] for line in lines[start:end])
    return yaml.safe_load(block)[group]


def dev_section() -> list[str]:
    return commented_section("dev")


def instructor_section() -> list[str]:
    return commented_section("instructor")


def package_name(requirement: str) -> str:
    return re.split(r"[=<>!~\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_conda_part_is_python_311_and_pip_only():
    environment = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    conda_entries = [entry for entry in environment["dependencies"] if isinstance(entry, str)]
    assert conda_entries == ["python=3.11", "pip"]


def test_every_dependency_is_pinned_exactly():
    for requirement in pip_section() + instructor_section() + dev_section():
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", requirement), requirement


def test_local_install_reads_the_same_pins_as_binder():
    assert pip_requirements(ENVIRONMENT) == pip_section()
    assert instructor_requirements(ENVIRONMENT) == instructor_section()
    assert dev_requirements(ENVIRONMENT) == dev_section()
    groups = (("learner", pip_section()), ("instructor", instructor_section()), ("dev", dev_section()))
    for group, expected in groups:
        printed = subprocess.run(
            [
                sys.executable,
                str(REPO_ROOT / "tools" / "requirements_from_env.py"),
                str(ENVIRONMENT),
                "--group",
                group,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert printed == expected


def test_learners_get_no_test_tools():
    learner = {package_name(requirement) for requirement in pip_section()}
    for tool in ("pytest", "nbval", "ruff", "playwright", "jupyter-repo2docker", "nbstripout"):
        assert tool not in learner, f"{tool} is a test tool: pin it in the dev block, not the pip section"
    assert {package_name(requirement) for requirement in dev_section()}.isdisjoint(learner)
    assert {package_name(requirement) for requirement in instructor_section()}.isdisjoint(learner)


def test_the_dev_block_is_only_comments_to_the_end_of_the_file():
    lines = ENVIRONMENT.read_text(encoding="utf-8").splitlines()
    assert all(line.startswith("#") for line in lines[lines.index("# dev:") :])
    environment = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    assert "dev" not in environment and "instructor" not in environment, "Binder must not see them"


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    for requirement in pip_section() + instructor_section() + dev_section():
        name, pinned = requirement.split("==")
        assert version(name) == pinned, (
            f"{name}: installed {version(name)}, pinned {pinned}; run `make clean test`"
        )


def test_helper_package_dependencies_are_all_pinned_in_environment():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pinned = {package_name(requirement) for requirement in pip_section()}
    for dependency in pyproject["project"]["dependencies"]:
        assert "=" not in dependency and "<" not in dependency and ">" not in dependency, (
            f"pyproject.toml pins {dependency!r}; pin it in environment.yml only"
        )
        assert package_name(dependency) in pinned, f"{dependency} is not pinned in environment.yml"


def test_binder_installs_the_helper_package():
    post_build = (REPO_ROOT / "postBuild").read_text(encoding="utf-8")
    assert re.search(r"^pip install --no-deps -e \.$", post_build, re.M)
