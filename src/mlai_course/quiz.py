"""Self-check quizzes, read from data/quiz_banks/ and shown with our own accessible front-end (anywidget).

In a notebook one line shows a module's self-check:

    show_self_check("01")

Each question is a group (a fieldset with the question as its legend): radio buttons that share a name (one
Tab stop; arrow keys choose), checkboxes, a labelled text box, or a labelled list per item, then a **Check**
button and (when there is a right answer) a **Show answer** button. The front-end is
`static/quiz.js`: it draws the questions and sends the learner's answers here; this module evaluates them,
saves each result (progress.py) and sends the feedback back. Feedback appears at once, in words and symbols,
never by colour alone: it starts with "Correct.", "Partly right." or "Not quite." (or "Recorded." for a
self-rating), then explains each option with ✓ or ✗. A score line under the questions adds up the latest
results.

Keys pressed inside the self-check stay in it (so typing "m" in a list picks "ML Engineer" and never turns the
cell into Markdown); Escape goes back to the notebook, and Ctrl+S (Cmd+S) still saves.

Run the cell again and the learner's saved results come back: the last checked answers, their feedback and the
score line. A notebook reopened without running the cell shows the saved view, read-only, with the message
"Run this cell to answer again: your saved results come back."

Outside Jupyter (static HTML, a GitHub preview) the same cell shows the questions as readable text: the
displayed object carries text/plain and text/html versions beside the widget view.
"""

import html
from pathlib import Path

import anywidget
import traitlets
from IPython.display import display

from mlai_course import progress
from mlai_course.quiz_bank import ROLES, load_bank, scored_questions

CORRECT, PARTLY, WRONG, RECORDED = "Correct.", "Partly right.", "Not quite.", "Recorded."
YES, NO = "✓", "✗"
DEFAULT_LIKERT_SCALE = ["Not yet", "A little", "Mostly", "Confidently"]
STATIC_NOTE = "This is a static copy: run the notebook in Jupyter to check your answers."
KEYBOARD_HINT = (
    "Keyboard: Tab moves between questions and buttons, arrow keys choose within a question, a letter picks "
    "from a list, Enter or Space presses a button, and Escape goes back to the notebook."
)
STATIC_FOLDER = Path(__file__).with_name("static")


def esc(text) -> str:
    return html.escape(str(text))


def verdict_for(score: float) -> str:
    if score >= 1:
        return CORRECT
    return PARTLY if score > 0 else WRONG


def feedback_html(verdict: str, lines: list[str], note: str = "") -> str:
    """Feedback: the verdict in bold words, then one line per option (shown in a live region)."""
    items = "".join(f"<li>{line}</li>" for line in lines)
    return f"<p><strong>{esc(verdict)}</strong> {note}</p>" + (f"<ul>{items}</ul>" if items else "")


class AnswerError(ValueError):
    """The front-end sent an answer this question cannot read."""


def choice_index(value, count: int) -> int | None:
    """A chosen option's index (0 .. count-1), or None for no choice."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        raise AnswerError(f"expected an option number from 0 to {count - 1} or nothing, got {value!r}")
    return value


class Question:
    """One question of a bank: what the front-end draws, how an answer is evaluated, its static text.

    Answers come from the front-end as JSON: an option index (or None) for a single choice, a list of option
    indices for a multiple select, the typed text for a number, and one choice index (or None) per item for
    classify and Likert questions. A result is a dict with "score" (0..1, or None for a self-rating) and
    "answer" (as saved in the progress file).
    """

    kind_hint = ""
    has_answer = True  # False for self-ratings: no Show answer button

    def __init__(self, spec: dict, number: int):
        self.spec, self.number = spec, number

    def view(self) -> dict:
        """What the front-end needs to draw the question (never the right answers)."""
        return {
            "id": self.spec["id"],
            "number": self.number,
            "type": self.spec["type"],
            "prompt": self.spec["prompt"],
            "hint": self.kind_hint,
            "has_answer": self.has_answer,
            "check_tooltip": f"Check your answer to question {self.number}",
            "answer_tooltip": (
                f"Show the answer to question {self.number}, with an explanation of each option"
            ),
        }

    def evaluate(self, answer) -> tuple[dict | None, str]:
        """Return (result, or None if unanswered, and the feedback HTML)."""
        raise NotImplementedError

    def answer_lines(self) -> list[str]:
        raise NotImplementedError

    def from_saved(self, saved):
        """The front-end answer for a result saved in the progress file, or None if it no longer fits."""
        raise NotImplementedError

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

    def view(self):
        return super().view() | {"options": [option["text"] for option in self.spec["options"]]}

    def evaluate(self, answer):
        index = choice_index(answer, len(self.spec["options"]))
        if index is None:
            return None, feedback_html("Choose an answer first.", [])
        chosen = self.spec["options"][index]
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

    def from_saved(self, saved):
        texts = [option["text"] for option in self.spec["options"]]
        return texts.index(saved) if saved in texts else None

    def static_choices(self):
        return [f"( ) {text}" for text in (o["text"] for o in self.spec["options"])]


class MultipleSelect(Question):
    kind_hint = "(choose all that apply)"

    def view(self):
        return super().view() | {"options": [option["text"] for option in self.spec["options"]]}

    def evaluate(self, answer):
        options = self.spec["options"]
        if not isinstance(answer, list):
            raise AnswerError(f"expected a list of option numbers, got {answer!r}")
        chosen = {choice_index(index, len(options)) for index in answer}
        picked = [number in chosen for number in range(len(options))]
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
        saved = [o["text"] for o, p in zip(options, picked, strict=True) if p]
        return {"score": score, "answer": saved}, feedback_html(verdict_for(score), lines, note)

    def answer_lines(self):
        return [
            f"{YES if o['correct'] else NO} “{esc(o['text'])}” "
            f"{'belongs' if o['correct'] else 'does not belong'}: {esc(o['explanation'])}"
            for o in self.spec["options"]
        ]

    def from_saved(self, saved):
        texts = [option["text"] for option in self.spec["options"]]
        if not isinstance(saved, list) or not set(saved) <= set(texts):
            return None
        return [index for index, text in enumerate(texts) if text in saved]

    def static_choices(self):
        return [f"[ ] {o['text']}" for o in self.spec["options"]]


class Numeric(Question):
    kind_hint = "(type a number)"

    def unit_words(self) -> str:
        return f" {self.spec['unit']}" if "unit" in self.spec else ""

    def view(self):
        unit = self.spec.get("unit", "")
        return super().view() | {"label": f"Your answer{f' ({unit})' if unit else ''}:"}

    def evaluate(self, answer):
        if not isinstance(answer, str):
            raise AnswerError(f"expected the typed text, got {answer!r}")
        typed = answer.strip().replace(",", "")
        if not typed:
            return None, feedback_html("Type a number first.", [])
        try:
            value = float(typed)
        except ValueError:
            return None, feedback_html(
                "Type a number, for example 7 or 2.5.", [f"{NO} “{esc(typed)}” is not a number."]
            )
        expected, tolerance, unit = self.spec["answer"], self.spec["tolerance"], self.unit_words()
        if abs(value - expected) <= tolerance:
            verdict = "is right" if value == expected else f"is close enough (within ±{tolerance:g}{unit})"
            line = f"{YES} {value:g}{esc(unit)} {esc(verdict)}: {esc(self.spec['explanation'])}"
            return {"score": 1.0, "answer": value}, feedback_html(CORRECT, [line])
        direction = "too low" if value < expected else "too high"
        line = f"{NO} {value:g}{esc(unit)} is {direction}."
        note = "Try again, or press Show answer."
        return {"score": 0.0, "answer": value}, feedback_html(WRONG, [line], note)

    def answer_lines(self):
        within = f" (±{self.spec['tolerance']:g})" if self.spec["tolerance"] else ""
        return [
            f"{YES} {self.spec['answer']:g}{esc(self.unit_words())}{within}: {esc(self.spec['explanation'])}"
        ]

    def from_saved(self, saved):
        is_number = isinstance(saved, int | float) and not isinstance(saved, bool)
        return f"{saved:g}" if is_number else None

    def static_choices(self):
        return [f"Answer: ____{self.unit_words()}"]


class PerItem(Question):
    """A question with one list per item: pick one of `choices()` for each."""

    def choices(self) -> list[str]:
        raise NotImplementedError

    def view(self):
        items = [item["text"] for item in self.spec["items"]]
        return super().view() | {"items": items, "choices": self.choices()}

    def chosen(self, answer) -> list[str | None]:
        """The chosen text per item (None where nothing is chosen)."""
        items = self.spec["items"]
        if not isinstance(answer, list) or len(answer) != len(items):
            raise AnswerError(f"expected one choice per item ({len(items)}), got {answer!r}")
        choices = self.choices()
        indices = [choice_index(value, len(choices)) for value in answer]
        return [None if index is None else choices[index] for index in indices]


class Classify(PerItem):
    kind_hint = "(pick ML Engineer, AI Engineer or Both for each item)"

    def choices(self):
        return list(ROLES)

    def evaluate(self, answer):
        items = self.spec["items"]
        chosen = self.chosen(answer)
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
        saved = dict(zip([item["text"] for item in items], chosen, strict=True))
        return {"score": score, "answer": saved}, feedback_html(verdict_for(score), lines, note)

    def answer_lines(self):
        return [
            f"{YES} “{esc(item['text'])}”: {esc(item['label'])}. {esc(item['explanation'])}"
            for item in self.spec["items"]
        ]

    def from_saved(self, saved):
        if not isinstance(saved, dict):
            return None
        choices = self.choices()
        picked = [saved.get(item["text"]) for item in self.spec["items"]]
        return [choices.index(p) if p in choices else None for p in picked]

    def static_choices(self):
        return [f"{item['text']}: ML Engineer / AI Engineer / Both?" for item in self.spec["items"]]


class Likert(PerItem):
    """A self-rating: no right answer, nothing scored; the ratings are recorded."""

    has_answer = False

    @property
    def scale(self) -> list[str]:
        return self.spec.get("scale", DEFAULT_LIKERT_SCALE)

    @property
    def kind_hint(self):
        return f"(rate each: {' / '.join(self.scale)})"

    def choices(self):
        return list(self.scale)

    def ratings(self, answer) -> dict[str, int]:
        """Rated items: statement -> 1 (first scale level) .. len(scale)."""
        return {
            item["text"]: self.scale.index(choice) + 1
            for item, choice in zip(self.spec["items"], self.chosen(answer), strict=True)
            if choice is not None
        }

    def evaluate(self, answer):
        ratings = self.ratings(answer)
        if not ratings:
            return None, feedback_html("Rate at least one statement first.", [])
        total = len(self.spec["items"])
        lines = [f"{esc(text)}: {esc(self.scale[level - 1])}" for text, level in ratings.items()]
        note = (
            f"You rated {len(ratings)} of {total} statements. There is no right answer; change them any time."
        )
        return {"score": None, "answer": ratings}, feedback_html(RECORDED, lines, note)

    def from_saved(self, saved):
        if not isinstance(saved, dict):
            return None
        levels = [saved.get(item["text"]) for item in self.spec["items"]]
        fits = [isinstance(level, int) and 1 <= level <= len(self.scale) for level in levels]
        return [level - 1 if fit else None for level, fit in zip(levels, fits, strict=True)]

    def static_choices(self):
        return [f"{item['text']}: ____" for item in self.spec["items"]]


QUESTION_TYPES = {
    "single_choice": SingleChoice,
    "multiple_select": MultipleSelect,
    "numeric": Numeric,
    "classify": Classify,
    "likert": Likert,
}


def build_question(spec: dict, number: int) -> Question:
    return QUESTION_TYPES[spec["type"]](spec, number)


class QuizWidget(anywidget.AnyWidget):
    """Questions drawn by static/quiz.js, evaluated here; also readable as text where no widget can run.

    The front-end sends messages: {"type": "ping"} (answered with {"type": "pong"}, so that a view restored
    from a saved notebook, with no kernel behind it, can tell and say "Run this cell"), {"type": "check",
    "id": ..., "answer": ...}, {"type": "show_answer", "id": ...} and {"type": "action"} (the optional button
    under the questions). Python sends back feedback, the score line and the action's result as traits.

    Subclasses set `static_title` and `questions` (a list of Question), then call `show_questions()`.
    """

    _esm = STATIC_FOLDER / "quiz.js"
    _css = STATIC_FOLDER / "quiz.css"

    title = traitlets.Unicode("").tag(sync=True)
    intro = traitlets.Unicode("").tag(sync=True)  # HTML
    views = traitlets.List().tag(sync=True)  # Question.view() of each question
    answers = traitlets.Dict().tag(
        sync=True
    )  # question id -> the learner's answer, as the front-end sends it
    feedback = traitlets.Dict().tag(sync=True)  # question id -> feedback HTML
    summary = traitlets.Unicode("").tag(sync=True)  # HTML, under the questions
    action_label = traitlets.Unicode("").tag(sync=True)  # a button under the questions; "" for none
    action_tooltip = traitlets.Unicode("").tag(sync=True)
    action_result = traitlets.Unicode("").tag(sync=True)  # HTML

    static_title = ""
    questions: list[Question] = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(lambda _widget, content, _buffers: self.receive(content))

    def show_questions(self) -> None:
        self.views = [question.view() for question in self.questions]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.spec["id"] == question_id:
                return question
        raise KeyError(f"no question with id {question_id!r}")

    def receive(self, content: dict) -> None:
        """Handle a message from the front-end."""
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            self.send({"type": "pong"})
        elif kind == "check":
            self.check(content.get("id"), content.get("answer"))
        elif kind == "show_answer":
            self.show_answer(content.get("id"))
        elif kind == "action":
            self.action()

    def check(self, question_id: str, answer) -> dict | None:
        """Evaluate an answer, show its feedback and save the result; return the result."""
        question = self.question(question_id)
        try:
            result, message = question.evaluate(answer)
        except AnswerError as error:
            result, message = None, feedback_html("That answer could not be read.", [esc(error)])
        else:
            self.answers = {**self.answers, question_id: answer}
        self.feedback = {**self.feedback, question_id: message}
        if result is not None:
            self.record(question, result)
        return result

    def show_answer(self, question_id: str) -> None:
        question = self.question(question_id)
        if question.has_answer:
            self.feedback = {**self.feedback, question_id: feedback_html("Answer:", question.answer_lines())}

    def restore(self, saved: dict) -> None:
        """Show saved results again: each question's last checked answer and its feedback (saves nothing)."""
        answers, feedback = {}, {}
        for question in self.questions:
            entry = saved.get(question.spec["id"])
            answer = question.from_saved(entry["answer"]) if isinstance(entry, dict) else None
            if answer is None:
                continue
            try:
                result, message = question.evaluate(answer)
            except AnswerError:
                continue
            if result is not None:
                answers[question.spec["id"]], feedback[question.spec["id"]] = answer, message
        self.answers, self.feedback = answers, feedback

    def record(self, question: Question, result: dict) -> None:
        """Save a checked result (subclasses)."""

    def action(self) -> None:
        """The button under the questions was pressed (subclasses)."""

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
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = self.as_text()
        data["text/html"] = self.as_html()
        return data, metadata


class SelfCheck(QuizWidget):
    """A module's self-check: a heading, its questions and a score line. Results are saved as they come."""

    def __init__(self, bank: dict, progress_file=None, **kwargs):
        super().__init__(**kwargs)
        self.bank = bank
        self.progress_file = progress_file
        self.questions = [build_question(spec, number) for number, spec in enumerate(bank["questions"], 1)]
        self.total = len(scored_questions(bank))
        saved = self.saved_results()
        self.scores = self.saved_scores(saved)
        with self.hold_sync():  # one message to the front-end, not one per trait
            self.static_title = self.title = f"Self-check: {bank['title']}"
            self.intro = f"<p>{esc(KEYBOARD_HINT)}</p>"
            self.restore(saved)
            self.update_summary()
            self.show_questions()

    def saved_results(self) -> dict:
        """This module's saved results, by question id."""
        module = progress.load_progress(self.progress_file)["modules"].get(self.bank["module"], {})
        return module.get("questions", {})

    def saved_scores(self, saved: dict) -> dict[str, float]:
        """Latest saved scores of this bank's questions, so the score line survives a restart."""
        ids = {q["id"] for q in scored_questions(self.bank)}
        return {qid: r["score"] for qid, r in saved.items() if qid in ids and r.get("score") is not None}

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
            self.summary = ""
            return
        score, percent = round(self.score(), 1), 100 * self.score() / self.total
        self.summary = (
            f"<p><strong>Score: {score:g} of {self.total}</strong> ({percent:.0f}%), "
            f"{len(self.scores)} of {self.total} questions checked. Saved on this computer; "
            "<code>show_progress()</code> charts all modules.</p>"
        )


def self_check(module_id: str, progress_file=None) -> SelfCheck:
    """Build (without displaying) the self-check of a module, e.g. '01'."""
    return SelfCheck(load_bank(module_id), progress_file=progress_file)


def show_self_check(module_id: str) -> None:
    """Display the self-check of a module, e.g. show_self_check("01")."""
    display(self_check(module_id))
