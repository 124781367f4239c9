"""The sandbox a student's notebook runs in: bubblewrap, resource limits and an unprivileged user per slot.

`mlai-course grade` runs every student's kernel as

    bwrap <namespaces, read-only system, private tmpfs> -- python -m mlai_course.grading.sandbox_kernel ... --
        -m ipykernel_launcher -f <connection file>

- namespaces: its own process ids (`--unshare-pid`: it sees only its own processes, and when the sandbox's
  first process is killed the kernel kills every process in it, however it detached), no network
  (`--unshare-net`: only a private loopback), its own IPC, host name and cgroup view; `--die-with-parent`;
  `--new-session`;
- files: read-only binds of /usr (and the /bin, /lib... links), the Python installation and the virtual
  environment, the helper package's source (an editable install) and the course's data/ at /course/data;
  a size-limited private tmpfs for the home and working folder (/home/student) and for /tmp; the slot's
  folder for the kernel's unix sockets (root's again once the kernel has bound them). Nothing else: not
  solutions/, not the gradebook, not nbgrader_config.py, not other students, not the grader's home or files;
- environment: cleared, then PATH, HOME, LANG, MPLBACKEND=Agg, MLAI_COURSE_DATA and one-thread settings;
- `sandbox_kernel` sets the limits (memory, file size, processes, CPU seconds), no_new_privs and switches
  to the slot's own user and group (SANDBOX_FIRST_ID + slot) before it starts the kernel.

The grader talks to the kernel over ZeroMQ's ipc transport (unix sockets in the slot's folder): with no
network namespace, TCP on the grader's loopback is out of reach.
"""

import ctypes
import fcntl
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

import mlai_course

BWRAP = "bwrap"
SANDBOX_FIRST_ID = 61000  # slot N runs as uid/gid 61000 + N: not a user of the machine
COURSE_DATA = "/course/data"
HOME = "/home/student"
GiB = 1024**3
MiB = 1024**2


class SandboxUnavailable(RuntimeError):
    """The machine cannot provide the sandbox; the message says what is missing and how to get it."""


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 2 * GiB  # address space of each process
    file_bytes: int = 64 * MiB  # largest file a process may write
    processes: int = 64  # processes and threads of the slot's user
    cpu_seconds: int = 600
    tmpfs_bytes: int = 128 * MiB  # each of /home/student and /tmp


def sandbox_env(slot_home: str = HOME) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": slot_home,
        "USER": "student",
        "LOGNAME": "student",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "MLAI_COURSE_DATA": COURSE_DATA,
        "MLAI_COURSE_PROGRESS": f"{slot_home}/progress.json",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
    }


def python_folders() -> list[Path]:
    """The folders the kernel's Python needs, read-only: the installation, the venv, the helper source."""
    folders = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    package_parent = Path(mlai_course.__file__).resolve().parents[1]
    if not any(package_parent.is_relative_to(folder) for folder in folders):
        folders.append(package_parent)  # an editable install: src/ holds only the helper package
    unique = []
    for folder in folders:
        if not any(folder.is_relative_to(kept) for kept in unique):
            unique = [kept for kept in unique if not kept.is_relative_to(folder)] + [folder]
    return unique


def parents_below_root(path: Path) -> list[Path]:
    """The folders above `path`, outermost first, `/` left out: what bwrap must create before binding it."""
    return [parent for parent in reversed(path.parents) if parent != Path("/")]


def system_view(etc_files: tuple[str, ...]) -> list[str]:
    """bwrap's options for the system a sandbox sees, read-only: /usr, the top-level folders or links into it,
    and only the named files of /etc."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    args += ["--perms", "0755", "--dir", "/etc"]  # else bwrap makes it 0700, closed to the sandbox's user
    for name in etc_files:
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args


def bwrap_arguments(data_dir: Path, runtime_dir: Path, limits: Limits) -> list[str]:
    """bwrap's options for one slot (everything before `--`)."""
    args = [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--hostname",
        "sandbox",
        *system_view(("ld.so.cache", "localtime", "nsswitch.conf", "fonts")),
    ]
    # The empty /tmp and home first: a Python or course folder that lies under /tmp is bound on top of it.
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(limits.tmpfs_bytes), "--tmpfs", "/tmp"]
    args += ["--perms", "0755", "--dir", "/home"]
    args += ["--perms", "0777", "--size", str(limits.tmpfs_bytes), "--tmpfs", HOME]
    created = {Path("/tmp"), Path("/home"), Path(HOME)}
    binds = [(folder, folder) for folder in python_folders()]
    binds += [(data_dir.resolve(), Path(COURSE_DATA))]
    for source, target in binds:
        for parent in parents_below_root(target):
            if parent not in created:
                created.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(source), str(target)]
    for parent in parents_below_root(runtime_dir):
        if parent not in created:
            created.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    args += ["--bind", str(runtime_dir), str(runtime_dir)]
    for name, value in sandbox_env().items():
        args += ["--setenv", name, value]
    args += ["--chdir", HOME]
    return args


class Slot:
    """One parallel grading slot: its own unprivileged user id and its folder for kernel sockets."""

    def __init__(self, number: int, data_dir: Path, limits: Limits = Limits()):
        self.number = number
        self.uid = self.gid = SANDBOX_FIRST_ID + number
        self.data_dir = data_dir
        self.limits = limits
        # unix socket paths must stay short (108 bytes): a short folder under /tmp
        self.runtime_dir = Path(tempfile.mkdtemp(prefix=temporary_prefix(f"s{number}"), dir="/tmp"))
        os.chmod(self.runtime_dir, 0o700)
        if os.getuid() == 0:
            os.chown(self.runtime_dir, self.uid, self.gid)

    def command(self, *python_args: str) -> list[str]:
        """The full command that runs `python <python_args>` in the slot's sandbox."""
        limits = self.limits
        launcher = [
            sys.executable,
            "-m",
            "mlai_course.grading.sandbox_kernel",
            *map(str, (self.uid, self.gid, limits.memory_bytes, limits.file_bytes)),
            *map(str, (limits.processes, limits.cpu_seconds)),
            "--",
            *python_args,
        ]
        return [shutil.which(BWRAP) or BWRAP, *bwrap_arguments(self.data_dir, self.runtime_dir, limits)] + [
            "--",
            *launcher,
        ]

    def clean(self) -> None:
        """Kill what still runs as the slot user; empty the socket folder, open it for the next kernel.

        Waits until no process of the slot's user is left, zombies included: they still count against the
        next kernel's process limit (a fork bomb's children would otherwise make the next student's kernel
        fail to start a thread).
        """
        deadline = time.monotonic() + 20
        while user_processes(self.uid) and time.monotonic() < deadline:
            kill_user_processes(self.uid)
            reap_children()
            time.sleep(0.02)
        for path in self.runtime_dir.iterdir():
            path.unlink(missing_ok=True)
        if os.getuid() == 0:
            os.chown(self.runtime_dir, self.uid, self.gid)
            os.chmod(self.runtime_dir, 0o700)

    def seal(self) -> None:
        """Once the kernel has bound its sockets: the folder becomes root's, so the kernel cannot write files
        into the one writable place on the grader's disk (nor replace its sockets, e.g. by a fake kernel)."""
        if os.getuid() == 0:
            os.chown(self.runtime_dir, 0, 0)
            os.chmod(self.runtime_dir, 0o755)

    def remove(self) -> None:
        kill_user_processes(self.uid)
        shutil.rmtree(self.runtime_dir, ignore_errors=True)


def temporary_prefix(kind: str) -> str:
    """`mlai-<kind>-<pid>-`: the grader's process id in a temporary folder's name lets a later run remove
    what a killed run left behind (remove_stale_folders)."""
    return f"mlai-{kind}-{os.getpid()}-"


STALE_FOLDER = re.compile(r"mlai-(?:s\d+|kernel|release)-(\d+)-")


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


SANDBOX_IDS = range(SANDBOX_FIRST_ID, SANDBOX_FIRST_ID + 1000)  # the slots' user ids (SlotPool)


def remove_stale_folders() -> list[Path]:
    """Remove the grader's temporary folders (slot sockets, kernel folders, the release) whose grader is gone,
    e.g. killed with SIGKILL; return them. Only folders of this user, or, for a slot's socket folder, of a
    sandbox user (between two students a slot's folder is its user's); never a link."""
    removed = []
    for root in sorted({Path("/tmp"), Path(tempfile.gettempdir())}):
        for path in root.glob("mlai-*"):
            match = STALE_FOLDER.match(path.name)
            if not match or path.is_symlink() or not path.is_dir():
                continue
            owner = path.stat().st_uid
            slot_folder = path.name.startswith("mlai-s") and os.getuid() == 0 and owner in SANDBOX_IDS
            if (owner != os.getuid() and not slot_folder) or process_alive(int(match.group(1))):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def user_processes(uid: int) -> list[int]:
    """The processes (zombies included) of a user, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def kill_user_processes(uid: int) -> None:
    """SIGKILL every process of a slot's user (the pid namespace already did; this is the second lock)."""
    for pid in user_processes(uid):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Make this process the parent of the sandboxes' orphans, so it can reap them at once (reap_children)
    instead of leaving zombies that count against a slot user's process limit."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_children() -> None:
    """Collect every child of this process that has ended (orphans of dead sandboxes among them)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


class SlotPool:
    """Parallel slots, each with a user id that no other grader on this machine is using: a slot's number
    is held by a lock file for as long as the pool is open (two graders, or a grader and a machine check,
    never share a user id, so neither kills the other's kernels)."""

    def __init__(self, count: int, data_dir: Path):
        self.queue: queue.Queue = queue.Queue()
        self.slots: list[Slot] = []
        self._locks = []
        number = 0
        while len(self.slots) < count and number < 1000:
            lock = open(f"/tmp/mlai-sandbox-{SANDBOX_FIRST_ID + number}.lock", "a")  # noqa: SIM115
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                number += 1
                continue
            self._locks.append(lock)
            slot = Slot(number, data_dir)
            slot.clean()
            self.slots.append(slot)
            self.queue.put(slot)
            number += 1
        if len(self.slots) < count:
            self.close()
            raise SandboxUnavailable("no free sandbox user ids (61000-61999): too many graders at once")

    def get(self) -> Slot:
        return self.queue.get()

    def put(self, slot: Slot) -> None:
        self.queue.put(slot)

    def close(self) -> None:
        for slot in self.slots:
            slot.remove()
        for lock in self._locks:
            lock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class SandboxedKernelManager(AsyncKernelManager):
    """A Jupyter kernel manager whose kernel runs in a slot's sandbox, reached over ipc sockets."""

    def __init__(self, slot: Slot, **kwargs):
        # a new socket name per kernel: a client left over from the last student never reaches this one
        super().__init__(transport="ipc", ip=str(slot.runtime_dir / secrets.token_hex(4)), **kwargs)
        self.slot = slot
        self._kernel_spec = KernelSpec(
            argv=slot.command("-m", "ipykernel_launcher", "-f", "{connection_file}"),
            display_name="Python 3 (sandboxed)",
            language="python",
            interrupt_mode="message",  # SIGINT cannot reach into the sandbox's session; ipykernel sends it
        )
        self.connection_file = str(Path(self.ip).with_suffix(".json"))

    @property
    def kernel_spec(self):
        return self._kernel_spec

    @property
    def ipykernel(self) -> bool:
        return True

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if os.getuid() == 0:
            os.chown(self.connection_file, self.slot.uid, self.slot.gid)

    def kill_sandbox(self) -> None:
        """Kill bwrap and the sandbox's first process: the kernel then kills every process inside."""
        process = getattr(self.provisioner, "process", None)
        if process is not None:
            kill_tree(process.pid)
            try:
                process.wait(timeout=10)  # reap bwrap: no zombie per student
            except subprocess.TimeoutExpired:
                pass
        kill_user_processes(self.slot.uid)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def kill_tree(pid: int) -> None:
    """SIGKILL a process and its descendants (bwrap, the sandbox's init, the kernel...)."""
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting += children(current)
    for target in found:
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass


# ---------------------------------------------------------------- checking the machine

SMOKE_TEST = r"""
import os, resource, socket, sys
problems = []
if os.getuid() == 0 or os.geteuid() == 0:
    problems.append("runs as root")
if resource.getrlimit(resource.RLIMIT_AS)[0] != int(sys.argv[1]):
    problems.append("the memory limit is not set")
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=2).close()
    problems.append("reached the grader's network")
except OSError:
    pass
for secret in (sys.argv[3] + "/solutions", sys.argv[3] + "/grading", "/root/.ssh", "/etc/shadow"):
    if os.path.lexists(secret):
        problems.append(f"can see {secret}")
try:
    open(os.path.join(sys.prefix, "written-by-the-sandbox"), "w")
    problems.append("can write into the Python installation")
except OSError:
    pass
if os.environ.get("MLAI_SANDBOX_CHECK"):
    problems.append("sees the grader's environment")
print("; ".join(problems) or "sandbox ok")
"""


def check_machine(data_dir: Path, course_root: Path) -> None:
    """Fail with a clear message unless a smoke sandbox runs here with every protection in force."""
    if sys.platform != "linux":
        raise SandboxUnavailable("the grading sandbox needs Linux (bubblewrap, namespaces, resource limits)")
    if shutil.which(BWRAP) is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed: install it with `apt-get install bubblewrap` "
            "(Debian/Ubuntu) or `dnf install bubblewrap`, or grade with --no-sandbox at your own risk"
        )
    if os.getuid() != 0:
        raise SandboxUnavailable(
            "the grader must run as root to start each kernel as its own unprivileged user "
            "(it drops to uid/gid 61000+ inside the sandbox); run it as root, e.g. in a container, "
            "or grade with --no-sandbox at your own risk"
        )
    pool = SlotPool(1, data_dir)
    slot = pool.get()
    listener = socket.socket()
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        command = slot.command("-c", SMOKE_TEST, str(slot.limits.memory_bytes), str(port), str(course_root))
        env = {**os.environ, "MLAI_SANDBOX_CHECK": "grader secret"}
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
        except subprocess.TimeoutExpired:
            raise SandboxUnavailable("the smoke sandbox did not finish in 60 s") from None
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or output.splitlines()[-1:] != ["sandbox ok"]:
            raise SandboxUnavailable(
                f"the smoke sandbox failed (exit {result.returncode}): {output[-800:]}\n"
                "bubblewrap needs namespaces (pid, net, ipc, uts) that the kernel and the container allow; "
                "in Docker, run with --privileged or a seccomp/apparmor profile that allows them"
            )
    finally:
        listener.close()
        pool.close()
