"""The class hub's roster: one system user per line; every mistake named with its line."""

import pytest

from mlai_course.grading.roster import RosterError, parse_roster, read_roster

GOOD = """id,role,first_name,last_name,email
ada,instructor,Ada,Lovelace,ada@example.org
jdoe,student,Jane,Doe,
rroe,student,,,

"""


def test_a_roster_gives_the_instructor_and_the_students():
    roster = parse_roster(GOOD)
    assert roster.instructor.id == "ada"
    assert [student.id for student in roster.students] == ["jdoe", "rroe"]
    assert roster.students[0].first_name == "Jane" and roster.students[1].email == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,role\nada,instructor\n", "must name the columns id and role (missing: id)"),
        ("id,role\nada,instructor\nJane Doe,student\n", "line 3: 'Jane Doe' cannot be a user name"),
        ("id,role\nada,instructor\nbob+1,student\n", "line 3: 'bob+1' cannot be a user name"),
        ("id,role\nada,instructor\n" + "x" * 33 + ",student\n", "line 3"),
        ("id,role\nada,instructor\nbob,teacher\n", "line 3: role 'teacher' for bob"),
        ("id,role\nada,instructor\nbob,student\nbob,student\n", "line 4: bob is listed twice"),
        ("id,role\nbob,student\n", "expected exactly one instructor"),
        ("id,role\nada,instructor\nbea,instructor\n", "found 2: ada, bea"),
    ],
)
def test_a_bad_roster_is_refused_naming_the_line(text, message):
    with pytest.raises(RosterError) as raised:
        parse_roster(text, "roster.csv")
    assert message in str(raised.value)
    assert str(raised.value).startswith("roster.csv")


def test_a_missing_roster_file_says_so(tmp_path):
    with pytest.raises(RosterError, match="no such roster file"):
        read_roster(tmp_path / "roster.csv")


def test_the_example_roster_is_valid():
    from conftest import REPO_ROOT

    roster = read_roster(REPO_ROOT / "grading" / "hub" / "roster.example.csv")
    assert roster.instructor.id and roster.students


def test_a_system_account_on_the_roster_is_refused_before_anything_changes(tmp_path):
    from mlai_course.grading.class_hub import ensure_user
    from mlai_course.grading.roster import Member

    with pytest.raises(RosterError, match="daemon is a system account"):
        ensure_user(Member("daemon", "student"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_instructors_course_that_is_a_link_is_refused(tmp_path, monkeypatch):
    """Set-up writes into the instructor's course as root and gives it to them: never through a link."""
    from conftest import REPO_ROOT

    from mlai_course.grading import class_hub
    from mlai_course.grading.results import GradingError
    from mlai_course.grading.roster import parse_roster

    hub = class_hub.ClassHub(REPO_ROOT, tmp_path / "class", parse_roster("id,role\nada,instructor\n"))
    (tmp_path / "elsewhere" / "grading").mkdir(parents=True)
    (tmp_path / "elsewhere" / "grading" / "nbgrader_config.py").write_text("")
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / hub.course_id).symlink_to(tmp_path / "elsewhere")
    monkeypatch.setattr(
        class_hub.ClassHub, "instructor_course", lambda self: tmp_path / "ada" / self.course_id
    )
    with pytest.raises(GradingError, match="a link"):
        class_hub.set_up_instructor_course(hub)
