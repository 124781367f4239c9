"""The self-check's kinds of question, each checking a learner's answer and explaining it.

SingleChoice, MultipleSelect, Numeric, Classify (a label per item) and Likert (a self-rating per item,
no right answer) are built from a question bank's entries (`build_question`). Feedback is words and symbols,
never colour alone: it starts with "Correct.", "Partly right." or "Not quite." (or "Recorded." for a
self-rating), then explains each option with ✓ or ✗. quiz.py shows them in a notebook.
"""

import html

from mlai_course.learner.quiz_bank import ROLES

CORRECT, PARTLY, WRONG, RECORDED = "Correct.", "Partly right.", "Not quite.", "Recorded."
YES, NO = "✓", "✗"
DEFAULT_LIKERT_SCALE = ["Not yet", "A little", "Mostly", "Confidently"]


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
