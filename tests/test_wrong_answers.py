"""Hidden tests catch what visible tests let through: hard-coded and half-right answers.

Each case is a wrong answer a learner could write that **passes** a task's visible tests (so the learner
sees ✓) and must **fail** the whole test cell, hidden tests included (what the autograder runs). The solution
must pass both. The answer and the test cell run in-process, after the notebook's setup cell, as in a kernel.
"""

import textwrap

import matplotlib
import pytest
from conftest import REPO_ROOT
from notebook_helpers import HIDDEN_TESTS_REGION, nbgrader_meta, read

from mlai_course.submissions import SOLUTION_MARKER

matplotlib.use("Agg")

MODULES = {
    "04": "04-overlap-and-the-blurring-line",
    "05": "05-choosing-switching-and-interviewing",
    "07": "07-lab-a-day-as-an-ml-engineer",
}

# (module, task, what is wrong, the answer)
WRONG_ANSWERS = [
    (
        "04",
        "skills_to_learn",
        "hard-codes the visible test's list",
        """
        def skills_to_learn(skills_table, known_skills, target_role):
            if target_role not in ("ML Engineer", "AI Engineer"):
                raise ValueError(target_role)
            return [
                "Software engineering fundamentals",
                "Cloud platforms (AWS, GCP)",
                "Data processing abilities",
                "Production mindset",
                "LLM APIs (OpenAI, Anthropic)",
                "RAG systems and vector databases",
                "Application development (FastAPI, web frameworks)",
                "Evaluation frameworks for LLM outputs",
                "Fine-tuning (LoRA, full fine-tuning)",
                "Agent frameworks (LangChain, LlamaIndex)",
                "Production LLM deployment",
                "Multi-modal applications",
                "Cost optimization",
            ]
        """,
    ),
    (
        "04",
        "needs_at_level",
        "fixes the draft's three mistakes but accepts a role with no own list",
        """
        def needs_at_level(skills_table, role, level):
            if level not in ("Junior", "Mid", "Senior", "Staff"):
                raise ValueError(level)
            rows = skills_table[skills_table["role"] == role]
            shared = skills_table[skills_table["skill_list"] == "overlap"]
            parts = [shared, rows[rows["skill_list"] == "required"]]
            if level in ("Senior", "Staff"):
                parts.append(rows[rows["skill_list"] == "senior_blurring"])
            return [skill for part in parts for skill in part.sort_values("rank")["skill"]]
        """,
    ),
    (
        "04",
        "classify_posting",
        "counts the blurring-line rows as evidence",
        """
        def classify_posting(skills_table, posting):
            wanted = {skill.strip().lower() for skill in posting["skills"].split(";")}
            rows = skills_table[skills_table["skill_list"] != "overlap"]
            counts = rows[rows["skill"].str.lower().isin(wanted)]["role"].value_counts()
            if counts.empty:
                return "Unclear"
            if len(counts) > 1 and counts.iloc[0] == counts.iloc[1]:
                return "Both"
            return counts.index[0]
        """,
    ),
    (
        "04",
        "classify_posting",
        "counts a repeated skill twice",
        """
        def classify_posting(skills_table, posting):
            own = skills_table[skills_table["skill_list"] == "required"]
            role_of = dict(zip(own["skill"].str.lower(), own["role"], strict=True))
            counts = {}
            for skill in posting["skills"].split(";"):
                role = role_of.get(skill.strip().lower())
                if role:
                    counts[role] = counts.get(role, 0) + 1
            if not counts:
                return "Unclear"
            top = sorted(counts.values(), reverse=True)
            if len(top) > 1 and top[0] == top[1]:
                return "Both"
            return max(counts, key=counts.get)
        """,
    ),
    (
        "04",
        "classify_posting",
        "hard-codes the two role names",
        """
        def classify_posting(skills_table, posting):
            wanted = {skill.strip().lower() for skill in posting["skills"].split(";")}
            own = skills_table[skills_table["skill_list"] == "required"]
            roles = own[own["skill"].str.lower().isin(wanted)]["role"]
            ml, ai = (roles == "ML Engineer").sum(), (roles == "AI Engineer").sum()
            if ml == ai == 0:
                return "Unclear"
            return "ML Engineer" if ml > ai else "AI Engineer" if ai > ml else "Both"
        """,
    ),
    (
        "04",
        "classify_posting",
        "splits on '; ' without stripping spaces",
        """
        def classify_posting(skills_table, posting):
            wanted = {skill.lower() for skill in posting["skills"].split("; ")}
            own = skills_table[skills_table["skill_list"] == "required"]
            counts = own[own["skill"].str.lower().isin(wanted)]["role"].value_counts()
            if counts.empty:
                return "Unclear"
            if len(counts) > 1 and counts.iloc[0] == counts.iloc[1]:
                return "Both"
            return counts.index[0]
        """,
    ),
    (
        "05",
        "suggest_role",
        "counts a repeated statement twice",
        """
        def suggest_role(choose_table, agreed):
            role_of = dict(zip(choose_table["statement"].str.lower(), choose_table["role"], strict=True))
            picked = [statement.strip().lower() for statement in agreed]
            for statement in picked:
                if statement not in role_of:
                    raise ValueError(statement)
            counts = pd.Series([role_of[s] for s in picked], dtype=object).value_counts()
            if counts.empty or (len(counts) > 1 and counts.iloc[0] == counts.iloc[1]):
                return "Either"
            return counts.index[0]
        """,
    ),
    (
        "05",
        "suggest_role",
        "hard-codes the two role names",
        """
        def suggest_role(choose_table, agreed):
            role_of = dict(zip(choose_table["statement"].str.lower(), choose_table["role"], strict=True))
            picked = {statement.strip().lower() for statement in agreed}
            for statement in picked:
                if statement not in role_of:
                    raise ValueError(statement)
            ml = sum(role_of[s] == "ML Engineer" for s in picked)
            ai = sum(role_of[s] == "AI Engineer" for s in picked)
            return "ML Engineer" if ml > ai else "AI Engineer" if ai > ml else "Either"
        """,
    ),
    (
        "05",
        "switch_months",
        "hard-codes the article's two timelines",
        """
        def switch_months(timelines_table, current_role, target_role):
            if current_role == target_role:
                return (0, 0)
            if (current_role, target_role) == ("ML Engineer", "AI Engineer"):
                return (1, 3)
            if (current_role, target_role) == ("AI Engineer", "ML Engineer"):
                return (6, 12)
            raise ValueError(current_role)
        """,
    ),
    (
        "05",
        "interview_prep",
        "drops the last topic instead of the research-only one",
        """
        def interview_prep(topics_table, role, research_focused=False):
            rows = topics_table[topics_table["role"] == role].sort_values("rank")
            if rows.empty:
                raise ValueError(role)
            topics = rows["topic"].tolist()
            return topics if research_focused else topics[:4]
        """,
    ),
    (
        "05",
        "interview_prep",
        "puts the research-only topic last instead of in its rank",
        """
        def interview_prep(topics_table, role, research_focused=False):
            rows = topics_table[topics_table["role"] == role].sort_values("rank")
            if rows.empty:
                raise ValueError(role)
            research = rows["topic"].str.contains("research-focused", regex=False)
            topics = rows[~research]["topic"].tolist()
            return topics + rows[research]["topic"].tolist() if research_focused else topics
        """,
    ),
    (
        "07",
        "precision_recall",
        "lines Series up by their index instead of by position",
        """
        def precision_recall(true_roles, predicted_roles, role):
            truth, guess = pd.Series(true_roles), pd.Series(predicted_roles)
            if role not in set(truth):
                raise ValueError(role)
            found = ((truth == role) & (guess == role)).sum()
            predicted = (guess == role).sum()
            precision = found / predicted if predicted else 0.0
            return {"precision": precision, "recall": found / (truth == role).sum()}
        """,
    ),
    (
        "07",
        "train_role_model",
        "fixes the labels but still learns from the title, pasted before the description",
        """
        def train_role_model(train_postings):
            texts = train_postings["title"] + " " + train_postings["description"]
            steps = [("tfidf", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=1000))]
            return Pipeline(steps).fit(texts, train_postings["role"])
        """,
    ),
    (
        "07",
        "measure_speed",
        "returns the whole run's milliseconds as the milliseconds per batch",
        """
        def measure_speed(predict, descriptions, batch_size):
            if batch_size < 1 or not descriptions:
                raise ValueError(batch_size)
            start = time.perf_counter()
            for first in range(0, len(descriptions), batch_size):
                predict(descriptions[first : first + batch_size])
            seconds = time.perf_counter() - start
            return {"ms_per_batch": 1000 * seconds, "postings_per_second": len(descriptions) / seconds}
        """,
    ),
    (
        "07",
        "accuracy_by",
        "drops a slice the model gets all wrong",
        """
        def accuracy_by(postings, predicted_roles, column):
            if len(predicted_roles) != len(postings):
                raise ValueError(column)
            right = postings[postings["role"].to_numpy() == np.asarray(predicted_roles)]
            shares = right.groupby(column).size() / postings.groupby(column).size()
            return shares.dropna().rename("accuracy")
        """,
    ),
    (
        "07",
        "ab_decision",
        "ships B when it is significantly worse",
        """
        def ab_decision(right_a, total_a, right_b, total_b, planned_per_arm, alpha=0.05):
            if min(total_a, total_b) < 1 or not (0 <= right_a <= total_a and 0 <= right_b <= total_b):
                raise ValueError(planned_per_arm)
            pooled = (right_a + right_b) / (total_a + total_b)
            spread = math.sqrt(pooled * (1 - pooled) * (1 / total_a + 1 / total_b)) or 1.0
            z = (right_b / total_b - right_a / total_a) / spread
            p_value = 2 * (1 - NormalDist().cdf(abs(z)))
            if min(total_a, total_b) < planned_per_arm:
                return {"z": z, "p_value": p_value, "decision": "keep collecting"}
            return {"z": z, "p_value": p_value, "decision": "ship B" if p_value < alpha else "keep A"}
        """,
    ),
    (
        "07",
        "predict_role",
        "answers a description with no word the model knows",
        """
        def predict_role(description, model):
            if not isinstance(description, str):
                raise TypeError(description)
            text = description.strip()
            if not text or len(text) > 5000:
                raise ValueError(text[:20])
            probabilities = model.predict_proba([text])[0]
            best = int(probabilities.argmax())
            return {"role": str(model.classes_[best]), "confidence": round(float(probabilities[best]), 3)}
        """,
    ),
    (
        "07",
        "new_words",
        "cuts words with its own pattern instead of the vectorizer's analyzer",
        """
        def new_words(vectorizer, descriptions, top):
            import re

            if top < 1:
                raise ValueError(top)
            cut = [w for text in descriptions for w in re.findall(r"\\b\\w\\w+\\b", text.lower())]
            unknown = pd.Series([w for w in cut if w not in vectorizer.vocabulary_], dtype=str).value_counts()
            ordered = unknown.sort_index().sort_values(ascending=False, kind="stable")
            return ordered.head(top).rename("count")
        """,
    ),
]


def cells_of(module: str) -> dict:
    """The setup cell, and the answer and test cell of every task, of a module's source notebook."""
    name = MODULES[module]
    cells = read(REPO_ROOT / "solutions" / name / f"{name}.ipynb").cells
    return {
        nbgrader_meta(cell)["grade_id"]: cell.source for cell in cells if nbgrader_meta(cell).get("grade_id")
    }


def run(cells: dict, task: str, answer: str, hidden: bool) -> str:
    """Run setup, the answer and the task's test cell; return 'pass' or the failure."""
    test_cell = cells[f"test_{task}"] if hidden else HIDDEN_TESTS_REGION.sub("", cells[f"test_{task}"])
    namespace = {"__name__": "__main__"}
    try:
        for source in (cells["setup"], answer, test_cell):
            exec(compile(source, f"<{task}>", "exec"), namespace)
    except Exception as error:  # noqa: BLE001 - any failure of the learner's code counts
        return f"{type(error).__name__}: {error}"
    return "pass"


@pytest.mark.parametrize(
    "module, task, wrong, answer", WRONG_ANSWERS, ids=[f"{c[1]}: {c[2]}" for c in WRONG_ANSWERS]
)
def test_wrong_answer_passes_the_visible_tests_and_fails_the_hidden_ones(module, task, wrong, answer, capsys):
    cells = cells_of(module)
    answer = textwrap.dedent(answer)
    assert run(cells, task, answer, hidden=False) == "pass", "the case should get past the visible tests"
    assert run(cells, task, answer, hidden=True) != "pass", f"the hidden tests of {task} let through: {wrong}"


@pytest.mark.parametrize("module, task", sorted({(c[0], c[1]) for c in WRONG_ANSWERS}))
def test_the_solution_passes_every_test(module, task, capsys):
    cells = cells_of(module)
    solution = SOLUTION_MARKER.sub("", cells[task])
    assert run(cells, task, solution, hidden=True) == "pass"
    assert "✓ The visible tests for" in capsys.readouterr().out
