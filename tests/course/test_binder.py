"""Binder builds the student edition: repo2docker accepts its config; its image has no instructor tools.

The Binder badge (in this README and the edition's) points at the public student repository, which holds what
`mlai-course student-edition` writes; so these tests build an edition and check it.
"""

import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from test_environment import pip_section

from mlai_course.authoring.release import assignment_names

BIN = Path(sys.executable).parent
INSTRUCTOR_LAB_PLUGINS = ["formgrader", "create-assignment", "course-list"]
INSTRUCTOR_SERVER_EXTENSIONS = ["formgrader", "course_list"]
LEARNER_CONFIG = REPO_ROOT / "jupyter-config" / "learner"


@pytest.fixture(scope="module")
def edition(student_edition) -> Path:
    """The student edition, as published: what Binder builds."""
    return student_edition


def test_there_is_no_binder_folder_that_would_hide_the_root_config(edition):
    for root in (REPO_ROOT, edition):
        assert not (root / ".binder").exists() and not (root / "binder").exists()


def test_repo2docker_dockerfile_installs_the_pinned_environment_and_the_package(edition):
    checkout = edition
    result = subprocess.run(
        [str(BIN / "repo2docker"), "--no-build", "--debug", "."],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    dockerfile = result.stdout
    assert "FROM " in dockerfile, dockerfile[:2000]
    assert "Building conda environment for python=3.11" in result.stderr
    assert re.search(r"^COPY .*src/environment\.yml \$\{REPO_DIR\}/environment\.yml$", dockerfile, re.M)
    assert re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment\.yml"', dockerfile)
    assert re.search(r"^RUN \./postBuild$", dockerfile, re.M)
    assert not re.search(r"requirements\.txt|setup\.py", dockerfile), "only environment.yml should install"


def test_postbuild_installs_the_package_disables_instructor_tools_and_saves_widget_state(edition, tmp_path):
    """Run the real postBuild in a fresh virtual environment with the pinned Jupyter packages, in a copy of
    the edition: postBuild's editable install writes into its checkout, and the other tests read the edition
    as written."""
    checkout = tmp_path / "checkout"
    shutil.copytree(edition, checkout)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pins = [pin for pin in pip_section() if pin.split("==")[0] in {"jupyterlab", "notebook", "nbgrader"}]
    assert len(pins) == 3
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile"]
    subprocess.run([*install, *pins], check=True)  # bytecode is written when a module is first imported
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run(["bash", "postBuild"], cwd=checkout, env=env, check=True, capture_output=True)

    def listing(*command):
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)

    labextensions = listing("jupyter", "labextension", "list")
    _, _, disabled = labextensions.partition("Disabled extensions:")
    for plugin in INSTRUCTOR_LAB_PLUGINS:
        assert f"@jupyter/nbgrader:{plugin}" in disabled, labextensions
    assert "@jupyter/nbgrader:validate-assignment" not in disabled, "learners keep Validate"
    server_extensions = listing("jupyter", "server", "extension", "list")
    for extension in INSTRUCTOR_SERVER_EXTENSIONS:
        pattern = rf"nbgrader\.server_extensions\.{extension} disabled"
        assert re.search(pattern, server_extensions), server_extensions
    assert re.search(r"nbgrader\.server_extensions\.validate_assignment enabled", server_extensions)
    # The learners' JupyterLab defaults: what jupyterlab_server reads from <prefix>/etc/jupyter/labconfig/.
    overrides = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import json; from jupyter_server.services.config.manager import ConfigManager; "
            "print(json.dumps(ConfigManager(config_dir_name='labconfig').get('default_setting_overrides')))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    learner_overrides = LEARNER_CONFIG / "labconfig" / "default_setting_overrides.json"
    assert json.loads(overrides.stdout) == json.loads(learner_overrides.read_text(encoding="utf-8"))
    assert json.loads(overrides.stdout)["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import mlai_course; print(mlai_course.__file__)"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert str(checkout / "src" / "mlai_course") in imported.stdout, imported.stderr


STUDENT_REPOSITORY = "ml-vs-ai-engineer/course"


@pytest.mark.parametrize("readme", ["README.md", "tools/student_edition/README.md"])
def test_readme_badge_opens_the_student_edition_on_the_first_notebook(readme, edition):
    text = (REPO_ROOT / readme).read_text(encoding="utf-8")
    badge = re.search(r"\[!\[Binder\]\([^)]*\)\]\((https://mybinder\.org/v2/gh/[^)]+)\)", text)
    assert badge, f"{readme} needs a Binder badge linking to mybinder.org"
    url = urllib.parse.urlparse(badge.group(1))
    assert url.path.startswith(f"/v2/gh/{STUDENT_REPOSITORY}/"), "Binder builds the public student edition"
    urlpath = urllib.parse.parse_qs(url.query)["urlpath"][0]
    assert urlpath.startswith("lab/tree/"), "the badge should open JupyterLab"
    first = assignment_names(REPO_ROOT)[0]
    assert urlpath == f"lab/tree/notebooks/{first}/{first}.ipynb"
    assert (edition / urlpath.removeprefix("lab/tree/")).is_file()
