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

`leaked_secrets` is the last check, on the finished file's bytes: every hidden-test line of the module and
every solution line of every module, looked for in the raw HTML and in it after HTML-unescaping,
URL-decoding, JSON-unescaping, tag stripping and base64-decoding of embedded chunks. Grading withholds a
feedback file that still holds one, or that is over MAX_FEEDBACK_BYTES.
"""

import base64
import binascii
import html as html_module
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import nbformat

HIDDEN_REGION = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*$\n?", re.M | re.S
)
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
HIDDEN_NOTE = "# Hidden tests: your instructor ran more tests here; they are not shown.\n"
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# The gutter IPython puts before each code line of a traceback: "----> 12 " (the failing line) or "     12 ".
TRACEBACK_GUTTER = re.compile(r"^\s*(?P<arrow>-+>)?\s*\d+\s?")
MAX_OUTPUT_CHARACTERS = 20_000
MAX_RECEIVED_CHARACTERS = 1_000_000  # kept per cell while the notebook runs (grading.GradingClient)
MAX_IMAGE_BYTES = 300_000  # base64 text of one PNG/JPEG
MAX_CELL_OUTPUT_BYTES = 400_000
MAX_NOTEBOOK_OUTPUT_BYTES = 2_000_000
MAX_FEEDBACK_BYTES = 4_000_000
MIN_SECRET_LENGTH = 12
SAFE_IMAGES = ("image/png", "image/jpeg")


def hidden_test_lines(source_notebook) -> set[str]:
    """The stripped, non-empty lines inside the hidden-test regions of an nbgrader source notebook."""
    lines = set()
    for cell in source_notebook.cells:
        for region in HIDDEN_REGION.findall(cell.source):
            lines.update(line.strip() for line in region.splitlines())
    return {line for line in lines if line and line not in HIDDEN_MARKERS}


def secret_hidden_lines(source_notebook, student_notebook=None) -> set[str]:
    """Hidden-test lines that must never show in a student's feedback.

    Leaves out lines too short to tell anything (MIN_SECRET_LENGTH, e.g. `pass`, `else:`), lines that also
    appear outside the hidden regions of the source (e.g. in the visible tests), and lines of the student's
    own cells: a student who wrote `except ValueError:` may see it in their feedback.
    """
    elsewhere = set()
    for cell in source_notebook.cells:
        elsewhere.update(line.strip() for line in HIDDEN_REGION.sub("", cell.source).splitlines())
    if student_notebook is not None:
        for cell in student_notebook.cells:
            if not _is_test_cell(cell):
                elsewhere.update(line.strip() for line in cell.source.splitlines())
    return {line for line in hidden_test_lines(source_notebook) - elsewhere if len(line) >= MIN_SECRET_LENGTH}


def _is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


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
        if _is_test_cell(cell):
            cell.source = HIDDEN_REGION.sub(HIDDEN_NOTE, cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = scrub_traceback(output.get("traceback", []), hidden)
            limit_output(output)
    return notebook


class _TextOfHtml(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text of an HTML page (tags, scripts and styles removed, entities decoded)."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def leaked_lines(html: str, secret_lines: set[str]) -> list[str]:
    """The secret lines that show in an HTML page's text (syntax highlighting splits code into many tags)."""
    text = html_text(html)
    return sorted(line for line in secret_lines if line in text)


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


# ---------------------------------------------------------------- what must never be in a feedback file


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if len(line.strip()) >= MIN_SECRET_LENGTH}


def course_secrets(course_root: Path) -> set[str]:
    """Hidden-test and solution lines of every module, minus what every student may see (the release).

    Feedback is searched for each secret as a substring (leaked_secrets), so a secret that is part of some
    released text (`"AI Engineer",` inside `["ML Engineer", "AI Engineer", "Both"]`) is public, not secret.
    """
    secrets, public = set(), set()
    for path in sorted((course_root / "solutions").glob("*/*.ipynb")):
        source = nbformat.read(path, as_version=4)
        secrets |= hidden_test_lines(source)
        for cell in source.cells:
            for region in SOLUTION_REGION.findall(cell.source):
                secrets |= _lines(region)
            if cell.cell_type == "markdown" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                secrets |= _lines(cell.source)
    for path in sorted((course_root / "notebooks").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            public |= {line.strip() for line in cell.source.splitlines()}
    markers = {*HIDDEN_MARKERS, "### BEGIN SOLUTION", "### END SOLUTION"}
    released = "\n".join(sorted(public))
    squeezed = _squeeze(released)
    return {
        line
        for line in secrets - public
        if len(line) >= MIN_SECRET_LENGTH and line not in markers and not _shows(released, squeezed, line)
    }


def _squeeze(text: str) -> str:
    """Runs of spaces and tabs as one space: a line re-indented or re-spaced is still the same line."""
    return re.sub(r"[ \t]+", " ", text)


def _shows(text: str, squeezed_text: str, line: str) -> bool:
    """Whether `text` (and `squeezed_text`, its _squeeze) holds `line`, as it is or re-spaced."""
    return line in text or _squeeze(line) in squeezed_text


SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)


def student_lines(notebook) -> set[str]:
    """Lines of the student's own cells (not the locked ones): they may see their own code."""
    return {
        line.strip()
        for cell in notebook.cells
        if not cell.get("metadata", {}).get("nbgrader", {}).get("locked")
        for line in cell.source.splitlines()
    }


BASE64_CHUNK = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([\\\"/nrtbf])")
JSON_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "\\": "\\", '"': '"', "/": "/"}


def _json_unescape(text: str) -> str:
    return JSON_ESCAPE.sub(
        lambda m: chr(int(m.group(1), 16)) if m.group(1) else JSON_SIMPLE[m.group(2)], text
    )


def _base64_texts(text: str) -> list[str]:
    decoded = []
    for chunk in BASE64_CHUNK.findall(text):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                raw = decode(chunk + "=" * (-len(chunk) % 4))
            except (binascii.Error, ValueError):
                continue
            if raw[:8] in (b"\x89PNG\r\n\x1a\n",) or raw[:3] == b"\xff\xd8\xff":
                break
            text = raw.decode("utf-8", errors="ignore")
            if len(text) >= MIN_SECRET_LENGTH and sum(
                char.isprintable() or char in "\n\t" for char in text
            ) > 0.9 * len(text):
                decoded.append(text)  # text, not the noise that decoding a CSS name or an image gives
            break
    return decoded


def decoded_views(html: str) -> list[str]:
    """The file's text as a reader or a program could recover it: raw, unescaped, decoded, tags stripped."""
    unescaped = html_module.unescape(html)
    first = [
        html,
        unescaped,
        urllib.parse.unquote(html),
        _json_unescape(html),
        html_module.unescape(_json_unescape(html)),
    ]
    views = [*first, html_text(html), html_text(unescaped)]
    for view in first:
        views += [
            text for decoded in _base64_texts(view) for text in (decoded, html_module.unescape(decoded))
        ]
    return list(dict.fromkeys(views))


def leaked_secrets(html: str, secrets: set[str]) -> list[str]:
    """The secret lines found anywhere in the feedback file (see decoded_views)."""
    if not secrets:
        return []
    found = set()
    for view in decoded_views(html):
        squeezed = _squeeze(view)
        found |= {line for line in secrets - found if _shows(view, squeezed, line)}
    return sorted(found)
