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

from pathlib import Path

import anywidget
import traitlets
from IPython.display import display

from mlai_course.learner import progress
from mlai_course.learner.questions import AnswerError, Question, build_question, esc, feedback_html
from mlai_course.learner.quiz_bank import load_bank, scored_questions

STATIC_NOTE = "This is a static copy: run the notebook in Jupyter to check your answers."
KEYBOARD_HINT = (
    "Keyboard: Tab moves between questions and buttons, arrow keys choose within a question, a letter picks "
    "from a list, Enter or Space presses a button, and Escape goes back to the notebook."
)
STATIC_FOLDER = Path(__file__).with_name("static")


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
