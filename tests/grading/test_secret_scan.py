"""The feedback leak scan searches each view once per secret line (re-spaced), and only for lines whose inner
words the view has; it finds what searching for every line as it is and re-spaced finds (secret_lines._shows),
on lines shown as they are, re-spaced, glued to other text or words, cut, or not at all."""

import random

from mlai_course.grading.secret_lines import _shows, _squeeze, decoded_views, leaked_secrets

LINES = [
    "assert focus_of(table, 'AI Engineer') == ['prompts', 'evals'], 'wrong order'",
    "expected = {'ML Engineer': 12,  'AI Engineer': 3}",
    "\tfor role in roles:  yield role",
    "hidden = sorted(set(x for x in items if x))",
]


def shown(line: str, rng: random.Random) -> str:
    kind = rng.choice(["as is", "re-spaced", "glued", "glued to words", "absent"])
    if kind == "as is":
        return line
    if kind == "re-spaced":
        return line.replace(" ", rng.choice(["  ", "\t", " \t "]))
    if kind == "glued":
        return "x  " + line + "\t y"
    if kind == "glued to words":  # its first and last words run into others
        return "abc" + line + "xyz"
    return line[: len(line) // 2]


def test_one_search_per_view_finds_what_both_searches_find():
    rng = random.Random(20)
    for _ in range(200):
        html = "<pre>" + "\n".join(shown(line, rng) for line in LINES) + "</pre>"
        expected = sorted(
            line for line in LINES if any(_shows(view, _squeeze(view), line) for view in decoded_views(html))
        )
        assert leaked_secrets(html, set(LINES)) == expected
