"""Run a student's notebook: every cell, in a fresh kernel in a slot's sandbox, within the time limits.

- per cell: at the cell timeout the kernel is interrupted once; a cell that still does not stop ends the
  notebook (`timeout`);
- per student: a wall-clock limit, after which every process of the sandbox is killed (`timeout`);
- outputs are capped as they arrive (MAX_RECEIVED_CHARACTERS per cell), so a notebook that prints gigabytes
  never fills the grader's memory;
- what the grader observed is kept beside the notebook: each cell's execute_reply status, and which cells
  were interrupted. `judge` reads it.

`execute` never raises for student code: a dead kernel, a timeout or a launcher error is a status.
"""

import contextlib
import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from mlai_course.grading import sandbox
from mlai_course.grading.options import GradingOptions

STARTUP_TIMEOUT = 60
MAX_RECEIVED_CHARACTERS = 1_000_000  # of each cell's outputs, kept while the notebook runs


class GradingClient(NotebookClient):
    """nbclient with the grader's rules: on a cell timeout interrupt once; if the kernel does not answer
    within another timeout, give up on the notebook (CellTimeoutError)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.interrupted: list[int] = []
        self.replies: dict[int, str] = {}
        self.output_chars: dict[int, int] = {}
        self.on_cell_executed = self._record_reply
        self.on_notebook_start = self._seal

    def _seal(self, notebook):
        if isinstance(self.km, sandbox.SandboxedKernelManager):
            self.km.slot.seal()

    def process_message(self, msg, cell, cell_index):
        """Cap outputs as they arrive, so a notebook that prints gigabytes never fills the grader's memory."""
        content = msg.get("content", {})
        kind = msg.get("msg_type")
        if kind == "stream" and isinstance(content.get("text"), str):
            used = self.output_chars.get(id(cell), 0)
            text = content["text"]
            self.output_chars[id(cell)] = used + len(text)
            if used + len(text) > MAX_RECEIVED_CHARACTERS:
                room = max(MAX_RECEIVED_CHARACTERS - used, 0)
                cut = (
                    "\n... [output cut while the notebook ran] ...\n"
                    if used <= MAX_RECEIVED_CHARACTERS
                    else ""
                )
                content["text"] = text[:room] + cut
        elif kind in ("display_data", "update_display_data", "execute_result") and isinstance(
            content.get("data"), dict
        ):
            size = sum(len(value) if isinstance(value, str) else 0 for value in content["data"].values())
            if size > MAX_RECEIVED_CHARACTERS:
                content["data"] = {"text/plain": f"[an output of {size:,} characters was left out]"}
        return super().process_message(msg, cell, cell_index)

    def _record_reply(self, cell, cell_index, execute_reply):
        self.replies[id(cell)] = execute_reply.get("content", {}).get("status", "missing")

    async def _async_handle_timeout(self, timeout, cell=None):
        if cell is not None and id(cell) in self.interrupted:
            raise CellTimeoutError.error_from_timeout_and_cell("Cell could not be interrupted", timeout, cell)
        if cell is not None:
            self.interrupted.append(id(cell))
        await self.km.interrupt_kernel()
        return None


@dataclass
class Execution:
    status: str = "ok"
    reason: str = ""
    replies: dict[int, str] = field(default_factory=dict)
    interrupted: list[int] = field(default_factory=list)


def execute(notebook, options: GradingOptions, slot: sandbox.Slot | None, cell_timeout: int) -> Execution:
    """Run every cell in a fresh kernel in the slot's sandbox; never raises for student code."""
    if slot is not None:
        manager = sandbox.SandboxedKernelManager(slot)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    else:
        from jupyter_client.manager import AsyncKernelManager

        manager = AsyncKernelManager(kernel_name="python3")
        env = {**os.environ, **sandbox.sandbox_env(str(Path.home()))}
        env["MLAI_COURSE_DATA"] = str(options.course_root / "data")
    client = GradingClient(
        notebook,
        km=manager,
        timeout=cell_timeout,
        startup_timeout=STARTUP_TIMEOUT,
        interrupt_on_timeout=True,
        allow_errors=True,
        raise_on_iopub_timeout=False,
        shutdown_kernel="immediate",
        record_timing=False,
        iopub_timeout=4,
    )
    expired = threading.Event()

    def expire():
        expired.set()
        if isinstance(manager, sandbox.SandboxedKernelManager):
            manager.kill_sandbox()
        else:
            process = getattr(manager.provisioner, "process", None)
            if process is not None:
                sandbox.kill_tree(process.pid)

    timer = threading.Timer(options.student_timeout, expire)
    timer.daemon = True
    timer.start()
    result = Execution()
    try:
        with tempfile.TemporaryDirectory(prefix=sandbox.temporary_prefix("kernel")) as folder:
            where = {"cwd": folder} if slot is None else {}  # in the sandbox: its own tmpfs home
            client.execute(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **where)
    except CellTimeoutError as error:
        preview = _cell_preview(str(error))
        result.status = "timeout"
        result.reason = f"a cell ran past the {cell_timeout} s limit and could not be interrupted{preview}"
    except DeadKernelError:
        result.status = "kernel_crash"
        result.reason = "the Python kernel died while running the notebook"
    except Exception as error:  # nbclient, zmq and the kernel launcher raise many kinds
        result.status = "autograde_error"
        result.reason = f"{type(error).__name__}: {str(error).strip()[:300]}"
    finally:
        timer.cancel()
        if isinstance(manager, sandbox.SandboxedKernelManager):
            manager.kill_sandbox()
            slot.clean()
        else:
            with contextlib.suppress(Exception):
                process = getattr(manager.provisioner, "process", None)
                if process is not None:
                    sandbox.kill_tree(process.pid)
    if expired.is_set():
        result.status = "timeout"
        result.reason = (
            f"grading passed the {options.student_timeout:g} s per-student limit; "
            "every process of the sandbox was killed"
        )
    result.replies = client.replies
    result.interrupted = client.interrupted
    return result


def _cell_preview(message: str) -> str:
    preview = re.search(r"Here is a preview of the cell contents:\s*\n\s*-+\s*\n\s*(.+)", message)
    return f" (cell starting `{preview.group(1).strip()[:60]}`)" if preview else ""
