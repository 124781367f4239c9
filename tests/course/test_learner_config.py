"""`make lab` shows learners the student tools only, from the same configuration Binder applies."""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import REPO_ROOT
from test_browser import free_port, stop_process_group

LEARNER_CONFIG = REPO_ROOT / "jupyter-config" / "learner"
BIN = Path(sys.executable).parent
INSTRUCTOR_PLUGINS = ["formgrader", "create-assignment", "course-list", "menu"]
WIDGET_MANAGER_PLUGIN = "@jupyter-widgets/jupyterlab-manager:plugin"
NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"


def learner_env(tmp_path: Path) -> dict:
    return dict(
        os.environ,
        PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}",
        JUPYTER_CONFIG_PATH=str(LEARNER_CONFIG),
        JUPYTER_CONFIG_DIR=str(tmp_path / "user-config"),
        JUPYTER_DATA_DIR=str(tmp_path / "user-data"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # not listening yet


def test_make_lab_uses_the_learner_config():
    makefile = (REPO_ROOT / "tools" / "learner.mk").read_text(encoding="utf-8")
    lab_recipe = re.search(r"^lab:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert 'JUPYTER_CONFIG_PATH="$(LEARNER_CONFIG)"' in lab_recipe
    assert "LEARNER_CONFIG := $(CURDIR)/jupyter-config/learner" in makefile


def test_learner_lab_lists_the_instructor_plugins_as_disabled(tmp_path):
    listing = subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"],
        env=learner_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    _, _, disabled = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr).partition(
        "Disabled extensions:"
    )
    for plugin in INSTRUCTOR_PLUGINS:
        assert f"@jupyter/nbgrader:{plugin}" in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled, "learners keep Validate"


def test_learner_server_has_no_formgrader_keeps_validate_saves_widget_state_and_asks_for_no_news(tmp_path):
    token, port = secrets.token_hex(8), free_port()
    log = tmp_path / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                str(BIN / "jupyter"),
                "lab",
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={REPO_ROOT / 'notebooks'}",
            ],
            env=learner_env(tmp_path),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while status_of(f"{base}/api/status?token={token}") != 200:
            assert server.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        settings = json.loads(
            urllib.request.urlopen(f"{base}/lab/api/settings/{WIDGET_MANAGER_PLUGIN}?token={token}").read()
        )
        # Default overrides change the schema's default (the learner may still change the setting).
        assert settings["schema"]["properties"]["saveState"]["default"] is True, (
            "learners' notebooks keep their widget state"
        )
        assert "saveState" not in settings["settings"], "a default, not a user setting"
        notification = json.loads(
            urllib.request.urlopen(f"{base}/lab/api/settings/{NOTIFICATION_PLUGIN}?token={token}").read()
        )
        defaults = {name: spec["default"] for name, spec in notification["schema"]["properties"].items()}
        assert defaults["fetchNews"] == "false", "no 'Jupyter news?' pop-up on a learner's first start"
        assert defaults["checkForUpdates"] is False, "no update check either"
        assert status_of(f"{base}/formgrader?token={token}") == 404
        assert status_of(f"{base}/formgrader/api/status?token={token}") == 404
        loaded = log.read_text()
        assert "validate_assignment | extension was successfully loaded" in loaded
        assert "formgrader | extension was successfully loaded" not in loaded
    finally:
        stop_process_group(server)
