"""Open every student notebook in JupyterLab in a real browser (Debian's chromium, driven by playwright).

For each notebook: run every cell up to the first graded answer, run the self-check cells, check that the
widgets render with no "Error displaying widget" and no console errors, answer a question, press Check
and read the feedback. A screenshot per notebook goes to test-artifacts/screenshots/.

The JupyterLab server and chromium are started here as our own processes, on loopback, and stopped by
their PIDs at the end, whether the tests pass or fail. CI installs chromium (.ci/run); when it is missing
the tests fail rather than skip.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import REPO_ROOT
from notebook_helpers import is_answer_cell, module_paths
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
SELF_CHECK_CALLS = ("show_self_check(", "show_role_profile(")
STUDENT_NOTEBOOKS = module_paths(REPO_ROOT, "notebooks")
# JupyterLab starts a kernel and loads the widget manager: allow it time on a busy 2-core machine.
STEP_TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_url(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    """Wait until `url` answers 200, failing early with the log if the process exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a process we started in its own session, by PID: TERM, then KILL; assert it is gone."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # anything left in its group
    except ProcessLookupError:
        pass
    assert process.poll() is not None, f"process {process.pid} is still running"


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a random token, serving a copy of notebooks/; yields (base URL, token)."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "course"
    shutil.copytree(REPO_ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = home / "lab-settings" / "@jupyterlab"
    for plugin, values in {
        # Draw every cell, not only those on screen, so the test can find cells by position.
        # Start the notebook's kernel without asking, as a learner would pick it.
        "notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
        # No "Jupyter news?" pop-up over the screenshots, and no update check (no network here).
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        settings_file = settings / f"{plugin}.jupyterlab-settings"
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        settings_file.write_text(json.dumps(values))
    token, port = secrets.token_hex(16), free_port()
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        MLAI_COURSE_DATA=str(REPO_ROOT / "data"),
        MLAI_COURSE_PROGRESS=str(home / "progress.json"),
        JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
    )
    log = home / "jupyterlab.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "jupyter"),
                "lab",
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            cwd=root,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_url(f"{base}/api/status?token={token}", server, log)
        yield base, token
    finally:
        stop_process_group(server)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's chromium, started by us with a DevTools port and driven by playwright over CDP."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install chromium` (.ci/run does)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    port = free_port()
    log = profile.parent / "chromium.log"
    with log.open("w") as log_file:
        chromium = subprocess.Popen(
            [
                str(CHROMIUM),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_url(f"http://127.0.0.1:{port}/json/version", chromium, log)
        with sync_playwright() as playwright:
            connected = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
            try:
                yield connected
            finally:
                connected.close()
    finally:
        stop_process_group(chromium)


def cells_to_run(path: Path) -> tuple[int, list[int]]:
    """(number of cells before the first graded answer, indices of the self-check cells)."""
    cells = nbformat.read(path, as_version=4).cells
    first_answer = next(index for index, cell in enumerate(cells) if is_answer_cell(cell))
    self_checks = [
        index
        for index, cell in enumerate(cells)
        if cell.cell_type == "code" and any(call in cell.source for call in SELF_CHECK_CALLS)
    ]
    return first_answer, self_checks


# Start running one cell with JupyterLab's own command. The command's promise is not awaited here, so a
# stuck run ends in the Python-side wait (with its timeout), never in an endless page.evaluate.
RUN_CELL = """(index) => {
    const panel = window.jupyterapp.shell.currentWidget;
    panel.content.activeCellIndex = index;
    window.jupyterapp.commands.execute("notebook:run-cell");
    return panel.content.widgets[index].model.type;
}"""
KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = panel && panel.sessionContext && panel.sessionContext.session;
    const kernel = session && session.kernel;
    return Boolean(kernel && kernel.status === "idle" && panel.content && panel.content.widgets.length);
}"""
CELL_HAS_RUN = """(index) => {
    const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
    const prompt = cell.node.querySelector(".jp-InputPrompt").textContent;
    return cell.model.executionCount !== null && !prompt.includes("*");
}"""


def run_cell(page, index: int) -> None:
    """Run one cell through JupyterLab's own command and wait until its execution count appears."""
    if page.evaluate(RUN_CELL, index) == "code":
        page.wait_for_function(CELL_HAS_RUN, arg=index)


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_notebook_runs_and_self_check_works_in_the_browser(path, jupyterlab, browser):
    base, token = jupyterlab
    first_answer, self_checks = cells_to_run(path)
    assert self_checks, f"{path.name} has no self-check cell"
    console_errors = []
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(f"page error: {error}"))
    try:
        relative = path.relative_to(REPO_ROOT / "notebooks").as_posix()
        # A workspace of its own, reset, so no tab from an earlier notebook is restored beside this one.
        page.goto(f"{base}/lab/workspaces/{path.stem}/tree/{relative}?token={token}&reset")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")

        page.wait_for_function(KERNEL_IDLE)
        for index in [*range(first_answer), *self_checks]:
            run_cell(page, index)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")

        stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        tracebacks = [text for text in stderr.all_inner_texts() if "Traceback" in text or "Error" in text]
        assert not tracebacks, f"errors in outputs of {path.name}: {tracebacks}"

        check_buttons = page.get_by_role("button", name="Check", exact=True)
        check_buttons.first.wait_for()
        assert page.get_by_text("Error displaying widget").count() == 0

        radio_box = page.locator(".widget-radio-box").first
        radio_box.scroll_into_view_if_needed()
        radio_box.locator("input[type=radio]").first.check()
        radio_box.locator("xpath=following::button[normalize-space()='Check'][1]").click()
        feedback = (
            page.locator("[role=status]")
            .filter(has_text="Correct.")
            .or_(page.locator("[role=status]").filter(has_text="Not quite."))
        )
        feedback.first.wait_for()
        assert feedback.first.inner_text().startswith(("Correct.", "Not quite."))

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{path.stem}.png")
        assert page.get_by_text("Error displaying widget").count() == 0
        assert console_errors == [], f"console errors in {path.name}: {console_errors}"
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{path.stem}-failed.png")
        raise
    finally:
        page.close()
