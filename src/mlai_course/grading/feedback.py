"""Make autograded notebooks safe to hand back: no hidden tests, no solutions, nothing active, nothing huge.

nbgrader 0.9.6 puts the hidden tests into the feedback HTML twice: in the test cells' source (autograde
restores the full test cell from the gradebook) and in the tracebacks of failed tests (IPython shows the
failing line and the lines around it). `scrub_notebook` removes both from a copy of an autograded notebook,
before `nbgrader generate_feedback` turns it into HTML:

- in test cells, the `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS` region becomes one comment line;
- in every traceback, each line of code that is a hidden-test line is dropped, and a failing hidden test's
  arrow line says only that a hidden test failed;
- every text output is cut to MAX_OUTPUT_CHARACTERS, so one multi-megabyte print stays a readable page.

Before that, right after a notebook ran, `sanitize_outputs` makes every output passive and small (the
autograded notebook is opened by the instructor in formgrader, the feedback by the student):

- rich outputs (HTML, SVG, JavaScript, Markdown, LaTeX, JSON, widget views) become escaped plain text, so no
  student-produced comment, `<script>`, `<style>` or raw HTML survives; PNG and JPEG images stay, up to
  MAX_IMAGE_BYTES each; output and cell metadata, widget state and attachments are dropped;
- every text is cut to MAX_OUTPUT_CHARACTERS, each cell's outputs to MAX_CELL_OUTPUT_BYTES and the whole
  notebook's outputs to MAX_NOTEBOOK_OUTPUT_BYTES, with a note where something was cut;
- a student's own Markdown cells have their raw HTML escaped (`<` becomes `&lt;`: the same text, not markup).

The last check is on the finished file's bytes (`FeedbackWriter`): the course's secret lines
(secret_lines.py), looked for in the raw HTML and in it however encoded. Grading withholds a feedback file
that still holds one, or that is over MAX_FEEDBACK_BYTES.
"""

import re
from pathlib import Path

import nbformat

from mlai_course.grading import secret_lines
from mlai_course.grading.files import remove_tree, write_atomic
from mlai_course.grading.judge import is_test_cell
from mlai_course.grading.options import GradingOptions
from mlai_course.grading.results import StudentResult
from mlai_course.grading.secret_lines import HIDDEN_MARKERS, HIDDEN_REGION

HIDDEN_NOTE = "# Hidden tests: your instructor ran more tests here; they are not shown.\n"
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The gutter IPython puts before each code line of a traceback: "----> 12 " (the failing line) or "     12 ".
TRACEBACK_GUTTER = re.compile(r"^\s*(?P<arrow>-+>)?\s*\d+\s?")
MAX_OUTPUT_CHARACTERS = 20_000
MAX_IMAGE_BYTES = 300_000  # base64 text of one PNG/JPEG
MAX_CELL_OUTPUT_BYTES = 400_000
MAX_NOTEBOOK_OUTPUT_BYTES = 2_000_000
MAX_FEEDBACK_BYTES = 4_000_000
SAFE_IMAGES = ("image/png", "image/jpeg")


def scrub_traceback(traceback: list[str], hidden: set[str]) -> list[str]:
    """Drop the hidden-test lines from a traceback (each entry may hold several lines)."""
    scrubbed = []
    for entry in traceback:
        kept = []
        for line in entry.split("\n"):
            plain = ANSI_CODES.sub("", line)
            gutter = TRACEBACK_GUTTER.match(plain)
            code = plain[gutter.end() :].strip() if gutter else plain.strip()
            if code in hidden or any(marker in code for marker in HIDDEN_MARKERS):
                if gutter and gutter.group("arrow"):
                    kept.append("----> (a hidden test failed here; hidden tests are not shown)")
                continue
            kept.append(line)
        scrubbed.append("\n".join(kept))
    return scrubbed


def _cut(text: str) -> str:
    if len(text) <= MAX_OUTPUT_CHARACTERS + 100:  # + the note of an earlier cut: cut once only
        return text
    return text[:MAX_OUTPUT_CHARACTERS] + f"\n... [output cut: {len(text):,} characters in all] ...\n"


def limit_output(output) -> None:
    """Cut an output's text, in place, to MAX_OUTPUT_CHARACTERS per field."""
    if output.get("output_type") == "stream":
        output["text"] = _cut(output.get("text", ""))
    elif output.get("output_type") == "error":
        output["evalue"] = _cut(output.get("evalue", ""))
        output["traceback"] = [_cut(entry) for entry in output.get("traceback", [])]
    else:
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") and isinstance(value, str):
                output["data"][mime] = _cut(value)


def scrub_notebook(autograded_notebook, hidden: set[str]):
    """A copy of an autograded notebook fit for feedback: hidden tests removed, long outputs cut."""
    notebook = nbformat.from_dict(autograded_notebook)
    for cell in notebook.cells:
        if is_test_cell(cell):
            cell.source = HIDDEN_REGION.sub(HIDDEN_NOTE, cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = scrub_traceback(output.get("traceback", []), hidden)
            limit_output(output)
    return notebook


# ---------------------------------------------------------------- outputs made passive and small


def _output_size(output) -> int:
    if output.get("output_type") == "stream":
        return len(output.get("text", ""))
    if output.get("output_type") == "error":
        return len(output.get("evalue", "")) + sum(len(entry) for entry in output.get("traceback", []))
    return sum(
        len(value) if isinstance(value, str) else len(str(value)) for value in output.get("data", {}).values()
    )


def _as_text(value) -> str:
    return value if isinstance(value, str) else "".join(value) if isinstance(value, list) else repr(value)


def passive_output(output):
    """One output with nothing a browser would run or render as markup, and every part cut to size."""
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return nbformat.v4.new_output("stream", name=name, text=_cut(_as_text(output.get("text", ""))))
    if kind == "error":
        return nbformat.v4.new_output(
            "error",
            ename=_cut(str(output.get("ename", "")))[:200],
            evalue=_cut(_as_text(output.get("evalue", ""))),
            traceback=[_cut(_as_text(entry)) for entry in output.get("traceback", [])][:200],
        )
    data = output.get("data", {}) if isinstance(output.get("data"), dict) else {}
    kept = {}
    notes = []
    for mime, value in data.items():
        if mime in SAFE_IMAGES and isinstance(value, str):
            if len(value) <= MAX_IMAGE_BYTES:
                kept[mime] = value
            else:
                notes.append(
                    f"[an image of {len(value):,} bytes was left out: the limit is {MAX_IMAGE_BYTES:,}]"
                )
        elif mime != "text/plain":
            notes.append(f"[{mime} output shown as text]\n{_cut(_as_text(value))}")
    text = _as_text(data.get("text/plain", ""))
    if notes and not text:
        text = "\n".join(notes)  # the rich output as escaped text: nothing of it runs or renders
    if text or not kept:
        kept["text/plain"] = _cut(text)
    if kind == "execute_result":
        return nbformat.v4.new_output(
            "execute_result", data=kept, execution_count=output.get("execution_count")
        )
    return nbformat.v4.new_output("display_data", data=kept)


def sanitize_outputs(notebook) -> None:
    """Make every output passive and small, in place (see the module docstring); drop widget state."""
    budget = MAX_NOTEBOOK_OUTPUT_BYTES
    for cell in notebook.cells:
        cell.pop("attachments", None)
        if cell.cell_type == "markdown" and not cell.get("metadata", {}).get("nbgrader", {}).get("locked"):
            cell.source = cell.source.replace("<", "&lt;")
        if cell.cell_type != "code":
            continue
        outputs, used = [], 0
        for output in cell.get("outputs", []):
            passive = passive_output(output)
            size = _output_size(passive)
            if used + size > MAX_CELL_OUTPUT_BYTES or size > budget:
                outputs.append(
                    nbformat.v4.new_output(
                        "stream", name="stdout", text="... [more output was cut: too much for one page] ...\n"
                    )
                )
                break
            used += size
            budget -= size
            outputs.append(passive)
        cell.outputs = outputs
    notebook.metadata.pop("widgets", None)


# ---------------------------------------------------------------- rendering with nbgrader's template


class FeedbackRenderer:
    """nbgrader's feedback HTML (the template `generate_feedback` uses), rendered in this process."""

    def __init__(self, db_url: str):
        import nbgrader.converters
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
        from nbgrader.preprocessors import GetGrades
        from traitlets.config import Config

        base = Path(nbgrader.converters.__file__).resolve().parents[1] / "server_extensions" / "formgrader"
        config = Config()
        config.HTMLExporter.template_name = "feedback"
        config.HTMLExporter.extra_template_basedirs = [str(base / "templates")]
        config.HTMLExporter.extra_template_paths = [
            str(base / "static" / "node_modules" / "bootstrap" / "dist" / "css")
        ]
        self.exporter = HTMLExporter(config=config)
        self.exporter.register_preprocessor(GetGrades(), enabled=True)
        self.exporter.register_preprocessor(CSSHTMLHeaderPreprocessor(), enabled=True)
        self.db_url = db_url

    def render(self, notebook, assignment: str, student: str) -> str:
        resources = {
            "nbgrader": {
                "notebook": assignment,
                "assignment": assignment,
                "student": student,
                "db_url": self.db_url,
            }
        }
        html, _ = self.exporter.from_notebook_node(notebook, resources=resources)
        return html


# ---------------------------------------------------------------- one student's feedback file


class FeedbackWriter:
    """Feedback HTML for graded students, each checked for leaks and size before it is kept."""

    def __init__(self, options: GradingOptions):
        self.options = options
        self.hidden = secret_lines.hidden_test_lines(nbformat.read(options.source_notebook, as_version=4))
        self.secrets = secret_lines.course_secrets(options.course_root)
        self.renderer = FeedbackRenderer(options.db_url)

    def write(self, result: StudentResult) -> None:
        """Write the student's feedback file, or none and say why in `result.feedback_problem`."""
        options = self.options
        result.feedback_problem = ""
        target = options.feedback_path(result.student_id)
        if result.status != "ok":
            return
        autograded = options.autograded_folder(result.student_id) / f"{options.assignment}.ipynb"
        try:
            notebook = nbformat.read(autograded, as_version=4)
        except (OSError, ValueError) as error:
            self._withhold(result, f"no feedback: cannot read the autograded notebook ({error})")
            return
        own = secret_lines.student_lines(notebook)
        try:
            scrubbed = scrub_notebook(notebook, self.hidden)
            html = self.renderer.render(scrubbed, options.assignment, result.student_id)
        except Exception as error:  # nbconvert on a strange notebook: one student's problem
            self._withhold(result, f"no feedback HTML: {type(error).__name__}: {str(error)[:200]}")
            return
        leaks = secret_lines.leaked_secrets(html, self.secrets - own)
        if leaks:
            self._withhold(
                result, f"feedback withheld: it would show {len(leaks)} hidden-test or solution lines"
            )
        elif len(html.encode("utf-8")) > MAX_FEEDBACK_BYTES:
            self._withhold(result, "feedback withheld: still over the size limit after cutting outputs")
        else:
            write_atomic(target, html)

    def _withhold(self, result: StudentResult, problem: str) -> None:
        remove_tree(self.options.feedback_path(result.student_id).parent)
        result.feedback_problem = problem
