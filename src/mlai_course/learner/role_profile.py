"""The "Which role fits you?" assessment: rate the article's reasons and skills, get an ML-vs-AI profile.

The statements are the source article's own lists, quoted verbatim in data/quiz_banks/role-fit.yaml:
"Choose ML Engineering If" / "Choose AI Engineering If" (article: Which Should You Choose?) and the two
roles' skills and their overlap (article: Skills Comparison). Each rating counts towards the role whose list
the statement comes from (`leans`).

A role's fit is the mean rating of its statements as a percentage of the top of the scale (our own scoring,
not the article's). Answers lean to a role when its fit is at least 10 points higher; otherwise they are
balanced. The explanation quotes the learner's highest-rated statements and the article's advice (article: The
Bottom Line).
"""

import base64
import io

import matplotlib.pyplot as plt
from IPython.display import display

from mlai_course.learner import progress
from mlai_course.learner.plots import ROLE_COLOURS
from mlai_course.learner.questions import DEFAULT_LIKERT_SCALE, AnswerError, Likert, esc
from mlai_course.learner.quiz import KEYBOARD_HINT, QuizWidget
from mlai_course.learner.quiz_bank import ROLE_FIT, QuizBankError, find_bank_file, load_bank

LEAN_MARGIN = 10  # percentage points
STRONG = 0.75  # ratings at or above 75% of the scale count as "rated highly"
MAX_QUOTES = 5  # quote at most this many highly rated statements per role
ROLE_WORDS = {"ML Engineer": "ML engineering", "AI Engineer": "AI engineering"}
BAR_NAMES = {"ML Engineer": "ML Engineer", "AI Engineer": "AI Engineer", "Both": "Both (shared skills)"}


def check_role_fit_bank(bank: dict) -> None:
    """The role-fit bank needs advice and Likert questions whose every item says which role it leans to."""
    path = find_bank_file(ROLE_FIT)
    if "advice" not in bank:
        raise QuizBankError(f"{path}: the role-fit bank needs an `advice` section")
    for number, question in enumerate(bank["questions"], 1):
        if question["type"] != "likert" or any("leans" not in item for item in question["items"]):
            raise QuizBankError(
                f"{path}: question {number} (id {question['id']!r}): role-fit questions must be likert, "
                "with `leans` on every item"
            )


def rated_items(bank: dict, ratings: dict[str, dict[str, int]]) -> list[dict]:
    """Every rated statement with its role, article section and rating as a fraction of its scale (0..1).

    `ratings` maps question id -> {statement: level}, levels counted from 1 as Likert.ratings() gives them.
    """
    rows = []
    for question in bank["questions"]:
        levels = len(question.get("scale", DEFAULT_LIKERT_SCALE))
        given = ratings.get(question["id"], {})
        for item in question["items"]:
            if item["text"] in given:
                fraction = (given[item["text"]] - 1) / (levels - 1)
                rows.append(
                    {
                        "text": item["text"],
                        "role": item["leans"],
                        "source": question["source"],
                        "fit": fraction,
                    }
                )
    return rows


def fit_scores(rows: list[dict]) -> dict[str, float | None]:
    """Mean fit per role, in percent; None for a role with no rated statement."""
    scores = {}
    for role in ROLE_COLOURS:
        fits = [row["fit"] for row in rows if row["role"] == role]
        scores[role] = 100 * sum(fits) / len(fits) if fits else None
    return scores


def lean_of(scores: dict[str, float | None]) -> str:
    """'ML Engineer', 'AI Engineer' or 'balanced'."""
    ml, ai = scores["ML Engineer"], scores["AI Engineer"]
    if ml - ai >= LEAN_MARGIN:
        return "ML Engineer"
    if ai - ml >= LEAN_MARGIN:
        return "AI Engineer"
    return "balanced"


def role_profile_figure(scores: dict[str, float | None]):
    """A labelled horizontal bar chart of the fit per role."""
    roles = [role for role, score in scores.items() if score is not None]
    values = [scores[role] for role in roles]
    fig, ax = plt.subplots(figsize=(7, 2.8))
    bars = ax.barh(
        [BAR_NAMES[r] for r in roles],
        values,
        color=[ROLE_COLOURS[r] for r in roles],
        hatch=["", "//", ".."][: len(roles)],
    )
    ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3)
    ax.set(xlim=(0, 110), xlabel="Fit: your average rating (% of the top of the scale)", ylabel="Role")
    ax.set_title("Your ML-vs-AI engineering profile (not graded)")
    ax.invert_yaxis()
    fig.tight_layout()
    return fig


def figure_as_img(fig, alt: str) -> str:
    """An <img> tag holding the figure as PNG, with alt text for screen readers."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" style="max-width:100%">'


def quote_list(rows: list[dict]) -> str:
    """Quote the first MAX_QUOTES statements with their article sections; count the rest."""
    quoted = ", ".join(f"“{esc(row['text'])}” (article: {esc(row['source'])})" for row in rows[:MAX_QUOTES])
    rest = len(rows) - MAX_QUOTES
    return quoted + (f" and {rest} more" if rest > 0 else "")


def explanation_html(bank: dict, rows: list[dict], scores: dict) -> str:
    """The profile in words: the lean, the statements rated highest for each role, the article's advice."""
    advice = bank["advice"]
    lean = lean_of(scores)
    numbers = f"ML Engineer {scores['ML Engineer']:.0f}%, AI Engineer {scores['AI Engineer']:.0f}%"
    if lean == "balanced":
        parts = [f"<p><strong>Your answers are balanced</strong> ({numbers}): both roles could suit you.</p>"]
    else:
        parts = [f"<p><strong>Your answers lean towards {ROLE_WORDS[lean]}</strong> ({numbers}).</p>"]
    for role in ("ML Engineer", "AI Engineer") if lean == "balanced" else (lean,):
        strong = sorted(
            (row for row in rows if row["role"] == role and row["fit"] >= STRONG), key=lambda r: -r["fit"]
        )
        if strong:
            parts.append(
                f"<p>What you rated highly from the article's {ROLE_WORDS[role]} lists: "
                f"{quote_list(strong)}.</p>"
            )
        else:
            parts.append(f"<p>You rated none of the article's {ROLE_WORDS[role]} statements highly.</p>")
        parts.append(f"<blockquote>“{esc(advice[role])}” (article: {esc(advice['source'])})</blockquote>")
    if scores["Both"] is not None:
        parts.append(
            "<p>Skills both roles need (article: Skills Comparison): "
            f"you rated them {scores['Both']:.0f}%.</p>"
        )
    parts.append(f"<blockquote>“{esc(advice['Both'])}” (article: {esc(advice['source'])})</blockquote>")
    parts.append(
        "<p><em>The statements are the article's; the scoring is the course's own, a prompt for reflection, "
        "not a test.</em></p>"
    )
    return "".join(parts)


def profile_alt_text(scores: dict) -> str:
    shown = ", ".join(
        f"{BAR_NAMES[role]} {score:.0f}%" for role, score in scores.items() if score is not None
    )
    return f"Bar chart of your fit per role: {shown}."


class RoleProfile(QuizWidget):
    """The role-fit assessment: Likert questions, a Show my profile button, then a chart and its words."""

    def __init__(self, bank: dict, progress_file=None, **kwargs):
        check_role_fit_bank(bank)
        super().__init__(**kwargs)
        self.bank, self.progress_file = bank, progress_file
        self.questions = [Likert(spec, n) for n, spec in enumerate(bank["questions"], 1)]
        self.scores = None
        saved = progress.load_progress(progress_file)["modules"].get(ROLE_FIT, {}).get("questions", {})
        with self.hold_sync():  # one message to the front-end, not one per trait
            self.static_title = self.title = bank["title"]
            self.intro = (
                "<p>Rate each statement, then press <strong>Show my profile</strong>. The statements are "
                f"quoted from the source article.</p><p>{esc(KEYBOARD_HINT)}</p>"
            )
            self.action_label = "Show my profile"
            self.action_tooltip = "Draw your ML-vs-AI profile chart from the ratings you have given"
            self.restore(saved)
            self.show_questions()

    def ratings(self) -> dict[str, dict[str, int]]:
        """The ratings given so far (as the lists show them): question id -> {statement: level}."""
        ratings = {}
        for question in self.questions:
            try:
                ratings[question.spec["id"]] = question.ratings(self.answers.get(question.spec["id"]))
            except AnswerError:  # nothing (or nothing readable) chosen in this question's lists
                continue
        return ratings

    def record(self, question, result) -> None:
        progress.record_result(ROLE_FIT, self.bank["title"], 0, question.spec, result, self.progress_file)

    def action(self) -> None:
        self.show_profile()

    def show_profile(self) -> dict | None:
        rows = rated_items(self.bank, self.ratings())
        scores = fit_scores(rows)
        if scores["ML Engineer"] is None or scores["AI Engineer"] is None:
            self.action_result = (
                "<p><strong>Rate more statements first.</strong> Rate at least one ML engineering and one AI "
                "engineering statement (the first two are one of each).</p>"
            )
            return None
        self.scores = scores
        chart = figure_as_img(role_profile_figure(scores), profile_alt_text(scores))
        self.action_result = chart + explanation_html(self.bank, rows, scores)
        profile_question = {"id": "profile", "type": "profile", "topic": "role fit"}
        progress.record_result(
            ROLE_FIT,
            self.bank["title"],
            0,
            profile_question,
            {"score": None, "answer": scores},
            self.progress_file,
        )
        return scores


def role_profile(progress_file=None) -> RoleProfile:
    """Build (without displaying) the role-fit assessment."""
    return RoleProfile(load_bank(ROLE_FIT), progress_file=progress_file)


def show_role_profile() -> None:
    """Display the "Which role fits you?" assessment."""
    display(role_profile())
