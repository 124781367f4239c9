"""The course's secret lines, and finding them in a file however it is encoded: one notion for the course.

A **secret line** is a line of an answer (inside `### BEGIN SOLUTION` ... `### END SOLUTION`, or a manually
graded written answer) or of a hidden test (inside `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS`) of
any module in solutions/, at least MIN_SECRET_LENGTH characters long, that no learner can see already: it is
not part of the released notebooks' text (notebooks/), as it is or re-spaced. `"AI Engineer",` inside
`["ML Engineer", "AI Engineer", "Both"]` in a released cell is public, not secret.

Two places look for them: the grader, in every feedback file before it is kept (`leaked_secrets`, after
HTML-unescaping, URL-decoding, JSON-unescaping, tag stripping and base64-decoding of embedded chunks), and the
student-edition test, in every file of the edition.
"""

import base64
import binascii
import html as html_module
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import nbformat

MIN_SECRET_LENGTH = 12  # shorter lines ("else:", "return x") tell nothing
HIDDEN_REGION = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*$\n?", re.M | re.S
)
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)
MARKERS = {*HIDDEN_MARKERS, "### BEGIN SOLUTION", "### END SOLUTION"}


def hidden_test_lines(source_notebook) -> set[str]:
    """The stripped, non-empty lines inside the hidden-test regions of an nbgrader source notebook."""
    lines = set()
    for cell in source_notebook.cells:
        for region in HIDDEN_REGION.findall(cell.source):
            lines.update(line.strip() for line in region.splitlines())
    return {line for line in lines if line and line not in HIDDEN_MARKERS}


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


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if len(line.strip()) >= MIN_SECRET_LENGTH}


def course_secrets(course_root: Path) -> set[str]:
    """Hidden-test and solution lines of every module, minus what every student may see (the release).

    Feedback is searched for each secret as a substring (leaked_secrets), so a secret that is part of some
    released text (`"AI Engineer",` inside `["ML Engineer", "AI Engineer", "Both"]`) is public, not secret;
    so is one that a released Markdown cell shows once rendered, as feedback shows it (return `"Undecided"`
    in a statement reads `return "Undecided"`).
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
            if cell.cell_type == "markdown":
                public |= {line.strip() for line in rendered_text(cell.source).splitlines()}
    released = "\n".join(sorted(public))
    squeezed = _squeeze(released)
    return {
        line
        for line in secrets - public
        if len(line) >= MIN_SECRET_LENGTH and line not in MARKERS and not _shows(released, squeezed, line)
    }


def rendered_text(markdown: str) -> str:
    """The text a Markdown cell shows once rendered, as nbconvert renders it in feedback (no backticks)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return html_text(markdown2html_mistune(markdown))


def _squeeze(text: str) -> str:
    """Runs of spaces and tabs as one space: a line re-indented or re-spaced is still the same line."""
    return re.sub(r"[ \t]+", " ", text)


def _shows(text: str, squeezed_text: str, line: str) -> bool:
    """Whether `text` (and `squeezed_text`, its _squeeze) holds `line`, as it is or re-spaced."""
    return line in text or _squeeze(line) in squeezed_text


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
    # A line found as it is is also found re-spaced (squeezing keeps it whole), so one search per view does.
    # A word inside a line (not at its start or end) is a whole word of any text that holds the line: a line
    # whose longest such word is not among a view's words is not in that view, and is not searched for.
    squeezed_lines = {line: (_squeeze(line), _inner_word(_squeeze(line))) for line in secrets}
    found = set()
    for view in decoded_views(html):
        squeezed = _squeeze(view)
        words = set(WORD.findall(squeezed))
        found |= {
            line
            for line, (short, word) in squeezed_lines.items()
            if line not in found and (word is None or word in words) and short in squeezed
        }
    return sorted(found)


WORD = re.compile(r"[A-Za-z0-9_]+")


def _inner_word(line: str) -> str | None:
    """The longest word of a line that does not touch its start or end (None if it has none)."""
    inner = [match.group() for match in WORD.finditer(line) if 0 < match.start() and match.end() < len(line)]
    return max(inner, key=len, default=None)
