"""Make autograded notebooks safe to hand back: no hidden tests, no giant outputs.

nbgrader 0.9.6 puts the hidden tests into the feedback HTML twice: in the test cells' source (autograde
restores the full test cell from the gradebook) and in the tracebacks of failed tests (IPython shows the
failing line and the lines around it). `scrub_notebook` removes both from a copy of an autograded notebook,
before `nbgrader generate_feedback` turns it into HTML:

- in test cells, the `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS` region becomes one comment line;
- in every traceback, each line of code that is a hidden-test line is dropped, and a failing hidden test's
  arrow line says only that a hidden test failed;
- every text output is cut to MAX_OUTPUT_CHARACTERS, so one multi-megabyte print stays a readable page.

`leaked_lines` is the last check on the finished HTML: grading withholds a feedback file that still shows any
hidden-test line.
"""

import re
from html.parser import HTMLParser

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
MIN_SECRET_LENGTH = 12


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
    if len(text) <= MAX_OUTPUT_CHARACTERS:
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
