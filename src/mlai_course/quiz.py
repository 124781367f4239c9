"""Self-check quizzes shown with ipywidgets, read from data/quiz_banks/."""

import ipywidgets as widgets
import yaml
from IPython.display import display

from mlai_course.data import DataFileError, data_path


def load_bank(module_id: str) -> dict:
    """Load the question bank for a module, e.g. '01'."""
    folder = data_path("quiz_banks")
    matches = sorted(folder.glob(f"{module_id}-*.yaml"))
    if len(matches) != 1:
        raise DataFileError(
            f"{folder}: expected one question bank for module {module_id}, found {len(matches)}"
        )
    with matches[0].open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def single_choice(question: dict) -> widgets.VBox:
    """One single-choice question with a Check button and written feedback."""
    texts = [option["text"] for option in question["options"]]
    choice = widgets.RadioButtons(options=texts, value=None, layout=widgets.Layout(width="auto"))
    check = widgets.Button(description="Check", tooltip="Check your answer")
    feedback = widgets.HTML()

    def on_check(_button):
        if choice.value is None:
            feedback.value = "<p>Choose an answer first.</p>"
            return
        option = question["options"][texts.index(choice.value)]
        verdict = "Correct" if option["correct"] else "Not quite"
        feedback.value = f"<p><strong>{verdict}.</strong> {option['explanation']}</p>"

    check.on_click(on_check)
    return widgets.VBox(
        [widgets.HTML(f"<p><strong>{question['prompt']}</strong></p>"), choice, check, feedback]
    )


def show_self_check(module_id: str) -> widgets.VBox:
    """Display the self-check for a module and return its widget."""
    bank = load_bank(module_id)
    box = widgets.VBox(
        [widgets.HTML(f"<h3>Self-check: {bank['title']}</h3>")]
        + [single_choice(question) for question in bank["questions"]]
    )
    display(box)
    return box
