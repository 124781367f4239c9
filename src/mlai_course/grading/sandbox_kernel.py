"""Inside the sandbox, before any student code: set limits, drop to the slot's user, start the kernel.

bubblewrap runs this module as root inside the sandbox (no network, its own process ids, a read-only view of
the system and nothing of the grader's files). It

1. sets resource limits (address space, file size, processes, CPU seconds, open files, no core files);
2. sets no_new_privs (no setuid program can give privileges back);
3. drops every group and switches to the slot's unprivileged user id and group id, for good;
4. replaces itself with `python <arguments>` (the grader passes `-m ipykernel_launcher -f <file>`).

Usage: python -m mlai_course.grading.sandbox_kernel UID GID MEMORY FILE_SIZE PROCESSES CPU_SECONDS -- ARGS...
"""

import ctypes
import os
import resource
import sys

PR_SET_NO_NEW_PRIVS = 38


def set_limits(memory: int, file_size: int, processes: int, cpu_seconds: int) -> None:
    for limit, value in (
        (resource.RLIMIT_AS, memory),
        (resource.RLIMIT_FSIZE, file_size),
        (resource.RLIMIT_NPROC, processes),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_NOFILE, 1024),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(limit, (value, value))


def no_new_privileges() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")


def drop_to(uid: int, gid: int) -> None:
    if os.getuid() == 0:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid) or os.getgroups():
        raise SystemExit(f"sandbox: could not switch to uid {uid} / gid {gid}")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise SystemExit("sandbox: the kernel could become root again; refusing to run")


def main(argv: list[str]) -> None:
    separator = argv.index("--")
    uid, gid, memory, file_size, processes, cpu_seconds = (int(value) for value in argv[:separator])
    set_limits(memory, file_size, processes, cpu_seconds)
    no_new_privileges()
    drop_to(uid, gid)
    os.execv(sys.executable, [sys.executable, *argv[separator + 1 :]])


if __name__ == "__main__":
    main(sys.argv[1:])
