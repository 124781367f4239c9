"""Module 06's capstone, run unattended as the autograder runs it: it reads the learner's progress file and
never changes it, falls back to the labelled example learner when the file is corrupt, and, with half the
evidence, uses the example learner's for the missing part only, saying so."""

import hashlib

import nbformat
import pytest
from conftest import REPO_ROOT
from nbclient import NotebookClient

from mlai_course.learner import plan, progress

NAME = "06-the-future-and-the-bottom-line"
SOURCE = REPO_ROOT / "solutions" / NAME / f"{NAME}.ipynb"


def digest(folder) -> dict:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(cells_before_self_check: bool = False):
    """Execute the instructor version (every answer filled in) in its folder; return its code cells' text."""
    notebook = nbformat.read(SOURCE, as_version=4)
    if cells_before_self_check:
        end = next(i for i, cell in enumerate(notebook.cells) if cell.source.startswith("## Self-check"))
        notebook.cells = notebook.cells[:end]
    NotebookClient(notebook, timeout=60, resources={"metadata": {"path": str(SOURCE.parent)}}).execute()
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            texts.append(
                output.get("text", "") + str(data.get("text/markdown", "")) + str(data.get("text/plain", ""))
            )
    return "\n".join(texts)


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "home" / ".mlai_course" / "progress.json"
    path.parent.mkdir(parents=True)
    monkeypatch.setenv("MLAI_COURSE_PROGRESS", str(path))
    return path


def test_the_capstone_uses_saved_progress_and_leaves_the_file_unchanged(progress_file):
    progress.save_progress(plan.example_progress(), progress_file)
    before = digest(progress_file.parent)
    output = run()
    assert digest(progress_file.parent) == before, "the unattended run wrote to the progress folder"
    assert "**Your saved results**" in output and "Example learner (made up by the course)" not in output
    assert "Target: AI Engineer. (the lean of your profile)" in output
    assert "Revisit first (your self-checks): 03 · Pay and the job market" in output


def test_with_results_but_no_profile_each_part_falls_back_on_its_own_and_says_so(progress_file):
    """The learner did the 05 self-check but not the profile: their own results, the example's profile."""
    question = {"id": "choose-which", "type": "single_choice", "topic": "choosing"}
    progress.record_result(
        "05", "Choosing, switching and interviewing", 4, question, {"score": 0.0, "answer": 1}
    )
    output = run()
    assert "**Your saved results, with the example learner's where yours are missing**" in output
    assert (
        "No role profile is saved yet, so the role profile, its lean and the rated statements below are"
        in output
    )
    assert "Role profile (the example learner's (made up by the course))" in output
    assert "Self-check scores by module (your):** 05 0%" in output
    example_top = plan.top_statements(plan.example_learner())["statement"].iloc[0]
    assert output.count(example_top) >= 2, "the statements tables show the example's statements, not nothing"
    assert "Revisit first (your self-checks): 05 · Choosing, switching and interviewing" in output
    assert (
        "Target: AI Engineer. (the lean of the example learner's (made up by the course) profile)" in output
    )
    assert "from the example learner's skill ratings" in output


def test_the_capstone_leaves_a_corrupt_file_alone_and_uses_the_example_learner(progress_file):
    progress_file.write_bytes(b'{"version": 1, "modu')
    before = digest(progress_file.parent)
    output = run(cells_before_self_check=True)
    assert digest(progress_file.parent) == before
    assert "Example learner (made up by the course)" in output
    assert f"`{progress_file}` is corrupt: not valid JSON" in output and "left as it is" in output
