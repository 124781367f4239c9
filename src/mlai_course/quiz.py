"""Self-check quizzes shown with ipywidgets, read from data/quiz_banks/.

In a notebook one line shows a module's self-check:

    show_self_check("01")

Each question has a **Check** button. Feedback appears at once, in words and symbols, never by colour alone:
it starts with "Correct.", "Partly right." or "Not quite." (or "Recorded." for a self-rating), then explains
each option with ✓ or ✗. Learners can change their answer and check again, or press **Show answer**.
A score line under the questions adds up the latest results, and each result is saved (see progress.py).

Outside a live kernel (static HTML, a GitHub preview) the same cell shows the questions as readable text: the
displayed object carries text/plain and text/html versions beside the widget view.
"""

import html

import ipywidgets as widgets
from IPython.display import display

from mlai_course import progress
from mlai_course.quiz_bank import ROLES, load_bank, scored_questions

CORRECT, PARTLY, WRONG, RECORDED = "Correct.", "Partly right.", "Not quite.", "Recorded."
YES, NO = "✓", "✗"
DEFAULT_LIKERT_SCALE = ["Not yet", "A little", "Mostly", "Confidently"]
STATIC_NOTE = "This is a static copy: run the notebook in Jupyter to check your answers."
WIDE = widgets.Layout(width="auto")
LABEL_STYLE = {"description_width": "initial"}


def esc(text) -> str:
    return html.escape(str(text))


def verdict_for(score: float) -> str:
    if score >= 1:
        return CORRECT
    return PARTLY if score > 0 else WRONG


def feedback_html(verdict: str, lines: list[str], note: str = "") -> str:
    """Feedback as an ARIA status region: the verdict in bold words, then one line per option."""
    items = "".join(f"<li>{line}</li>" for line in lines)
    return (
        f'<div role="status" aria-live="polite"><p><strong>{esc(verdict)}</strong> {note}</p>'
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )


class Question:
    """One question: its widgets, a Check button, a Show answer button and a feedback area.

    `on_checked(question, result)` is called after each Check that produced a result; a result is a dict
    with "score" (0..1, or None for a self-rating) and "answer" (JSON-friendly).
    """

    kind_hint = ""
    has_answer = True  # False for self-ratings: no Show answer button

    def __init__(self, spec: dict, number: int, on_checked=None):
        self.spec, self.number, self.on_checked = spec, number, on_checked
        self.prompt = widgets.HTML(
            f"<p><strong>{number}. {esc(spec['prompt'])}</strong> <em>{esc(self.kind_hint)}</em></p>"
        )
        self.check_button = widgets.Button(
            description="Check",
            tooltip=f"Check your answer to question {number}",
        )
        self.answer_button = widgets.Button(
            description="Show answer",
            tooltip=f"Show the answer to question {number}, with an explanation of each option",
        )
        self.feedback = widgets.HTML()
        self.result = None
        self.check_button.on_click(lambda _button: self.check())
        self.answer_button.on_click(lambda _button: self.show_answer())
        buttons = [self.check_button] + ([self.answer_button] if self.has_answer else [])
        self.widget = widgets.VBox(
            [self.prompt, self.inputs(), widgets.HBox(buttons), self.feedback],
            layout=widgets.Layout(margin="0 0 1em 0"),
        )

    def inputs(self) -> widgets.Widget:
        raise NotImplementedError

    def evaluate(self) -> tuple[dict | None, str]:
        """Return (result or None if unanswered, feedback HTML)."""
        raise NotImplementedError

    def answer_lines(self) -> list[str]:
        raise NotImplementedError

    def check(self) -> dict | None:
        result, message = self.evaluate()
        self.feedback.value = message
        if result is not None:
            self.result = result
            if self.on_checked:
                self.on_checked(self, result)
        return result

    def show_answer(self) -> None:
        self.feedback.value = feedback_html("Answer:", self.answer_lines())

    def static_choices(self) -> list[str]:
        """The answer choices as plain text lines, for static views."""
        return []

    def as_text(self) -> str:
        lines = [f"{self.number}. {self.spec['prompt']} {self.kind_hint}".rstrip()]
        return "\n".join(lines + [f"   {line}" for line in self.static_choices()])

    def as_html(self) -> str:
        choices = "".join(f"<li>{esc(line)}</li>" for line in self.static_choices())
        return f"<li><p>{esc(self.spec['prompt'])} <em>{esc(self.kind_hint)}</em></p><ul>{choices}</ul></li>"


class SingleChoice(Question):
    kind_hint = "(choose one)"

    def inputs(self):
        self.texts = [option["text"] for option in self.spec["options"]]
        self.choice = widgets.RadioButtons(
            options=self.texts, value=None, layout=WIDE, description_allow_html=False
        )
        return self.choice

    def evaluate(self):
        if self.choice.value is None:
            return None, feedback_html("Choose an answer first.", [])
        chosen = self.spec["options"][self.texts.index(self.choice.value)]
        score = 1.0 if chosen["correct"] else 0.0
        mark = YES if chosen["correct"] else NO
        lines = [f"{mark} Your answer “{esc(chosen['text'])}”: {esc(chosen['explanation'])}"]
        if score == 1:
            lines += [
                f"{NO} “{esc(option['text'])}”: {esc(option['explanation'])}"
                for option in self.spec["options"]
                if option is not chosen
            ]
            note = ""
        else:
            note = "Try another answer, or press Show answer."
        return {"score": score, "answer": chosen["text"]}, feedback_html(verdict_for(score), lines, note)

    def answer_lines(self):
        return [
            f"{YES if o['correct'] else NO} “{esc(o['text'])}” is {'right' if o['correct'] else 'wrong'}: "
            f"{esc(o['explanation'])}"
            for o in self.spec["options"]
        ]

    def static_choices(self):
        return [f"( ) {text}" for text in (o["text"] for o in self.spec["options"])]


class MultipleSelect(Question):
    kind_hint = "(choose all that apply)"

    def inputs(self):
        self.boxes = [
            widgets.Checkbox(value=False, description=option["text"], indent=False, layout=WIDE)
            for option in self.spec["options"]
        ]
        return widgets.VBox(self.boxes)

    def evaluate(self):
        options = self.spec["options"]
        picked = [box.value for box in self.boxes]
        if not any(picked):
            return None, feedback_html("Select at least one option first.", [])
        right = sum(1 for o in options if o["correct"])
        hits = sum(1 for o, p in zip(options, picked, strict=True) if p and o["correct"])
        false_picks = sum(1 for o, p in zip(options, picked, strict=True) if p and not o["correct"])
        score = max(0.0, (hits - false_picks) / right)
        all_right = hits == right and false_picks == 0
        lines = []
        for option, was_picked in zip(options, picked, strict=True):
            text, why = esc(option["text"]), esc(option["explanation"])
            if was_picked and option["correct"]:
                lines.append(f"{YES} You selected “{text}”, rightly: {why}")
            elif was_picked:
                lines.append(f"{NO} You selected “{text}”, but it does not belong: {why}")
            elif all_right:
                lines.append(f"{YES} You left out “{text}”, rightly: {why}")
        note = f"You found {hits} of {right} right options"
        note += (
            "." if all_right else f" and picked {false_picks} wrong. Change your selection and check again."
        )
        answer = [o["text"] for o, p in zip(options, picked, strict=True) if p]
        return {"score": score, "answer": answer}, feedback_html(verdict_for(score), lines, note)

    def answer_lines(self):
        return [
            f"{YES if o['correct'] else NO} “{esc(o['text'])}” "
            f"{'belongs' if o['correct'] else 'does not belong'}: {esc(o['explanation'])}"
            for o in self.spec["options"]
        ]

    def static_choices(self):
        return [f"[ ] {o['text']}" for o in self.spec["options"]]


class Numeric(Question):
    kind_hint = "(type a number)"

    def inputs(self):
        unit = self.spec.get("unit", "")
        self.entry = widgets.Text(
            value="",
            placeholder="a number",
            description=f"Your answer{f' ({unit})' if unit else ''}:",
            style=LABEL_STYLE,
        )
        return self.entry

    def evaluate(self):
        typed = self.entry.value.strip().replace(",", "")
        if not typed:
            return None, feedback_html("Type a number first.", [])
        try:
            value = float(typed)
        except ValueError:
            return None, feedback_html(
                "Type a number, for example 7 or 2.5.", [f"{NO} “{esc(typed)}” is not a number."]
            )
        answer, tolerance = self.spec["answer"], self.spec["tolerance"]
        unit = f" {self.spec['unit']}" if "unit" in self.spec else ""
        if abs(value - answer) <= tolerance:
            verdict = "is right" if value == answer else f"is close enough (within ±{tolerance:g}{unit})"
            line = f"{YES} {value:g}{esc(unit)} {esc(verdict)}: {esc(self.spec['explanation'])}"
            return {"score": 1.0, "answer": value}, feedback_html(CORRECT, [line])
        direction = "too low" if value < answer else "too high"
        line = f"{NO} {value:g}{esc(unit)} is {direction}."
        note = "Try again, or press Show answer."
        return {"score": 0.0, "answer": value}, feedback_html(WRONG, [line], note)

    def answer_lines(self):
        unit = f" {self.spec['unit']}" if "unit" in self.spec else ""
        within = f" (±{self.spec['tolerance']:g})" if self.spec["tolerance"] else ""
        return [f"{YES} {self.spec['answer']:g}{esc(unit)}{within}: {esc(self.spec['explanation'])}"]

    def static_choices(self):
        unit = f" {self.spec['unit']}" if "unit" in self.spec else ""
        return [f"Answer: ____{unit}"]


class Classify(Question):
    kind_hint = "(pick ML Engineer, AI Engineer or Both for each item)"

    def inputs(self):
        self.pickers = [
            widgets.Dropdown(
                options=list(ROLES), value=None, description=item["text"], style=LABEL_STYLE, layout=WIDE
            )
            for item in self.spec["items"]
        ]
        return widgets.VBox(self.pickers)

    def evaluate(self):
        items = self.spec["items"]
        chosen = [picker.value for picker in self.pickers]
        if all(choice is None for choice in chosen):
            return None, feedback_html("Pick a role for at least one item first.", [])
        right = [choice == item["label"] for item, choice in zip(items, chosen, strict=True)]
        score = sum(right) / len(items)
        lines = []
        for item, choice, ok in zip(items, chosen, right, strict=True):
            text = esc(item["text"])
            if ok:
                lines.append(f"{YES} “{text}”: {esc(choice)} is right. {esc(item['explanation'])}")
            elif choice is None:
                lines.append(f"– “{text}”: not answered yet.")
            else:
                lines.append(f"{NO} “{text}”: not {esc(choice)}. Try again.")
        note = f"{sum(right)} of {len(items)} items right."
        answer = dict(zip([item["text"] for item in items], chosen, strict=True))
        return {"score": score, "answer": answer}, feedback_html(verdict_for(score), lines, note)

    def answer_lines(self):
        return [
            f"{YES} “{esc(item['text'])}”: {esc(item['label'])}. {esc(item['explanation'])}"
            for item in self.spec["items"]
        ]

    def static_choices(self):
        return [f"{item['text']}: ML Engineer / AI Engineer / Both?" for item in self.spec["items"]]


class Likert(Question):
    """A self-rating: no right answer, nothing scored; the ratings are recorded."""

    has_answer = False

    @property
    def scale(self) -> list[str]:
        return self.spec.get("scale", DEFAULT_LIKERT_SCALE)

    @property
    def kind_hint(self):
        return f"(rate each: {' / '.join(self.scale)})"

    def inputs(self):
        self.pickers = [
            widgets.Dropdown(
                options=self.scale, value=None, description=item["text"], style=LABEL_STYLE, layout=WIDE
            )
            for item in self.spec["items"]
        ]
        return widgets.VBox(self.pickers)

    def ratings(self) -> dict[str, int]:
        """Rated items: statement -> 1 (first scale level) .. len(scale)."""
        return {
            item["text"]: self.scale.index(picker.value) + 1
            for item, picker in zip(self.spec["items"], self.pickers, strict=True)
            if picker.value is not None
        }

    def evaluate(self):
        ratings = self.ratings()
        if not ratings:
            return None, feedback_html("Rate at least one statement first.", [])
        total = len(self.spec["items"])
        lines = [f"{esc(text)}: {esc(self.scale[level - 1])}" for text, level in ratings.items()]
        note = (
            f"You rated {len(ratings)} of {total} statements. There is no right answer; change them any time."
        )
        return {"score": None, "answer": ratings}, feedback_html(RECORDED, lines, note)

    def static_choices(self):
        return [f"{item['text']}: ____" for item in self.spec["items"]]


QUESTION_TYPES = {
    "single_choice": SingleChoice,
    "multiple_select": MultipleSelect,
    "numeric": Numeric,
    "classify": Classify,
    "likert": Likert,
}


def build_question(spec: dict, number: int, on_checked=None) -> Question:
    return QUESTION_TYPES[spec["type"]](spec, number, on_checked)


class StaticFallback(widgets.VBox):
    """A VBox of questions that also offers text/plain and text/html views, shown where no widget can run.

    Subclasses set `static_title` and `questions` (a list of Question).
    """

    static_title = ""
    questions: list[Question] = []

    def as_text(self) -> str:
        parts = [self.static_title, f"({STATIC_NOTE})", ""]
        return "\n".join(parts + [q.as_text() + "\n" for q in self.questions]).rstrip() + "\n"

    def as_html(self) -> str:
        items = "".join(q.as_html() for q in self.questions)
        return (
            f"<section><h3>{esc(self.static_title)}</h3><p><em>{esc(STATIC_NOTE)}</em></p>"
            f"<ol>{items}</ol></section>"
        )

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs) or {}
        data["text/plain"] = self.as_text()
        data["text/html"] = self.as_html()
        return data


class SelfCheck(StaticFallback):
    """A module's self-check: a heading, its questions and a score line. Results are saved as they come."""

    def __init__(self, bank: dict, progress_file=None, **kwargs):
        self.bank = bank
        self.progress_file = progress_file
        self.static_title = f"Self-check: {bank['title']}"
        self.questions = [
            build_question(spec, number, self.record) for number, spec in enumerate(bank["questions"], 1)
        ]
        self.total = len(scored_questions(bank))
        self.scores = self.saved_scores()
        self.summary = widgets.HTML()
        self.update_summary()
        heading = widgets.HTML(f"<h3>Self-check: {esc(bank['title'])}</h3>")
        super().__init__([heading] + [q.widget for q in self.questions] + [self.summary], **kwargs)

    def saved_scores(self) -> dict[str, float]:
        """Latest saved scores of this bank's questions, so the score line survives a restart."""
        saved = progress.load_progress(self.progress_file)["modules"].get(self.bank["module"], {})
        ids = {q["id"] for q in scored_questions(self.bank)}
        return {
            qid: r["score"]
            for qid, r in saved.get("questions", {}).items()
            if qid in ids and r.get("score") is not None
        }

    def record(self, question: Question, result: dict) -> None:
        if result["score"] is not None:
            self.scores[question.spec["id"]] = result["score"]
            self.update_summary()
        progress.record_result(
            self.bank["module"], self.bank["title"], self.total, question.spec, result, self.progress_file
        )

    def score(self) -> float:
        return sum(self.scores.values())

    def update_summary(self) -> None:
        if not self.total:
            self.summary.value = ""
            return
        score, percent = round(self.score(), 1), 100 * self.score() / self.total
        self.summary.value = (
            f'<p role="status"><strong>Score: {score:g} of {self.total}</strong> ({percent:.0f}%), '
            f"{len(self.scores)} of {self.total} questions checked. Saved on this computer; "
            "<code>show_progress()</code> charts all modules.</p>"
        )


def self_check(module_id: str, progress_file=None) -> SelfCheck:
    """Build (without displaying) the self-check of a module, e.g. '01'."""
    return SelfCheck(load_bank(module_id), progress_file=progress_file)


def show_self_check(module_id: str) -> None:
    """Display the self-check of a module, e.g. show_self_check("01")."""
    display(self_check(module_id))
