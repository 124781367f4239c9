"""The capstone of module 06: your saved self-check results and role profile as tidy tables, your skill
ratings, and an example learner for when you have none yet.

    learner = pick_learner()      # you, from your saved progress; or the example learner, saying why
    show_learner(learner)         # who, the role profile and its lean, the modules to revisit

**Reading never writes.** The progress file (`mlai_course.progress.progress_path()`) is only read: a missing
file is not created, and a corrupt one is left exactly as it is (`progress.load_progress` moves a corrupt file
aside, which is right when a learner saves an answer, but not here: the autograder runs this notebook
unattended). Only the progress file and `data/` (the role-fit question bank) are read.

**The example learner** is made up by the course. It stands in for each part of the evidence on its own: with
no progress file, a corrupt one, or one that holds neither part, for both; with self-check results but no role
profile, for the profile and its rated statements; with a profile but no results, for the results. Each part
says whose it is (`Learner.results_from`, `Learner.profile_from`), every message built from the example says
so, and `pick_learner` says how to get your own.

**The plan** (`plan_skills`, `timeline_words`): the skills still missing toward a target role, in the course's
order, and the article's switch timeline in words.

Skill ratings use the course's own scale, from 0 (`Not yet`) to 3 (`Confidently`); a skill counts as known
from 2 (`Mostly`). The scale and that threshold are the course's, not the article's.
"""

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from mlai_course.learner import progress, role_profile
from mlai_course.learner.quiz_bank import ROLE_FIT, load_bank

ROLES = ("ML Engineer", "AI Engineer")
LEVELS = ("Junior", "Mid", "Senior", "Staff")
SKILL_SCALE = ("Not yet", "A little", "Mostly", "Confidently")  # ratings 0..3
KNOWN_FROM = 2  # a rating of 2 ("Mostly") or more counts as known
PROFILE_ID = "profile"  # the role-fit result that holds the profile scores (see role_profile.py)

YOU = "you"
EXAMPLE_NAME = "the example learner (made up by the course)"
EXAMPLE_WHOSE = "the example learner's (made up by the course)"

HOW_TO_PROFILE = (
    "To use your own role profile, run the *Which role fits you?* profile in module 05 · Choosing, "
    "switching and interviewing (its `show_role_profile()` cell), or type "
    "`from mlai_course.learner.role_profile import show_role_profile` and then `show_role_profile()` in a "
    "new cell: rate the statements and press **Show my profile**. Then run this cell again."
)
HOW_TO_RESULTS = (
    "To use your own self-check results, answer the self-check at the end of any module "
    '(`show_self_check("01")` ...) and press **Check**. Then run this cell again.'
)

# The example learner: a made-up ML engineer whose answers lean towards AI engineering. Its role-fit ratings
# are made from the role-fit bank's statements (so they follow any change of wording): each statement gets
# a level of its role's tuple, taking them in turn (1 = the first level of the bank's scale).
EXAMPLE_RATING_LEVELS = {"ML Engineer": (2, 3, 1), "AI Engineer": (5, 4), "Both": (4, 3)}
EXAMPLE_MODULES = {
    "01": {
        "title": "The core distinction",
        "scored_questions": 4,
        "questions": {
            "trains-or-uses": {"topic": "core distinction", "score": 1.0},
            "focus-areas": {"topic": "role history", "score": 1.0},
            "start-years": {"topic": "role history", "score": 1.0},
            "who-does-what": {"topic": "core distinction", "score": 0.75},
        },
    },
    "03": {
        "title": "Pay and the job market",
        "scored_questions": 5,
        "questions": {
            "staff-ml-top": {"topic": "salary bands", "score": 0.0},
            "junior-ai-bottom": {"topic": "salary bands", "score": 1.0},
            "premium-reasons": {"topic": "ML premium", "score": 0.5},
        },
    },
}
EXAMPLE_SKILLS = {
    "current_role": "ML Engineer",
    "level": "Mid",
    "ratings": {
        "Strong Python skills": 3,
        "Software engineering fundamentals": 2,
        "Cloud platforms (AWS, GCP)": 2,
        "Data processing abilities": 3,
        "Production mindset": 1,
        "Model training and evaluation": 3,
        "Feature engineering": 3,
        "Training pipelines (Kubeflow, Airflow)": 2,
        "Model serving (TensorFlow Serving, TorchServe)": 2,
        "Experiment tracking (MLflow, Weights & Biases)": 3,
        "Statistics and linear algebra": 2,
        "Deep learning architectures": 2,
        "Distributed training": 1,
        "Model optimization (quantization, pruning)": 1,
        "Custom model development": 2,
        "Research paper implementation": 1,
        "LLM APIs (OpenAI, Anthropic)": 1,
        "Prompt engineering": 2,
        "Fine-tuning (LoRA, full fine-tuning)": 2,
        "Evaluation frameworks for LLM outputs": 1,
    },
}


@dataclass
class Learner:
    """Whose data the capstone uses, as tidy tables.

    - `modules`: one row per module with self-check results: module, title, checked, total, score (the sum
      of the latest scores as a fraction of all the module's scored questions, as `show_progress()` counts);
    - `results`: one row per checked question: module, question, topic, score (0..1);
    - `statements`: one row per rated role-fit statement: question, statement, role, section, rating (0..1
      of the scale);
    - `profile`: the fit per role in percent (`ML Engineer`, `AI Engineer`, `Both`), empty when none;
    - `notes`: what was missing or wrong, and how to get your own results;
    - `results_from`, `profile_from`: whose each part is, `YOU` or `EXAMPLE_NAME` (the example learner stands
      in for a missing part on its own).
    """

    name: str
    is_example: bool
    modules: pd.DataFrame
    results: pd.DataFrame
    statements: pd.DataFrame
    profile: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    results_from: str = YOU
    profile_from: str = YOU

    @property
    def lean(self) -> str | None:
        """'ML Engineer', 'AI Engineer' or 'balanced' from the profile (the rule of role_profile.lean_of);
        None without a profile."""
        if self.profile.get("ML Engineer") is None or self.profile.get("AI Engineer") is None:
            return None
        return role_profile.lean_of(self.profile)

    @property
    def has_results(self) -> bool:
        return not self.results.empty

    @property
    def has_profile(self) -> bool:
        return self.lean is not None


def read_progress(path: Path | None = None) -> tuple[dict | None, str | None]:
    """Read the progress file without changing it: (data, None), or (None, what is missing or wrong)."""
    path = Path(path) if path else progress.progress_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, f"There is no saved progress yet: no file `{path}`."
    except (OSError, UnicodeDecodeError) as error:
        return None, f"Your saved progress `{path}` could not be read ({error}). It was left as it is."
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problem = f"not valid JSON ({error})"
    else:
        problem = progress.structure_problem(data)
        if problem is None:
            return data, None
    return None, f"Your saved progress `{path}` is corrupt: {problem}. It was left as it is."


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _module_tables(data: dict) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(modules, results, notes) from every module's scored results; the role-fit ratings are not scored."""
    module_rows, result_rows, notes = [], [], []
    for module_id, module in sorted(data["modules"].items()):
        if module_id == ROLE_FIT:
            continue
        title = str(module.get("title", module_id))
        scores = []
        for question_id, result in module["questions"].items():
            score = result.get("score")
            if score is None:
                continue
            if not 0 <= score <= 1:
                notes.append(f"Module {module_id}, question {question_id!r}: the score {score} is not 0..1.")
                continue
            scores.append(score)
            topic = str(result.get("topic", "other"))
            result_rows.append({"module": module_id, "question": question_id, "topic": topic, "score": score})
        total = module.get("scored_questions")
        if scores and _is_number(total) and total >= len(scores):
            module_rows.append(
                {
                    "module": module_id,
                    "title": title,
                    "checked": len(scores),
                    "total": int(total),
                    "score": sum(scores) / total,
                }
            )
        elif scores:
            notes.append(f"Module {module_id}: the number of scored questions ({total!r}) is not usable.")
    modules = pd.DataFrame(module_rows, columns=["module", "title", "checked", "total", "score"])
    results = pd.DataFrame(result_rows, columns=["module", "question", "topic", "score"])
    return modules, results, notes


def _role_fit_tables(data: dict) -> tuple[pd.DataFrame, dict, list[str]]:
    """(statements, profile, notes) from the saved role-fit ratings and profile."""
    saved = data["modules"].get(ROLE_FIT, {}).get("questions", {})
    bank = load_bank(ROLE_FIT)
    rows, notes = [], []
    for question in bank["questions"]:
        answer = saved.get(question["id"], {}).get("answer")
        if answer is None:
            continue
        levels = len(question.get("scale", role_profile.DEFAULT_LIKERT_SCALE))
        if not isinstance(answer, dict) or not all(
            isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= levels
            for level in answer.values()
        ):
            notes.append(f"The saved ratings of {question['id']!r} are not in the expected form: ignored.")
            continue
        for item in role_profile.rated_items({"questions": [question]}, {question["id"]: answer}):
            rows.append(
                {
                    "question": question["id"],
                    "statement": item["text"],
                    "role": item["role"],
                    "section": item["source"],
                    "rating": item["fit"],
                }
            )
    statements = pd.DataFrame(rows, columns=["question", "statement", "role", "section", "rating"])
    saved_profile = saved.get(PROFILE_ID, {}).get("answer")
    if isinstance(saved_profile, dict) and all(
        _is_number(saved_profile.get(role)) and 0 <= saved_profile[role] <= 100 for role in ROLES
    ):
        both = saved_profile.get("Both")
        return statements, {**{role: saved_profile[role] for role in ROLES}, "Both": both}, notes
    if saved_profile is not None:
        notes.append("The saved role profile is not in the expected form: it was worked out again.")
    scores = role_profile.fit_scores([{"role": row["role"], "fit": row["rating"]} for row in rows])
    profile = scores if all(scores[role] is not None for role in ROLES) else {}
    return statements, profile, notes


def learner_from_progress(data: dict, name: str = YOU, is_example: bool = False) -> Learner:
    """Tidy tables from progress data laid out as progress.py describes (already checked by read_progress)."""
    modules, results, module_notes = _module_tables(data)
    statements, profile, role_fit_notes = _role_fit_tables(data)
    return Learner(
        name,
        is_example,
        modules,
        results,
        statements,
        profile,
        module_notes + role_fit_notes,
        results_from=name,
        profile_from=name,
    )


def example_progress() -> dict:
    """The example learner's progress, laid out like a real progress file."""
    bank = load_bank(ROLE_FIT)
    role_fit = {}
    for question in bank["questions"]:
        answer, turns = {}, {}
        for item in question["items"]:
            levels = EXAMPLE_RATING_LEVELS[item["leans"]]
            turn = turns[item["leans"]] = turns.get(item["leans"], -1) + 1
            answer[item["text"]] = levels[turn % len(levels)]
        role_fit[question["id"]] = {"type": "likert", "topic": "role fit", "score": None, "answer": answer}
    modules = json.loads(json.dumps(EXAMPLE_MODULES))
    modules[ROLE_FIT] = {"title": bank["title"], "scored_questions": 0, "questions": role_fit}
    return {"version": progress.FORMAT_VERSION, "modules": modules}


def example_learner() -> Learner:
    """The example learner (made up by the course): an ML engineer whose answers lean to AI engineering."""
    return learner_from_progress(example_progress(), name=EXAMPLE_NAME, is_example=True)


def pick_learner(path: Path | None = None) -> Learner:
    """You, from your saved progress; the example learner standing in for each part you have not saved yet
    (the self-check results, the role profile), or for all of it when there is nothing to read; with notes
    saying whose each part is and how to get your own. Never writes anything."""
    data, problem = read_progress(path)
    if data is not None:
        learner = learner_from_progress(data)
        if learner.has_profile or learner.has_results:
            return _fill_in_from_the_example(learner)
        problem = "Your saved progress holds no self-check result and no role profile yet."
    example = example_learner()
    example.notes = [
        problem,
        f"So this notebook uses **{EXAMPLE_NAME}**: every result below is the example's, not yours.",
        HOW_TO_PROFILE,
        HOW_TO_RESULTS,
    ]
    return example


def _fill_in_from_the_example(learner: Learner) -> Learner:
    """The example learner's part where the learner has not saved theirs, each saying so."""
    example = example_learner()
    if not learner.has_profile:
        learner.statements, learner.profile, learner.profile_from = (
            example.statements,
            example.profile,
            EXAMPLE_NAME,
        )
        learner.notes.append(
            f"No role profile is saved yet, so the role profile, its lean and the rated statements below are "
            f"**{EXAMPLE_WHOSE}**, not yours. {HOW_TO_PROFILE}"
        )
    if not learner.has_results:
        learner.modules, learner.results, learner.results_from = (
            example.modules,
            example.results,
            EXAMPLE_NAME,
        )
        learner.notes.append(
            "No self-check result is saved yet, so the self-check scores and the modules to revisit below "
            f"are **{EXAMPLE_WHOSE}**, not yours. {HOW_TO_RESULTS}"
        )
    return learner


def modules_to_revisit(learner: Learner, below: float = progress.WEAK_BELOW) -> list[str]:
    """'NN · title' of each module whose self-check score is below `below` (70%), weakest first."""
    weak = learner.modules[learner.modules["score"] < below].sort_values(["score", "module"])
    return [f"{module} · {title}" for module, title in zip(weak["module"], weak["title"], strict=True)]


def weak_topics(learner: Learner, below: float = progress.WEAK_BELOW) -> list[str]:
    """Topics whose mean self-check score is below `below` (70%), weakest first."""
    means = learner.results.groupby("topic")["score"].mean().reset_index()
    weak = means[means["score"] < below].sort_values(["score", "topic"])
    return weak["topic"].tolist()


def top_statements(learner: Learner, count: int = 5) -> pd.DataFrame:
    """The learner's highest-rated role-fit statements, highest first (ties in the bank's order)."""
    ranked = learner.statements.reset_index(drop=True)
    ranked = ranked.sort_values("rating", ascending=False, kind="stable")
    return ranked.head(count).reset_index(drop=True)


def whose(part_from: str) -> str:
    """'your' or "the example learner's (made up by the course)"."""
    return "your" if part_from == YOU else EXAMPLE_WHOSE


def learner_summary(learner: Learner) -> str:
    """Whose data, what is missing, the profile and its lean, the modules and topics to revisit (Markdown);
    each part says whose it is."""
    if learner.is_example:
        who = "**Example learner (made up by the course)**"
    elif YOU in (learner.results_from, learner.profile_from) and EXAMPLE_NAME in (
        learner.results_from,
        learner.profile_from,
    ):
        who = "**Your saved results, with the example learner's where yours are missing**"
    else:
        who = "**Your saved results**"
    lines = [f"{who}", ""]
    lines += [f"- {note}" for note in learner.notes]
    if learner.has_profile:
        fits = ", ".join(
            f"{role} {score:.0f}%" for role, score in learner.profile.items() if score is not None
        )
        lean = learner.lean
        lean_words = "balanced" if lean == "balanced" else f"towards {lean}"
        lines += [
            "",
            f"**Role profile ({whose(learner.profile_from)}):** {fits}. The answers lean **{lean_words}**.",
        ]
    if learner.has_results:
        scores = ", ".join(
            f"{m} {100 * s:.0f}% ({c} of {t} checked)"
            for m, s, c, t in zip(
                learner.modules["module"],
                learner.modules["score"],
                learner.modules["checked"],
                learner.modules["total"],
                strict=True,
            )
        )
        revisit = modules_to_revisit(learner)
        topics = weak_topics(learner)
        lines += [
            "",
            f"- **Self-check scores by module ({whose(learner.results_from)}):** {scores}.",
            f"- **Revisit first:** {', '.join(revisit) if revisit else 'nothing below 70%, well done'}.",
            f"- **Weak topics** (below 70%): {', '.join(topics) if topics else 'none'}.",
        ]
    return "\n".join(lines)


def show_learner(learner: Learner) -> None:
    """Display `learner_summary` as Markdown."""
    display(Markdown(learner_summary(learner)))


def rating_problem(skill, rating, known_skills: list[str]) -> str | None:
    """What is wrong with one entry of a skill-ratings dict, or None."""
    if skill not in known_skills:
        close = difflib.get_close_matches(str(skill), known_skills, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else " Copy the names from the skills table."
        return f"{skill!r} is not one of the article's skills.{hint}"
    if not isinstance(rating, int) or isinstance(rating, bool) or not 0 <= rating < len(SKILL_SCALE):
        scale = ", ".join(f"{level} {name}" for level, name in enumerate(SKILL_SCALE))
        return f"the rating of {skill!r} is {rating!r}; use a whole number: {scale}."
    return None


def skill_ratings_table(ratings: dict, skills_table: pd.DataFrame) -> pd.DataFrame:
    """Your skill ratings {skill: 0..3} as a table with columns skill and rating, after checking each entry.

    Raises ValueError naming every skill that is misspelt or has a rating off the scale.
    """
    known_skills = list(dict.fromkeys(skills_table["skill"]))
    problems = [p for skill, rating in ratings.items() if (p := rating_problem(skill, rating, known_skills))]
    if problems:
        raise ValueError("Your skill ratings need fixing:\n- " + "\n- ".join(problems))
    return pd.DataFrame(
        {
            "skill": pd.Series(list(ratings), dtype=str),
            "rating": pd.Series(list(ratings.values()), dtype="int64"),
        }
    )


def rating_template(skills_table: pd.DataFrame) -> str:
    """Python text of a ratings dict listing every skill at 0, in the article's lists' order, to copy."""
    order = {"overlap": 0, "required": 1, "senior_blurring": 2}
    rows = skills_table.assign(order=skills_table["skill_list"].map(order).fillna(3))
    rows = rows.sort_values(["order", "role", "rank"], kind="stable")
    lines = ["my_skill_ratings = {"]
    for skill in dict.fromkeys(rows["skill"]):
        lines.append(f"    {json.dumps(skill)}: 0,")
    lines.append("}")
    return "\n".join(lines)


def plan_skills(skills_table: pd.DataFrame, ratings: pd.DataFrame, target_role: str, level: str) -> list[str]:
    """The skills still missing toward `target_role` at `level`, in the plan's order (the course's rule): the
    skills both roles need, then the target's own ("required") list, then at Senior and Staff the target's
    blurring-line list, each by rank; a skill rated KNOWN_FROM or more is known; each skill once.

    Raises ValueError for a level that is not one of LEVELS, or a role without own skills in the table."""
    if level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    is_target = skills_table["role"] == target_role
    if not (is_target & (skills_table["skill_list"] == "required")).any():
        raise ValueError(f"{target_role!r} is not a role with its own skills: use one of {', '.join(ROLES)}")
    steps = [("Both", "overlap"), (target_role, "required")]
    if level in ("Senior", "Staff"):
        steps.append((target_role, "senior_blurring"))
    known = set(ratings.loc[ratings["rating"] >= KNOWN_FROM, "skill"])
    missing = []
    for role, skill_list in steps:
        rows = skills_table[(skills_table["role"] == role) & (skills_table["skill_list"] == skill_list)]
        for skill in rows.sort_values("rank")["skill"]:
            if skill not in known and skill not in missing:
                missing.append(skill)
    return missing


def timeline_words(timelines_table: pd.DataFrame, current_role: str | None, target_role: str) -> str:
    """The article's switch timeline from `current_role` (None: neither role) to `target_role`, in words."""
    if target_role == current_role:
        return "no switch needed"
    for row in timelines_table.itertuples(index=False):
        if (row.from_role, row.to_role) == (current_role, target_role):
            return f"{row.min_months}-{row.max_months} months (article: Career Switching)"
    if current_role is None:
        return "the article gives no timeline for someone in neither role"
    return f"the article gives no timeline from {current_role} to {target_role}"
