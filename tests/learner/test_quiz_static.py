"""Outside a live kernel the self-checks are readable text: run a notebook, then read its saved outputs."""

import html
import re

import nbformat
import pytest
from conftest import REPO_ROOT
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from mlai_course.learner.quiz import STATIC_NOTE, self_check
from mlai_course.learner.quiz_bank import load_bank

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELLS = [
    'from mlai_course.learner.quiz import show_self_check\nshow_self_check("01")',
    "from mlai_course.learner.role_profile import show_role_profile\nshow_role_profile()",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A notebook showing the 01 self-check and the role profile, executed in a real kernel."""
    folder = tmp_path_factory.mktemp("static")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLAI_COURSE_PROGRESS", str(folder / "progress.json"))
        patch.setenv("MLAI_COURSE_DATA", str(REPO_ROOT / "data"))
        NotebookClient(notebook, timeout=60, resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


def visible_text(page: str) -> str:
    """What a reader of a static HTML page sees: no scripts or styles, tags removed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def bank_texts(module_id):
    """Every prompt, option and item of a bank: what a reader must be able to see."""
    for question in load_bank(module_id)["questions"]:
        yield question["prompt"]
        for entry in question.get("options", []) + question.get("items", []):
            yield entry["text"]


@pytest.mark.parametrize("cell_index, module_id", [(0, "01"), (1, "role-fit")])
def test_executed_cell_saves_widget_and_readable_text(executed, cell_index, module_id):
    outputs = executed.cells[cell_index].outputs
    assert [output.output_type for output in outputs] == ["display_data"], (
        "shown once, no echoed return value"
    )
    data = outputs[0].data
    assert WIDGET_VIEW in data, "a live kernel shows the widget"
    for text in bank_texts(module_id):
        assert text in data["text/plain"], f"{text!r} missing from text/plain"
        assert html.escape(text) in data["text/html"], f"{text!r} missing from text/html"
    assert STATIC_NOTE in data["text/plain"]


def test_static_html_shows_the_questions_not_a_broken_widget(executed):
    """A notebook without widget state (stripped, or saved by a JupyterLab that does not save it): nbconvert
    falls back to text/html."""
    notebook = nbformat.from_dict(executed)
    notebook.metadata.pop("widgets", None)
    page, _ = HTMLExporter().from_notebook_node(notebook)
    seen = visible_text(page)
    for module_id in ("01", "role-fit"):
        for text in bank_texts(module_id):
            assert text in seen, f"{text!r} not readable in the HTML page"
    assert STATIC_NOTE in seen
    assert "widget-view+json" not in page, "no widget placeholder that cannot render"


def test_static_views_do_not_give_the_answers_away():
    quiz = self_check("01")
    bundle, _metadata = quiz._repr_mimebundle_()
    for question in quiz.bank["questions"]:
        for entry in question.get("options", []) + question.get("items", []):
            if "explanation" in entry:
                assert entry["explanation"] not in bundle["text/plain"]
        if question["type"] == "numeric":
            assert question["explanation"] not in bundle["text/plain"]
