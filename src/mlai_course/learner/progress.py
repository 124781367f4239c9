"""Saved self-check progress: a small JSON file on the learner's computer, and charts of it.

The file is `~/.mlai_course/progress.json` (writable locally and on Binder, never inside the course folder),
or the path in the environment variable MLAI_COURSE_PROGRESS. Its layout:

    {"version": 1,
     "modules": {"01": {"title": "The core distinction", "scored_questions": 7,
                        "questions": {"trains-or-uses": {
                            "type": "single_choice", "topic": "core distinction",
                            "score": 1.0, "best_score": 1.0, "attempts": 2,
                            "answer": "...", "checked_at": "2025-01-31T10:00:00"}}}}}

Likert self-ratings are saved with "score": null and their ratings as the answer.

Writes are atomic (a temporary file in the same folder, then os.replace), so a crash never leaves half a file.
Recording a result reads, changes and writes the file under a lock (`filelock`, the file `.progress.json.lock`
beside it), so two kernels that save at the same moment keep both answers.
A corrupt file is moved aside to `progress.json.corrupt-<timestamp>` with a warning, and the learner starts
afresh; a file that cannot be read or written gives a warning, never an exception in the notebook.
"""

import json
import os
import tempfile
import warnings
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout
from IPython.display import Markdown, display

PROGRESS_ENV_VAR = "MLAI_COURSE_PROGRESS"
DEFAULT_PROGRESS_FILE = Path("~/.mlai_course/progress.json")
FORMAT_VERSION = 1
WEAK_BELOW = 0.7
LOCK_TIMEOUT_SECONDS = 30


class ProgressFileWarning(UserWarning):
    """The progress file was corrupt, unreadable or unwritable; the message names it and what happened."""


def progress_path() -> Path:
    """Where progress is saved: $MLAI_COURSE_PROGRESS, else ~/.mlai_course/progress.json."""
    return Path(os.environ.get(PROGRESS_ENV_VAR) or DEFAULT_PROGRESS_FILE).expanduser()


def empty_progress() -> dict:
    return {"version": FORMAT_VERSION, "modules": {}}


def structure_problem(data) -> str | None:
    """Say what is wrong with loaded progress data, or None if its layout is as documented above."""
    if not isinstance(data, dict):
        return f"expected a JSON object, found {type(data).__name__}"
    if data.get("version") != FORMAT_VERSION:
        return f"expected version {FORMAT_VERSION}, found {data.get('version')!r}"
    if not isinstance(data.get("modules"), dict):
        return "'modules' is missing or not an object"
    for module_id, module in data["modules"].items():
        if not isinstance(module, dict) or not isinstance(module.get("questions"), dict):
            return f"module {module_id!r} has no 'questions' object"
        for question_id, result in module["questions"].items():
            score = result.get("score", 0) if isinstance(result, dict) else None
            if not isinstance(result, dict) or not (score is None or isinstance(score, int | float)):
                return f"module {module_id!r}, question {question_id!r} is not a result with a numeric score"
    return None


def set_aside(path: Path) -> Path:
    """Rename a corrupt file to <name>.corrupt-<timestamp> (never overwriting) and return the new path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
        number += 1
    os.replace(path, target)
    return target


def load_progress(path: Path | None = None) -> dict:
    """Read saved progress. Missing file: empty progress. Corrupt file: set aside, warn, empty progress."""
    path = Path(path) if path else progress_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty_progress()
    except (OSError, UnicodeDecodeError) as error:
        if isinstance(error, UnicodeDecodeError):
            problem = f"not UTF-8 text ({error.reason})"
        else:
            warnings.warn(
                f"Could not read your saved progress {path}: {error}. Starting with empty progress.",
                ProgressFileWarning,
                stacklevel=2,
            )
            return empty_progress()
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            problem = f"not valid JSON ({error})"
        else:
            problem = structure_problem(data)
            if problem is None:
                return data
    try:
        moved = f"it was moved to {set_aside(path)}"
    except OSError as error:
        moved = f"it could not be moved aside ({error})"
    warnings.warn(
        f"Your saved progress {path} is corrupt: {problem}. Nothing was deleted: {moved}. "
        "Starting with empty progress.",
        ProgressFileWarning,
        stacklevel=2,
    )
    return empty_progress()


def save_progress(data: dict, path: Path | None = None) -> None:
    """Write progress atomically: a temporary file in the same folder, then os.replace."""
    path = Path(path) if path else progress_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def lock_for(path: Path) -> FileLock:
    """The lock that guards read-modify-write of a progress file: a hidden file beside it."""
    return FileLock(path.with_name(f".{path.name}.lock"), timeout=LOCK_TIMEOUT_SECONDS, poll_interval=0.01)


def record_result(
    module_id: str, title: str, scored_questions: int, question: dict, result: dict, path: Path | None = None
) -> dict:
    """Save one checked question's result; return the saved entry. Warns instead of failing.

    The read, the change and the write happen under the progress file's lock, so results saved at the same
    moment by two kernels are both kept."""
    path = Path(path) if path else progress_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with lock_for(path):
            return _record_unlocked(module_id, title, scored_questions, question, result, path)
    except Timeout:
        advice = f"another notebook kept it locked for {LOCK_TIMEOUT_SECONDS} s; press Check again to save it"
    except OSError as error:
        advice = f"{error}; set {PROGRESS_ENV_VAR} to a writable file to keep your answers"
    warnings.warn(
        f"Could not save your progress to {path}: {advice}. Your answers still count in this notebook.",
        ProgressFileWarning,
        stacklevel=2,
    )
    return _entry(question, result, {})


def _entry(question: dict, result: dict, previous: dict) -> dict:
    score = result["score"]
    best = previous.get("best_score")
    if score is not None:
        best = score if best is None else max(best, score)
    return {
        "type": question["type"],
        "topic": question["topic"],
        "score": score,
        "best_score": best,
        "attempts": previous.get("attempts", 0) + 1,
        "answer": result["answer"],
        "checked_at": datetime.now().isoformat(timespec="seconds"),
    }


def _record_unlocked(
    module_id: str, title: str, scored_questions: int, question: dict, result: dict, path: Path
) -> dict:
    data = load_progress(path)
    module = data["modules"].setdefault(module_id, {"questions": {}})
    module.update(title=title, scored_questions=scored_questions)
    entry = _entry(question, result, module["questions"].get(question["id"], {}))
    module["questions"][question["id"]] = entry
    save_progress(data, path)
    return entry


def module_scores(data: dict) -> list[dict]:
    """Per module with scored questions: latest score as a fraction of all its scored questions."""
    rows = []
    for module_id, module in sorted(data["modules"].items()):
        total = module.get("scored_questions") or 0
        scores = [r["score"] for r in module["questions"].values() if r.get("score") is not None]
        if total:
            rows.append(
                {
                    "module": module_id,
                    "title": module.get("title", module_id),
                    "score": sum(scores) / total,
                    "checked": len(scores),
                    "total": total,
                }
            )
    return rows


def topic_scores(data: dict) -> dict[str, float]:
    """Mean latest score per topic, over every checked question of every module, lowest first."""
    by_topic: dict[str, list[float]] = {}
    for module in data["modules"].values():
        for result in module["questions"].values():
            if result.get("score") is not None:
                by_topic.setdefault(result.get("topic", "other"), []).append(result["score"])
    means = {topic: sum(scores) / len(scores) for topic, scores in by_topic.items()}
    return dict(sorted(means.items(), key=lambda item: (item[1], item[0])))


def weak_topics(data: dict, below: float = WEAK_BELOW) -> list[str]:
    """Topics whose mean score is below `below` (70% by default), weakest first."""
    return [topic for topic, score in topic_scores(data).items() if score < below]


def progress_figure(data: dict):
    """Two labelled bar charts: each module's score, and each topic's score with the weak-topic line."""
    modules, topics = module_scores(data), topic_scores(data)
    import matplotlib.pyplot as plt  # only for the chart: recording a result stays quick to import

    fig, (module_ax, topic_ax) = plt.subplots(
        1, 2, figsize=(11, max(3, 0.5 * max(len(modules), len(topics)) + 2))
    )
    names = [f"{row['module']} · {row['title']}" for row in modules]
    percents = [100 * row["score"] for row in modules]
    bars = module_ax.barh(names, percents, color="#0072B2")
    module_ax.bar_label(
        bars,
        padding=3,
        labels=[
            f"{p:.0f}% ({row['checked']}/{row['total']} checked)"
            for p, row in zip(percents, modules, strict=True)
        ],
    )
    module_ax.set(
        xlim=(0, 140), xticks=range(0, 101, 20), xlabel="Score (% of the module's questions)", ylabel="Module"
    )
    module_ax.set_title("Self-check score per module")
    module_ax.invert_yaxis()

    topic_percents = [100 * score for score in topics.values()]
    weak = [score < WEAK_BELOW for score in topics.values()]
    bars = topic_ax.barh(
        list(topics),
        topic_percents,
        color=["#E69F00" if w else "#0072B2" for w in weak],
        hatch=[("//" if w else "") for w in weak],
    )
    topic_ax.bar_label(
        bars,
        padding=3,
        labels=[f"{p:.0f}%{' (weak)' if w else ''}" for p, w in zip(topic_percents, weak, strict=True)],
    )
    topic_ax.axvline(
        100 * WEAK_BELOW, color="black", linestyle="--", linewidth=1, label=f"weak below {WEAK_BELOW:.0%}"
    )
    topic_ax.set(
        xlim=(0, 140), xticks=range(0, 101, 20), xlabel="Score (% correct, latest attempts)", ylabel="Topic"
    )
    topic_ax.set_title("Topics: weakest first")
    topic_ax.invert_yaxis()
    topic_ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def progress_summary(data: dict, path: Path) -> str:
    """The progress in words (Markdown), for screen readers and for static views of the notebook."""
    modules = module_scores(data)
    if not modules:
        return f"No self-check results saved yet in `{path}`. Answer a self-check and press **Check**."
    lines = [f"**Your saved self-check progress** (from `{path}`):", ""]
    lines += [
        f"- Module {row['module']} · {row['title']}: {100 * row['score']:.0f}% "
        f"({row['checked']} of {row['total']} questions checked)"
        for row in modules
    ]
    weak = weak_topics(data)
    lines += ["", "**Weak topics** (below 70%): " + (", ".join(weak) if weak else "none, well done.")]
    return "\n".join(lines)


def show_progress(path: Path | None = None) -> None:
    """Show saved self-check progress: a summary in words and bar charts of module and topic scores."""
    path = Path(path) if path else progress_path()
    data = load_progress(path)
    display(Markdown(progress_summary(data, path)))
    if module_scores(data):
        import matplotlib.pyplot as plt

        fig = progress_figure(data)
        display(fig)
        plt.close(fig)
