"""The grading pipeline's parts, each on its own: finding and checking notebooks, killing a stuck process
tree, scrubbing hidden tests from real tracebacks, the demo class generator and the reports."""

import csv
import json
import os
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import REPO_ROOT
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from mlai_course import feedback, grading_report
from mlai_course.authoring import assignment_names
from mlai_course.demo_class import FAULT_KINDS, graded_tasks, make_demo_class
from mlai_course.grading import STATUSES, StudentResult
from mlai_course.intake import SubmissionProblem, find_notebook, parse_notebook, read_regular_file


def check_notebook(path: Path) -> str:
    """Why a notebook file cannot be graded, or "" (what grading does before it runs a notebook)."""
    try:
        parse_notebook(read_regular_file(path), path.name)
    except SubmissionProblem as problem:
        return str(problem)
    return ""


MODULE = assignment_names(REPO_ROOT)[0]


# ---------------------------------------------------------------- finding and checking the notebook


def write(path: Path, content: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def test_find_notebook_prefers_the_module_name(tmp_path):
    expected = write(tmp_path / f"{MODULE}.ipynb")
    write(tmp_path / "scratch.ipynb")
    assert find_notebook(tmp_path, MODULE) == (expected, "")


def test_find_notebook_takes_a_renamed_copy_and_says_so(tmp_path):
    renamed = write(tmp_path / f"{MODULE}-Copy1.ipynb")
    write(tmp_path / "scratch.ipynb")
    notebook, note = find_notebook(tmp_path, MODULE)
    assert notebook == renamed
    assert f"{MODULE}-Copy1.ipynb" in note and f"as {MODULE}.ipynb" in note


def test_find_notebook_finds_one_in_a_subfolder(tmp_path):
    nested = write(tmp_path / "my-folder" / f"{MODULE}.ipynb")
    notebook, note = find_notebook(tmp_path, MODULE)
    assert notebook == nested and "my-folder" in note


def test_find_notebook_refuses_to_guess_between_two_notebooks(tmp_path):
    write(tmp_path / "a.ipynb")
    write(tmp_path / "b.ipynb")
    with pytest.raises(SubmissionProblem, match="2 other notebooks"):
        find_notebook(tmp_path, MODULE)


def test_find_notebook_names_what_it_found_instead(tmp_path):
    write(tmp_path / "report.pdf", "%PDF")
    with pytest.raises(SubmissionProblem, match="report.pdf"):
        find_notebook(tmp_path, MODULE)


def test_find_notebook_never_follows_a_link_or_opens_a_pipe(tmp_path):
    os.mkfifo(tmp_path / f"{MODULE}.ipynb")
    started = time.monotonic()
    with pytest.raises(SubmissionProblem, match="named pipe") as problem:
        notebook, _ = find_notebook(tmp_path, MODULE)
    assert problem.value.status == "invalid_notebook"
    with pytest.raises(SubmissionProblem, match="named pipe"):
        read_regular_file(tmp_path / f"{MODULE}.ipynb")
    assert time.monotonic() - started < 5
    link = tmp_path / "link.ipynb"
    link.symlink_to(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb")
    with pytest.raises(SubmissionProblem, match="symbolic link"):
        read_regular_file(link)


def test_nbformat_3_is_read_as_4_5(tmp_path):
    release = nbformat.read(REPO_ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    path = tmp_path / "old.ipynb"
    nbformat.write(nbformat.convert(nbformat.from_dict(release), 3), path, version=3)
    notebook = parse_notebook(path.read_bytes(), "old.ipynb")
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert len(notebook.cells) == len(release.cells) and "def focus_of" in notebook.cells[13].source


def test_check_notebook_names_the_file_and_the_json_error(tmp_path):
    broken = write(tmp_path / "nb.ipynb", '{"cells": [\n  {"cell_type": "code",\n')
    problem = check_notebook(broken)
    assert problem.startswith("nb.ipynb is not valid JSON") and "line 3" in problem


def test_check_notebook_rejects_json_that_is_not_a_notebook(tmp_path):
    assert "not a notebook" in check_notebook(write(tmp_path / "nb.ipynb", '{"hello": 1}'))


def test_check_notebook_rejects_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(b'{"cells": ["\xff"]}')
    assert "not UTF-8" in check_notebook(path)


def test_check_notebook_accepts_the_release():
    assert check_notebook(REPO_ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb") == ""


# ---------------------------------------------------------------- scrubbing hidden tests

VISIBLE = "assert 1 + 1 == 2, 'the visible test'"
HIDDEN_SETUP = "secret_answer_value = 41"
HIDDEN_ASSERT = "assert secret_answer_value + 1 == 43, 'hidden'"


def executed_test_notebook():
    """A real kernel's traceback for a test cell whose hidden test fails."""
    test_source = "\n".join(
        [
            VISIBLE,
            "### BEGIN HIDDEN TESTS",
            HIDDEN_SETUP,
            HIDDEN_ASSERT,
            "print('never here')",
            "### END HIDDEN TESTS",
        ]
    )
    cell = nbformat.v4.new_code_cell(test_source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t1", "points": 1}
    notebook = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell("print('x' * 100_000)")])
    NotebookClient(notebook, timeout=60, allow_errors=True, kernel_name="python3").execute()
    return notebook


@pytest.fixture(scope="module")
def executed():
    return executed_test_notebook()


def test_unscrubbed_traceback_shows_the_hidden_test(executed):
    """The control: without scrubbing, the hidden lines reach the HTML."""
    html, _ = HTMLExporter().from_notebook_node(executed)
    assert feedback.leaked_lines(html, {HIDDEN_SETUP, HIDDEN_ASSERT}) == [HIDDEN_ASSERT, HIDDEN_SETUP]


def test_scrubbed_notebook_hides_hidden_tests_in_source_and_traceback(executed):
    scrubbed = feedback.scrub_notebook(executed, {HIDDEN_SETUP, HIDDEN_ASSERT, "print('never here')"})
    html, _ = HTMLExporter().from_notebook_node(scrubbed)
    assert feedback.leaked_lines(html, {HIDDEN_SETUP, HIDDEN_ASSERT, "print('never here')"}) == []
    text = feedback.html_text(html)
    assert VISIBLE in text
    assert "a hidden test failed here" in text
    assert "AssertionError" in text
    assert feedback.HIDDEN_NOTE.strip() in text


def test_scrubbed_notebook_cuts_a_huge_output(executed):
    scrubbed = feedback.scrub_notebook(executed, set())
    stream = scrubbed.cells[1].outputs[0]
    assert len(stream.text) < feedback.MAX_OUTPUT_CHARACTERS + 100
    assert "output cut: 100,001 characters" in stream.text
    assert len(executed.cells[1].outputs[0].text) == 100_001, "scrubbing must not change the original"


# ---------------------------------------------------------------- the demo class generator


@pytest.fixture(scope="module")
def demo_class(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    make_demo_class(REPO_ROOT, out, MODULE)
    return out


def test_demo_class_has_a_folder_per_fault_kind(demo_class):
    folders = sorted(path.name for path in (demo_class / "submitted").iterdir())
    assert folders == sorted(kind.student_id for kind in FAULT_KINDS)
    assert len(FAULT_KINDS) >= 17


def test_demo_class_zip_holds_every_file_under_lms_names(demo_class):
    with zipfile.ZipFile(demo_class / "lms-export.zip") as archive:
        names = archive.namelist()
        for kind in FAULT_KINDS:
            folder = demo_class / "submitted" / kind.student_id / MODULE
            for path in folder.iterdir():
                matching = [
                    n for n in names if n.startswith(f"{kind.student_id}_") and n.endswith(f"_{path.name}")
                ]
                assert len(matching) == 1, (kind.student_id, path.name)
                assert archive.read(matching[0]) == path.read_bytes()


def test_demo_class_faults_are_real(demo_class):
    folder = demo_class / "submitted"
    with pytest.raises(json.JSONDecodeError):
        json.loads((folder / "invalid-json" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8"))
    assert not list((folder / "missing-notebook" / MODULE).glob("*.ipynb"))
    huge = (folder / "huge-output" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    assert max(len(line) for line in huge.splitlines()) > 5_000_000
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    deleted = nbformat.read(folder / "deleted-test" / MODULE / f"{MODULE}.ipynb", as_version=4)
    assert len(graded_tasks(deleted)) == len(graded_tasks(source)) - 1
    c_loop = (folder / "c-busy-loop" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    assert "itertools.repeat" in c_loop


# ---------------------------------------------------------------- reports


def sample_results():
    return [
        StudentResult("ann", "ok", 5, 5, task_points={"t1": 2, "t2": 3}),
        StudentResult("bob", "ok", 2, 5, task_points={"t1": 2, "t2": 0}),
        StudentResult("cat", "ok", 1.5, 5, task_points={"t1": 0, "t2": 1.5}),
        StudentResult("dan", "timeout", 0, 5, reason="stuck | in C"),
    ]


def test_reports_agree_with_the_results(tmp_path):
    tasks = [("t1", 2.0), ("t2", 3.0)]
    results = sample_results()
    grading_report.write_grades_csv(tmp_path / "grades.csv", results, tasks)
    grading_report.write_summary(tmp_path, "m", results, tasks, STATUSES)
    with (tmp_path / "grades.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["student_id"] for row in rows] == ["ann", "bob", "cat", "dan"]
    assert rows[3]["t1"] == "" and rows[3]["status"] == "timeout"
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| ok | 3 |" in markdown and "| timeout | 1 |" in markdown
    assert "| all | 4 | 2.12 | 1.75 | 0 | 5 |" in markdown
    assert "| t2 | 3 | 1.5 | 50% | 1 of 3 |" in markdown
    assert markdown.index("1. t2:") < markdown.index("2. t1:")
    assert "stuck \\| in C" in markdown
    assert (tmp_path / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reports_survive_a_class_without_any_grade(tmp_path):
    results = [StudentResult("dan", "kernel_crash", 0, 5)]
    grading_report.write_summary(tmp_path, "m", results, [("t1", 5.0)], STATUSES)
    assert "| graded (ok) | 0 | - |" in (tmp_path / "summary.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- canaries


def test_every_canary_fails_in_an_honest_python():
    """Whatever mechanism and place are drawn, a canary built on a passing test fails."""
    from mlai_course import canaries

    test = "total = sum([1, 2, 3])\nassert total == 6\nif total:\n    assert total > 0\nprint('passed')\n"
    exec(test, {})  # the real test passes
    for _ in range(300):
        with pytest.raises(Exception):  # noqa: B017 - any exception: canaries fail in many ways
            exec(canaries.canary_source(test), {})


def test_canaries_look_like_test_cells_and_leave_no_trace():
    from mlai_course import canaries

    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    notebook = nbformat.from_dict(source)
    before = [cell.source for cell in notebook.cells]
    added = canaries.insert_canaries(notebook, count=3)
    assert len(added) == 3 and len(notebook.cells) == len(before) + 3
    for cell in added:
        meta = cell.metadata["nbgrader"]
        assert (
            meta["grade"] and meta["locked"] and not meta["solution"] and meta["grade_id"].startswith("test_")
        )
        assert "### BEGIN HIDDEN TESTS" in cell.source, "a copy of a real test cell, hidden part included"
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = number + 1
    canaries.remove_canaries(notebook, added)
    assert [cell.source for cell in notebook.cells] == before
    counts = [cell.execution_count for cell in notebook.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_damaged_and_lost_metadata_is_restored_by_content():
    from mlai_course.intake import restore_metadata

    release = nbformat.read(REPO_ROOT / "notebooks" / MODULE / f"{MODULE}.ipynb", as_version=4)
    source = nbformat.read(REPO_ROOT / "solutions" / MODULE / f"{MODULE}.ipynb", as_version=4)
    from mlai_course.submissions import solved_copy

    damaged = solved_copy(release, source)
    for index, cell in enumerate(damaged.cells):
        if index % 2:
            cell.metadata = {}
        elif "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"]["grade_id"] = [index]  # not a string
    notebook = parse_notebook(nbformat.writes(damaged).encode(), "damaged.ipynb")
    notes = restore_metadata(notebook, release)
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
    expected = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in release.cells]
    assert ids == expected and "metadata restored by content" in notes[0]


def test_course_secrets_leave_out_lines_that_are_part_of_released_text(tmp_path):
    # Feedback is searched for secrets as substrings: a secret inside released text would withhold feedback
    # from every honest student.
    source = nbformat.v4.new_notebook()
    source.cells = [
        nbformat.v4.new_code_cell(
            'roles = ["ML Engineer", "AI Engineer", "Both"]\n'
            "### BEGIN HIDDEN TESTS\n"
            'assert pick(["ML Engineer",\n    "AI Engineer",\n]) == "secret verdict value"\n'
            "### END HIDDEN TESTS"
        )
    ]
    release = nbformat.v4.new_notebook()
    release.cells = [nbformat.v4.new_code_cell('roles = ["ML Engineer", "AI Engineer", "Both"]')]
    for folder, notebook in (("solutions", source), ("notebooks", release)):
        (tmp_path / folder / "99-x").mkdir(parents=True)
        nbformat.write(notebook, tmp_path / folder / "99-x" / "99-x.ipynb")
    secrets = feedback.course_secrets(tmp_path)
    assert '"AI Engineer",' not in secrets and '"ML Engineer",' not in secrets
    assert ']) == "secret verdict value"' in secrets
    assert feedback.leaked_secrets('<pre>roles = ["ML Engineer", "AI Engineer", "Both"]</pre>', secrets) == []
