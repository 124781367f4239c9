"""The class roster of a hub: who teaches and who learns, one system user each.

A CSV file with a header line and the columns `id` and `role` (`instructor` or `student`), optionally
`first_name`, `last_name` and `email` (nbgrader's student list takes them):

    id,role,first_name,last_name,email
    ada,instructor,Ada,Lovelace,
    jdoe,student,Jane,Doe,jdoe@example.org

Each id becomes a user of the machine, so it must be a name `useradd` accepts and nbgrader's exchange can
carry: lower-case letters, digits, `-` and `_`, starting with a letter or `_`, at most 32 characters (no `+`:
nbgrader's exchange separates the parts of a submission's name with it). One instructor owns the course (the
gradebook, the exchange's course folder); co-instructors share that account.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from mlai_course.grading.results import GradingError

USER_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
ROLES = ("instructor", "student")
OPTIONAL_COLUMNS = ("first_name", "last_name", "email")


class RosterError(GradingError):
    """The roster cannot be used; the message names the file, the line and what is wrong."""


@dataclass(frozen=True)
class Member:
    id: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass
class Roster:
    members: list[Member] = field(default_factory=list)

    @property
    def instructor(self) -> Member:
        return next(member for member in self.members if member.role == "instructor")

    @property
    def students(self) -> list[Member]:
        return [member for member in self.members if member.role == "student"]

    @property
    def ids(self) -> list[str]:
        return [member.id for member in self.members]


def parse_roster(text: str, source: str = "roster") -> Roster:
    """Read a roster from CSV text; RosterError naming `source`, the line and the problem."""
    rows = csv.DictReader(text.splitlines())
    columns = [name.strip() for name in rows.fieldnames or []]
    missing = [name for name in ("id", "role") if name not in columns]
    if missing:
        raise RosterError(
            f"{source}: the first line must name the columns id and role (missing: {', '.join(missing)}); "
            f"found {columns or 'nothing'}"
        )
    roster, seen = Roster(), set()
    for line, row in enumerate(rows, start=2):
        values = {key.strip(): (value or "").strip() for key, value in row.items() if key is not None}
        member_id, role = values.get("id", ""), values.get("role", "")
        if not member_id and not role:
            continue  # a blank line
        if not USER_NAME.fullmatch(member_id):
            raise RosterError(
                f"{source} line {line}: {member_id!r} cannot be a user name on the hub: use lower-case "
                "letters, digits, - and _, starting with a letter or _, at most 32 characters"
            )
        if role not in ROLES:
            raise RosterError(f"{source} line {line}: role {role!r} for {member_id}; expected one of {ROLES}")
        if member_id in seen:
            raise RosterError(f"{source} line {line}: {member_id} is listed twice")
        seen.add(member_id)
        extra = {name: values.get(name, "") for name in OPTIONAL_COLUMNS}
        roster.members.append(Member(member_id, role, **extra))
    instructors = [member.id for member in roster.members if member.role == "instructor"]
    if len(instructors) != 1:
        raise RosterError(
            f"{source}: expected exactly one instructor (the account that owns the course and its "
            f"gradebook; co-instructors share it), found {len(instructors)}: {', '.join(instructors) or '-'}"
        )
    return roster


def read_roster(path: Path) -> Roster:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"{path}: no such roster file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"{path}: cannot read the roster ({error})") from None
    return parse_roster(text, str(path))
