"""The sandbox each user's Jupyter server runs in on the class hub: bubblewrap, then the user's own account.

The hub (root) starts every single-user server as

    bwrap <its own process ids, IPC; a read-only view of the system> --
        prlimit <processes, no core files> -- setpriv <the user's uid, gid and groups, no_new_privs, no
        capabilities> -- jupyterhub-singleuser ...

What a server sees, besides /usr (and the /bin, /lib... links), a few files of /etc and the Python
installation and virtual environment (read-only):

- a student: their own home (read-write), nbgrader's exchange (nbgrader's permissions apply there), the
  course's student edition (read-only: notebooks, data, the learner rooms of the helper package) and the
  students' Jupyter configuration (read-only). Not the instructor's course (solutions, gradebook), not the
  course repository (only its virtual environment), not other students' homes, not the hub's state;
- the instructor: their own home, which holds the course (solutions, gradebook, submissions), the exchange,
  the helper package's source (an editable install) and the instructor's Jupyter configuration.

On top of that, file permissions hold: each home is its owner's only (0700), and the exchange's folders have
the owners and modes nbgrader expects (class_hub.set_up_exchange). The network is shared with the machine:
the hub and its proxy reach the server on the loopback, and the server reaches the hub's API.
"""

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import mlai_course
from mlai_course.grading.sandbox import parents_below_root, python_folders, system_view

BWRAP = "bwrap"
SETPRIV = "/usr/bin/setpriv"
PRLIMIT = "/usr/bin/prlimit"
MAX_PROCESSES = 512  # per user (RLIMIT_NPROC counts a user's processes and threads machine-wide)
TMP_BYTES = 512 * 1024 * 1024
# Files of /etc a Jupyter server and its terminals need; nothing secret (/etc/shadow is never bound).
ETC_FILES = (
    "passwd",
    "group",
    "nsswitch.conf",
    "hosts",
    "ld.so.cache",
    "localtime",
    "mime.types",
    "fonts",
    "alternatives",
    "ssl",
    "bash.bashrc",
    "profile",
    "inputrc",
)


@dataclass(frozen=True)
class ServerView:
    """What one user's server sees beyond the system and Python: read-write and read-only folders."""

    uid: int
    gid: int
    home: Path
    cwd: Path
    writable: list[Path] = field(default_factory=list)  # besides the home, e.g. the exchange
    read_only: list[Path] = field(default_factory=list)
    course_source: bool = False  # the helper package's editable source (instructors only)


def python_view(course_source: bool) -> list[Path]:
    """The Python installation and the virtual environment; the helper package's source only if asked
    (students import the learner rooms from the student edition instead)."""
    source = Path(mlai_course.__file__).resolve().parents[1]
    folders = python_folders()
    return [folder for folder in folders if course_source or folder != source]


def bwrap_arguments(view: ServerView) -> list[str]:
    """bubblewrap's options for one server (everything before `--`)."""
    args = [
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        *system_view(ETC_FILES),
    ]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    created = {Path("/tmp"), Path("/etc"), Path("/usr")}
    binds = [("--ro-bind", folder) for folder in python_view(view.course_source)]
    binds += [("--ro-bind", folder) for folder in view.read_only]
    binds += [("--bind", folder) for folder in (view.home, *view.writable)]
    for kind, folder in binds:
        for parent in parents_below_root(folder):
            if parent not in created:
                created.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
        created.add(folder)
        args += [kind, str(folder), str(folder)]
    args += ["--chdir", str(view.cwd)]
    return args


def server_command(view: ServerView, program: list[str]) -> list[str]:
    """The whole command that runs `program` as the view's user, in its sandbox."""
    bwrap = shutil.which(BWRAP) or BWRAP
    drop = [
        PRLIMIT,
        f"--nproc={MAX_PROCESSES}",
        "--core=0",
        "--",
        SETPRIV,
        f"--reuid={view.uid}",
        f"--regid={view.gid}",
        "--init-groups",
        "--no-new-privs",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--",
    ]
    return [bwrap, *bwrap_arguments(view), "--", *drop, *program]


def singleuser_program() -> list[str]:
    """jupyterhub-singleuser from this Python's environment (the hub's)."""
    return [str(Path(sys.executable).parent / "jupyterhub-singleuser")]


def missing_tools() -> list[str]:
    """What this machine lacks to run the servers' sandbox, as install hints."""
    missing = []
    if shutil.which(BWRAP) is None:
        missing.append("bubblewrap (apt-get install bubblewrap)")
    for tool in (SETPRIV, PRLIMIT):
        if not Path(tool).exists():
            missing.append(f"{tool} (apt-get install util-linux)")
    return missing
