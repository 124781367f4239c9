"""Collecting from nbgrader's exchange, on a made-up inbound folder: who really handed in, which submission
counts, what is never followed or read. Files are given to made-up user ids (as root), so no user is created
here; the class hub test (test_class_hub.py) does the same with real users and a real hub."""

import csv
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from grading_helpers import MODULE

from mlai_course.grading import exchange_collect
from mlai_course.grading.exchange_collect import TIMESTAMP_FORMAT, collect_from_exchange

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="giving files to other users needs root")

COURSE = "course"
USERS = {"alice": 62101, "bob": 62102, "carol": 62103}  # made-up ids: no such users on the machine


@pytest.fixture(autouse=True)
def made_up_users(monkeypatch):
    names = {uid: name for name, uid in USERS.items()}
    monkeypatch.setattr(exchange_collect, "user_id", USERS.get)
    monkeypatch.setattr(exchange_collect, "user_name", lambda uid: names.get(uid, f"uid {uid}"))


def stamp(when: datetime) -> str:
    return when.strftime(TIMESTAMP_FORMAT)


def hand_in(
    inbound: Path, claimed: str, owner: str, when: datetime, notebook: str = "{}", suffix="r"
) -> Path:
    """A submission folder as nbgrader's submit writes it, created by `owner` and named for `claimed`."""
    folder = inbound / f"{claimed}+{MODULE}+{stamp(when)}+{suffix}"
    folder.mkdir()
    (folder / f"{MODULE}.ipynb").write_text(notebook, encoding="utf-8")
    (folder / "timestamp.txt").write_text(stamp(when), encoding="utf-8")
    (folder / "submission_secret.txt").write_text(f"secret of {owner}", encoding="utf-8")
    give(folder, owner)
    return folder


def give(path: Path, owner: str) -> None:
    for item in [path, *path.rglob("*")]:
        os.chown(item, USERS[owner], USERS[owner], follow_symlinks=False)


@pytest.fixture
def places(tmp_path):
    inbound = tmp_path / "exchange" / COURSE / "inbound"
    inbound.mkdir(parents=True)
    return tmp_path / "exchange", inbound, tmp_path / "class"


def collect(places, students=None):
    exchange, _, class_dir = places
    found = collect_from_exchange(exchange, COURSE, MODULE, class_dir, students)
    return {submission.folder: submission for submission in found}


def collected_text(places, student: str) -> str:
    return (places[2] / "submitted" / student / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")


def test_an_impostor_is_refused_and_the_real_submission_collected(places):
    _, inbound, class_dir = places
    now = datetime.now(UTC)
    real = hand_in(inbound, "alice", "alice", now - timedelta(seconds=30), '{"by": "alice"}')
    fake = hand_in(inbound, "alice", "bob", now, '{"by": "bob"}', suffix="fake")
    result = collect(places)
    assert result[real.name].status == "collected"
    assert result[fake.name].status == "refused"
    assert (
        "belongs to bob" in result[fake.name].reason
        and "only alice can hand in as alice" in result[fake.name].reason
    )
    assert collected_text(places, "alice") == '{"by": "alice"}'
    with (class_dir / "reports" / MODULE / "exchange-collection.csv").open(encoding="utf-8") as handle:
        rows = {row["inbound_folder"]: row for row in csv.DictReader(handle)}
    assert rows[fake.name]["status"] == "refused" and rows[real.name]["status"] == "collected"


def test_a_file_slipped_into_a_classmates_folder_refuses_the_folder(places):
    _, inbound, _ = places
    folder = hand_in(inbound, "alice", "alice", datetime.now(UTC))
    (folder / "extra.py").write_text("print('from bob')\n")
    give(folder / "extra.py", "bob")
    result = collect(places)
    assert result[folder.name].status == "refused"
    assert "extra.py belongs to bob" in result[folder.name].reason
    assert not (places[2] / "submitted" / "alice").exists()


def test_links_pipes_and_bad_names_are_refused_never_followed(places, tmp_path):
    _, inbound, _ = places
    secret = tmp_path / "secret.txt"
    secret.write_text("not for students")
    now = datetime.now(UTC)
    link_folder = inbound / f"alice+{MODULE}+{stamp(now)}+link"
    link_folder.symlink_to(tmp_path)
    os.chown(link_folder, USERS["alice"], USERS["alice"], follow_symlinks=False)
    with_link = hand_in(inbound, "bob", "bob", now, suffix="inner")
    (with_link / "notes.txt").symlink_to(secret)
    give(with_link, "bob")
    with_pipe = hand_in(inbound, "carol", "carol", now, suffix="pipe")
    os.mkfifo(with_pipe / "pipe")
    give(with_pipe, "carol")
    (inbound / "not-a-submission").mkdir()
    other_module = hand_in(inbound, "carol", "carol", now, suffix="other")
    other_module.rename(inbound / f"carol+99-other+{stamp(now)}+x")
    result = collect(places)
    assert (
        result[link_folder.name].status == "refused"
        and "cannot be read as a folder" in result[link_folder.name].reason
    )
    assert (
        result[with_link.name].status == "refused" and "notes.txt is a link" in result[with_link.name].reason
    )
    assert (
        result[with_pipe.name].status == "refused" and "not a regular file" in result[with_pipe.name].reason
    )
    assert result["not-a-submission"].status == "refused"
    assert not any("99-other" in name for name in result), "another module's folder is left alone"
    assert not (places[2] / "submitted").exists()


def test_the_newest_accepted_submission_counts_and_a_forged_time_does_not(places):
    _, inbound, _ = places
    now = datetime.now(UTC)
    first = hand_in(inbound, "alice", "alice", now - timedelta(seconds=20), '{"n": 1}', suffix="a")
    second = hand_in(inbound, "alice", "alice", now - timedelta(seconds=10), '{"n": 2}', suffix="b")
    backdated = hand_in(inbound, "bob", "bob", now - timedelta(days=3), suffix="early")
    result = collect(places)
    assert (result[first.name].status, result[second.name].status) == ("older", "collected")
    assert collected_text(places, "alice") == '{"n": 2}'
    late = result[backdated.name]
    assert late.status == "collected" and "the files' time is used" in late.reason
    assert abs(late.submitted_at - now) < timedelta(minutes=1), "the files' change time, not the name's"
    written = (places[2] / "submitted" / "bob" / MODULE / "timestamp.txt").read_text()
    assert written == stamp(late.submitted_at)


def test_only_the_class_is_collected_and_nothing_newer_is_replaced(places):
    _, inbound, class_dir = places
    now = datetime.now(UTC)
    outsider = hand_in(inbound, "carol", "carol", now, suffix="outsider")
    alice = hand_in(inbound, "alice", "alice", now - timedelta(seconds=5), '{"from": "exchange"}')
    by_hand = class_dir / "submitted" / "alice" / MODULE
    by_hand.mkdir(parents=True)
    (by_hand / f"{MODULE}.ipynb").write_text('{"from": "the instructor"}')
    (by_hand / "timestamp.txt").write_text(stamp(now + timedelta(hours=1)))
    result = collect(places, students={"alice", "bob"})
    assert (
        result[outsider.name].status == "refused"
        and "not a student of this class" in result[outsider.name].reason
    )
    assert result[alice.name].status == "kept"
    assert collected_text(places, "alice") == '{"from": "the instructor"}'


def test_a_submission_over_the_size_cap_is_refused(places, monkeypatch):
    monkeypatch.setattr(exchange_collect, "MAX_STUDENT_BYTES", 1000)
    _, inbound, _ = places
    folder = hand_in(inbound, "alice", "alice", datetime.now(UTC), "x" * 2000)
    result = collect(places)
    assert result[folder.name].status == "refused" and "too large" in result[folder.name].reason
