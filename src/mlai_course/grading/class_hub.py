"""`mlai-course class-hub`: one class on one machine's JupyterHub, set up from a roster and started.

As root, `set_up_class` makes the machine ready, step by step (running it again changes nothing that is
already right, and never touches a course or a gradebook that exists):

1. a system user per roster id (created with a random password, written for the instructor to hand out, in
   CLASS_ROOT/hub/new-passwords.csv, readable by root only), each home its owner's only (0700);
2. CLASS_ROOT (root's, 0755) with the hub's state in CLASS_ROOT/hub (root's only, 0700);
3. nbgrader's exchange, CLASS_ROOT/exchange (set_up_exchange): the root writable by all with the sticky bit,
   the course's folders the instructor's, as nbgrader expects them, made before any student can log in;
4. the course's student edition in CLASS_ROOT/course (read-only for everyone): what every server imports
   (the helper package's learner rooms) and reads (data/);
5. the instructor's copy of the course in their home (solutions, notebooks, data, grading/ with the
   course's nbgrader_config.py), the instructor's only; the roster's students go into its gradebook;
6. the Jupyter configuration of each role in CLASS_ROOT/jupyter-config: students get the learners' own
   (jupyter-config/learner/, from the edition) with nbgrader's menu on for the Assignment List (formgrader,
   the course list and Create Assignment stay off), the instructor gets formgrader and the course list; both
   get the exchange's place;
7. CLASS_ROOT/hub/settings.json, which grading/hub/jupyterhub_config.py reads.

`hub_command` is the JupyterHub command line that serves the class (PAM login with the users' passwords,
ClassSpawner: each server in its own sandbox as its own user).
"""

import csv
import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mlai_course.grading.files import give_to_owner
from mlai_course.grading.hub_sandbox import missing_tools
from mlai_course.grading.results import GradingError
from mlai_course.grading.roster import Member, Roster, RosterError

FIRST_USER_ID = 1000  # below: system accounts, never a class member
HUB_FOLDER = Path("grading") / "hub"
PROXY = HUB_FOLDER / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_CONFIG = HUB_FOLDER / "jupyterhub_config.py"
COURSE_FILES = ("solutions", "notebooks", "data")
# Students keep the learners' configuration; on the hub they also need nbgrader's menu, the one way to the
# Assignment List in JupyterLab. Its other entries (formgrader, course list) stay hidden: their plugins are
# off.
STUDENT_PAGE_CONFIG = {"disabledExtensions": {"@jupyter/nbgrader:menu": False}}


@dataclass
class ClassHub:
    """Where one class's hub keeps everything, and where it listens."""

    course_root: Path  # the course repository: solutions/, notebooks/, data/, grading/
    class_root: Path  # exchange/, course/ (the student edition), jupyter-config/, hub/ (the hub's state)
    roster: Roster
    home_root: Path = Path("/home")  # where new users' homes go
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    ssl_key: Path | None = None
    ssl_cert: Path | None = None
    course_id: str = field(init=False, default="")

    def __post_init__(self):
        from mlai_course.grading.gradebook import course_id

        self.course_id = course_id(self.course_root)

    @property
    def exchange(self) -> Path:
        return self.class_root / "exchange"

    @property
    def edition(self) -> Path:
        return self.class_root / "course"

    @property
    def config_dir(self) -> Path:
        return self.class_root / "jupyter-config"

    @property
    def state_dir(self) -> Path:
        return self.class_root / "hub"

    @property
    def settings_file(self) -> Path:
        return self.state_dir / "settings.json"

    @property
    def passwords_file(self) -> Path:
        return self.state_dir / "new-passwords.csv"

    def instructor_course(self) -> Path:
        """The instructor's copy of the course, ~instructor/<course id>/; its grading/ is the class folder."""
        return Path(pwd.getpwnam(self.roster.instructor.id).pw_dir) / self.course_id


def say(message: str) -> None:
    print(f"class-hub: {message}", flush=True)


# ---------------------------------------------------------------- 1. users


def check_machine(hub: ClassHub) -> None:
    """Root, the sandbox's tools and useradd; a GradingError saying what is missing."""
    if os.geteuid() != 0:
        raise GradingError("the class hub must be set up and run as root (it creates users and logs them in)")
    missing = missing_tools()
    missing += [
        f"{tool} (apt-get install passwd)" for tool in ("useradd", "chpasswd") if not shutil.which(tool)
    ]
    if missing:
        raise GradingError("this machine lacks: " + ", ".join(missing))
    for name in COURSE_FILES:
        if not (hub.course_root / name).is_dir():
            raise GradingError(f"{hub.course_root / name}: missing; run from the course repository")


def ensure_user(member: Member, home_root: Path) -> str | None:
    """The member's system user, created if missing; returns the new user's password, None if it existed."""
    try:
        account = pwd.getpwnam(member.id)
    except KeyError:
        account = None
    password = None
    if account is None:
        name = " ".join(part for part in (member.first_name, member.last_name) if part) or member.id
        comment = "".join(char for char in name if char.isprintable() and char not in ":,")  # passwd's fields
        created = subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home_root / member.id), "--shell", "/bin/bash"]
            + ["--user-group", "--comment", comment, member.id],
            capture_output=True,
            text=True,
        )
        if created.returncode != 0:
            raise GradingError(f"useradd {member.id} failed: {created.stderr.strip()}")
        password = secrets.token_urlsafe(12)
        subprocess.run(["chpasswd"], input=f"{member.id}:{password}\n", text=True, check=True)
        account = pwd.getpwnam(member.id)
    elif account.pw_uid < FIRST_USER_ID:
        raise RosterError(f"{member.id} is a system account (uid {account.pw_uid}), not a class member")
    home = Path(account.pw_dir)
    if home.is_symlink() or (home.exists() and not home.is_dir()):
        raise GradingError(f"{member.id}: the home {home} is not a folder")
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, account.pw_uid, account.pw_gid)
    os.chmod(home, 0o700)  # no one else reads a member's files
    return password


def set_up_users(hub: ClassHub) -> None:
    new = []
    hub.home_root.mkdir(parents=True, exist_ok=True)
    for member in hub.roster.members:
        password = ensure_user(member, hub.home_root)
        if password is not None:
            new.append((member.id, member.role, password))
    if new:
        exists = hub.passwords_file.exists()
        descriptor = os.open(hub.passwords_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            if not exists:
                writer.writerow(["id", "role", "password"])
            writer.writerows(new)
        say(f"created {len(new)} users; their passwords are in {hub.passwords_file} (root only)")
    say(f"{len(hub.roster.members) - len(new)} users already existed; each home is its owner's only")


# ---------------------------------------------------------------- 2-3. the class folder and the exchange


def own_folder(path: Path, uid: int, gid: int, mode: int) -> None:
    """A real folder (never a link) with this owner and mode."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise GradingError(f"{path}: expected a folder, found a link or a file")
    path.mkdir(exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def set_up_exchange(hub: ClassHub) -> None:
    """nbgrader's exchange with the owners and modes its default exchange expects, made by root before any
    student logs in, so no student can take the course's name:

    - the root: root's, writable by all (nbgrader checks that) with the sticky bit, so no one removes or
      renames a folder that is not theirs;
    - <course>/ and <course>/outbound/: the instructor's, 0755 (released modules, readable by all);
    - <course>/inbound/: the instructor's, 3733: students create their submission folders but cannot list or
      remove anyone's (sticky), and submissions take the instructor's group (setgid);
    - <course>/feedback/: the instructor's, 0711: feedback files are found by a name only the submitter can
      compute (a hash of their submission's secret), never listed.
    """
    instructor = pwd.getpwnam(hub.roster.instructor.id)
    uid, gid = instructor.pw_uid, instructor.pw_gid
    own_folder(hub.exchange, 0, 0, 0o1777)
    course = hub.exchange / hub.course_id
    own_folder(course, uid, gid, 0o755)
    own_folder(course / "outbound", uid, gid, 0o755)
    own_folder(course / "inbound", uid, gid, stat.S_ISGID | stat.S_ISVTX | 0o733)
    own_folder(course / "feedback", uid, gid, 0o711)
    say(f"exchange ready: {hub.exchange}")


# ---------------------------------------------------------------- 4-5. the course: students', instructor's


def write_student_edition(hub: ClassHub) -> None:
    from mlai_course.authoring.student_edition import EditionError, write_edition

    try:
        files = write_edition(hub.course_root, hub.edition)
    except EditionError as error:
        raise GradingError(str(error)) from None
    for folder, folders, names in os.walk(hub.edition):
        for name in [*folders, *names]:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    hub.edition.chmod(0o755)
    say(f"student edition (notebooks, data, learner helpers; {len(files)} files): {hub.edition}")


def copy_course(course_root: Path, target: Path) -> None:
    """The files grading needs, from the course repository: solutions, notebooks, data, nbgrader's config."""
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for name in COURSE_FILES:
        shutil.copytree(course_root / name, target / name, ignore=ignore)
    (target / "grading").mkdir()
    shutil.copy2(course_root / "grading" / "nbgrader_config.py", target / "grading" / "nbgrader_config.py")


def set_up_instructor_course(hub: ClassHub) -> Path:
    """The instructor's copy of the course, made once; the roster's students in its gradebook."""
    from nbgrader.api import Gradebook

    course = hub.instructor_course()
    if course.is_symlink():  # root writes there and gives it to the instructor: never somewhere else
        raise GradingError(f"{course}: a link; the instructor's course must be a folder in their home")
    instructor = pwd.getpwnam(hub.roster.instructor.id)
    if (course / "grading" / "nbgrader_config.py").is_file():
        say(f"kept the instructor's course (and its gradebook): {course}")
    else:
        if course.exists():
            raise GradingError(f"{course}: exists but holds no grading/nbgrader_config.py; move it away")
        staging = course.with_name(f".{course.name}.new")
        shutil.rmtree(staging, ignore_errors=True)
        copy_course(hub.course_root, staging)
        staging.rename(course)
        say(f"copied the course for the instructor: {course}")
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"  # alembic
    db_url = f"sqlite:///{course / 'grading' / 'gradebook.db'}"
    with Gradebook(db_url, hub.course_id) as gradebook:
        for student in hub.roster.students:
            details = {"first_name": student.first_name, "last_name": student.last_name}
            gradebook.update_or_create_student(student.id, **details, email=student.email or None)
    os.chown(course, instructor.pw_uid, instructor.pw_gid, follow_symlinks=False)
    give_to_owner(course)  # what root wrote (the copy, the gradebook); never a link or a hard-linked file
    course.chmod(0o700)
    say(f"{len(hub.roster.students)} students in the gradebook's student list")
    return course


# ---------------------------------------------------------------- 6-7. configuration


def write_json(path: Path, data: dict, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    path.chmod(mode)


def write_jupyter_config(hub: ClassHub, course: Path) -> None:
    exchange = {"Exchange": {"root": str(hub.exchange)}}
    student = hub.config_dir / "student"
    write_json(student / "labconfig" / "page_config.json", STUDENT_PAGE_CONFIG)
    write_json(
        student / "nbgrader_config.json", {**exchange, "CourseDirectory": {"course_id": hub.course_id}}
    )
    course_directory = {"course_id": hub.course_id, "root": str(course / "grading")}
    write_json(
        hub.config_dir / "instructor" / "nbgrader_config.json",
        {**exchange, "CourseDirectory": course_directory},
    )
    for folder in (hub.config_dir, student, student / "labconfig", hub.config_dir / "instructor"):
        folder.chmod(0o755)


def write_settings(hub: ClassHub, course: Path) -> None:
    proxy = hub.course_root / PROXY
    settings = {
        "course_id": hub.course_id,
        "instructor": hub.roster.instructor.id,
        "students": [student.id for student in hub.roster.students],
        "exchange": str(hub.exchange),
        "edition": str(hub.edition),
        "student_config": str(hub.config_dir / "student"),
        "instructor_config": str(hub.config_dir / "instructor"),
        "instructor_course": str(course),
        "python_bin": str(Path(sys.executable).parent),
        "state_dir": str(hub.state_dir),
        "ip": hub.ip,
        "port": hub.port,
        "hub_port": hub.hub_port,
        "proxy_api_port": hub.proxy_api_port,
        "proxy_command": str(proxy),
        "ssl_key": str(hub.ssl_key) if hub.ssl_key else "",
        "ssl_cert": str(hub.ssl_cert) if hub.ssl_cert else "",
    }
    write_json(hub.settings_file, settings, mode=0o600)


def set_up_class(hub: ClassHub) -> None:
    """Make the machine ready for the class (see the module's docstring); idempotent."""
    check_machine(hub)
    old_umask = os.umask(0o022)
    try:
        own_folder(hub.class_root, 0, 0, 0o755)
        own_folder(hub.state_dir, 0, 0, 0o700)
        set_up_users(hub)
        set_up_exchange(hub)
        write_student_edition(hub)
        course = set_up_instructor_course(hub)
        write_jupyter_config(hub, course)
        write_settings(hub, course)
    finally:
        os.umask(old_umask)
    say(f"set up: {len(hub.roster.students)} students, instructor {hub.roster.instructor.id}")


def hub_command(hub: ClassHub) -> tuple[list[str], dict[str, str]]:
    """The JupyterHub command line for the class, and its environment."""
    proxy = hub.course_root / PROXY
    if not proxy.exists():
        raise GradingError(f"{proxy}: missing; install JupyterHub's proxy with `make class-hub` (npm ci)")
    if hub.ip not in ("127.0.0.1", "localhost", "::1") and not hub.ssl_cert:
        say(
            f"WARNING: serving on {hub.ip} without HTTPS: passwords cross the network in clear; "
            "pass --ssl-key and --ssl-cert, or put an HTTPS proxy in front"
        )
    command = [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(hub.course_root / HUB_CONFIG)]
    env = {**os.environ, "MLAI_CLASS_HUB_SETTINGS": str(hub.settings_file)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return command, env
