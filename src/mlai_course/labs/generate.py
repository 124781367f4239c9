"""Make SYNTHETIC job postings with a free-text description, labelled by the work they describe.

No real posting is behind any of them. Each description is assembled from sentences built on the source
article's lists, read from the course's tables in data/ (checked by their schemas on the way in):

- the work: the role's required skills (skills.csv, `required`) and its typical-day tasks (daily_tasks.csv);
- the skills both roles need (skills.csv, `overlap`);
- at Senior and Staff level, the role's "blurring line" list (skills.csv, `senior_blurring`), which names
  skills that sound like the *other* role's;
- sometimes one "nice to have" skill from the other role's list;
- filler sentences about the team and the offer, and a few typos.

The **label** (`role`) is the role whose work the description holds. The **title** names a role too, and in
a stated share of postings (`Batch.title_disagrees`) it names the other one: the article's first line says
the two titles "often appear interchangeable", so the title is not the label.

Two batches are made the same way but differ in a documented way (the drift the ML-engineer lab detects):

- THIS_QUARTER: half the postings are AI engineering work, 20% of titles disagree with the work.
- NEXT_QUARTER: 65% AI engineering work, 30% of titles disagree, and 80% of the AI engineer's skill and task
  phrases are reworded in words the first batch never uses (REWORDED, the course's own invented wording).

Everything else (templates, mix, counts, typo rate, the rewording) is the course's own invention.
The output is the same on every run and platform: only random.Random(seed).random() is used, whose sequence
Python keeps stable. tools/generate_lab_postings.py writes the two committed files.
"""

import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mlai_course.learner.data import load_table
from mlai_course.learner.schemas import ROLES

ML, AI = ROLES
LEVEL_WEIGHTS = {"Junior": 3, "Mid": 4, "Senior": 3, "Staff": 1}
TITLE_NAMES = {ML: ("ML Engineer", "Machine Learning Engineer"), AI: ("AI Engineer", "Applied AI Engineer")}
# How many sentences describe the role's own work, and how often.
WORK_ITEM_WEIGHTS = {1: 4, 2: 3, 3: 2, 4: 1}
TASK_SHARE = 0.35  # a work sentence is a typical-day task this often, otherwise a required skill
NICE_TO_HAVE_SHARE = 0.5  # one skill from the other role's list, as a "nice to have"
TYPO_SHARE = 0.05  # of the words with five letters or more
COLUMNS = ("posting_id", "split", "title", "title_role", "level", "description", "role")

SKILL_TEMPLATES = (
    "Experience with {s} is required.",
    "You bring solid {s}.",
    "You will own {s}.",
    "We need someone strong in {s}.",
    "Hands-on {s} is a must.",
    "Day to day this role covers {s}.",
    "You know {s} well.",
)
TASK_TEMPLATES = (
    "On a typical day you {s}.",
    "You will {s}.",
    "Expect to {s} every week.",
    "Part of the job: {s}.",
)
OVERLAP_TEMPLATES = ("{S}.", "We value {s}.", "We look for {s}.", "You bring {s}.")
NICE_TO_HAVE_TEMPLATES = ("Nice to have: {s}.", "Bonus if you have touched {s}.", "A plus: {s}.")
SENIOR_TEMPLATES = ("At this level you also bring {s}.", "Seniors here need {s}.")
FILLER = (
    "We are a small, friendly team.",
    "Hybrid work, two days a week in the office.",
    "Competitive salary and a yearly learning budget.",
    "You will join a team of eight engineers.",
    "We ship every week and review every change.",
    "Flexible hours and a calm on-call rotation.",
    "Visa sponsorship is available.",
    "Apply with your CV and a short note.",
    "Our offices are near the station.",
    "We care about code review and testing.",
    "Parental leave and a home-office budget.",
    "Join us and grow with the company.",
)
# The drift: next quarter's words for the AI engineer's skills and tasks (the course's own invention).
REWORDED = {
    "LLM APIs (OpenAI, Anthropic)": "hosted foundation model endpoints",
    "RAG systems and vector databases": "retrieval layers over embedding stores",
    "Prompt engineering": "context engineering",
    "Application development (FastAPI, web frameworks)": "assistant features shipped end to end",
    "Evaluation frameworks for LLM outputs": "eval suites for generated answers",
    "Fine-tuning (LoRA, full fine-tuning)": "adapter tuning of hosted models",
    "Agent frameworks (LangChain, LlamaIndex)": "agentic workflows with tool calling",
    "Production LLM deployment": "running assistants in production",
    "Multi-modal applications": "vision and voice assistants",
    "Cost optimization": "keeping spend per request down",
    "Improve RAG retrieval accuracy by tuning chunking": (
        "make grounded answers more accurate by tuning how documents are split"
    ),
    "Debug an LLM chain that's producing inconsistent outputs": (
        "debug an agent that answers differently on every run"
    ),
    "Implement guardrails for production chatbot": "add safety checks to the customer assistant",
    "Optimize prompt to reduce token costs": "trim the context to cut spend per request",
    "Integrate new AI capability into product feature": "ship a new assistant capability in the app",
    "Build evaluation dataset for LLM quality": "curate test cases for answer quality",
}


@dataclass(frozen=True)
class Batch:
    """How a batch of postings is mixed: the share of AI work, of disagreeing titles, of reworded phrases."""

    name: str
    ai_share: float
    title_disagrees: float
    reworded: float


THIS_QUARTER = Batch("this quarter", ai_share=0.5, title_disagrees=0.2, reworded=0.0)
NEXT_QUARTER = Batch("next quarter", ai_share=0.65, title_disagrees=0.3, reworded=0.8)
BATCHES = {"this": THIS_QUARTER, "next": NEXT_QUARTER}


@dataclass(frozen=True)
class CommittedFile:
    """A committed batch: its table name in data/ and how it is made."""

    table: str
    batch: Batch
    count: int
    seed: int
    test_count: int
    first_id: int


# The two files in data/. Next quarter's "train" rows are the sample the team labels to retrain on; its "test"
# rows measure the recovery. This quarter's "test" rows are the fixed test set both labs compare on.
COMMITTED_FILES = (
    CommittedFile("lab_postings_synthetic", THIS_QUARTER, count=1000, seed=7, test_count=300, first_id=1),
    CommittedFile(
        "lab_postings_next_quarter_synthetic", NEXT_QUARTER, count=500, seed=8, test_count=300, first_id=1001
    ),
)


@dataclass(frozen=True)
class ArticleLists:
    """The article's lists the descriptions are built from, read from the course's tables."""

    required: dict  # role -> skills
    tasks: dict  # role -> typical-day tasks
    overlap: list
    senior: dict  # role -> "blurring line" skills

    @classmethod
    def load(cls, data_dir: Path | None = None) -> "ArticleLists":
        skills = load_table("skills", data_dir).sort_values(["role", "skill_list", "rank"])
        tasks = load_table("daily_tasks", data_dir).sort_values(["role", "rank"])

        def skill_list(role, name):
            return skills[(skills["role"] == role) & (skills["skill_list"] == name)]["skill"].tolist()

        return cls(
            required={role: skill_list(role, "required") for role in ROLES},
            tasks={role: tasks[tasks["role"] == role]["task"].tolist() for role in ROLES},
            overlap=skill_list("Both", "overlap"),
            senior={role: skill_list(role, "senior_blurring") for role in ROLES},
        )


def below(rng: random.Random, n: int) -> int:
    """A whole number from 0 to n - 1."""
    return int(rng.random() * n)


def pick(rng: random.Random, items):
    return items[below(rng, len(items))]


def pick_weighted(rng: random.Random, weights: dict):
    point = rng.random() * sum(weights.values())
    for item, weight in weights.items():
        point -= weight
        if point < 0:
            return item
    return item


def pick_distinct(rng: random.Random, items: list, count: int) -> list:
    """`count` different items (all of them if there are fewer), in random order."""
    pool = list(items)
    chosen = []
    while pool and len(chosen) < count:
        chosen.append(pool.pop(below(rng, len(pool))))
    return chosen


def shuffled(rng: random.Random, items: list) -> list:
    return pick_distinct(rng, items, len(items))


def in_sentence(phrase: str) -> str:
    """The phrase as it reads inside a sentence: first letter lower case, unless it starts an acronym."""
    first_word = phrase.split()[0]
    if sum(char.isupper() for char in first_word) >= 2:
        return phrase
    return phrase[0].lower() + phrase[1:]


def fill(rng: random.Random, templates: tuple, phrase: str) -> str:
    words = in_sentence(phrase)
    return pick(rng, templates).format(s=words, S=words[0].upper() + words[1:])


def typo(rng: random.Random, word: str) -> str:
    """The word with one letter swapped with the next, dropped or doubled."""
    position = 1 + below(rng, len(word) - 2)
    kind = below(rng, 3)
    if kind == 0:
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    if kind == 1:
        return word[:position] + word[position + 1 :]
    return word[:position] + word[position] + word[position:]


def add_typos(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for index, word in enumerate(words):
        if len(word) >= 5 and word.isalpha() and rng.random() < TYPO_SHARE:
            words[index] = typo(rng, word)
    return " ".join(words)


def reword(rng: random.Random, phrase: str, batch: Batch) -> str:
    """Next quarter's wording of an AI engineer's phrase, in the batch's share of cases."""
    if phrase in REWORDED and batch.reworded and rng.random() < batch.reworded:
        return REWORDED[phrase]
    return phrase


def description(rng: random.Random, lists: ArticleLists, role: str, level: str, batch: Batch) -> str:
    other = AI if role == ML else ML
    work_count = pick_weighted(rng, WORK_ITEM_WEIGHTS)
    task_count = sum(rng.random() < TASK_SHARE for _ in range(work_count))
    sentences = [
        fill(rng, SKILL_TEMPLATES, reword(rng, skill, batch))
        for skill in pick_distinct(rng, lists.required[role], work_count - task_count)
    ]
    sentences += [
        fill(rng, TASK_TEMPLATES, reword(rng, task, batch))
        for task in pick_distinct(rng, lists.tasks[role], task_count)
    ]
    overlap = pick_distinct(rng, lists.overlap, below(rng, 3))
    sentences += [fill(rng, OVERLAP_TEMPLATES, skill) for skill in overlap]
    if level in {"Senior", "Staff"}:
        senior = pick_distinct(rng, lists.senior[role], below(rng, 3))
        sentences += [fill(rng, SENIOR_TEMPLATES, skill) for skill in senior]
    if rng.random() < NICE_TO_HAVE_SHARE:
        extra = reword(rng, pick(rng, lists.required[other]), batch)
        sentences.append(fill(rng, NICE_TO_HAVE_TEMPLATES, extra))
    sentences += pick_distinct(rng, list(FILLER), 1 + below(rng, 3))
    return add_typos(rng, " ".join(shuffled(rng, sentences)))


def generate_rows(
    count: int,
    seed: int,
    batch: Batch = THIS_QUARTER,
    *,
    test_count: int = 0,
    first_id: int = 1,
    lists: ArticleLists | None = None,
) -> list[tuple]:
    """`count` postings as tuples in COLUMNS order; `test_count` random ones in split 'test'."""
    if not 0 <= test_count <= count:
        raise ValueError(f"test_count must be between 0 and count ({count}), not {test_count}")
    lists = lists or ArticleLists.load()
    rng = random.Random(seed)
    rows = []
    for offset in range(count):
        role = AI if rng.random() < batch.ai_share else ML
        level = pick_weighted(rng, LEVEL_WEIGHTS)
        title_role = (ML if role == AI else AI) if rng.random() < batch.title_disagrees else role
        name = pick(rng, TITLE_NAMES[title_role])
        title = name if level == "Mid" else f"{level} {name}"
        text = description(rng, lists, role, level, batch)
        rows.append([first_id + offset, "train", title, title_role, level, text, role])
    for index in pick_distinct(rng, list(range(count)), test_count):
        rows[index][1] = "test"
    return [tuple(row) for row in rows]


def make_postings(
    count: int, seed: int, quarter: str = "this", *, test_count: int = 0, data_dir: Path | None = None
) -> pd.DataFrame:
    """A fresh batch of synthetic postings as a DataFrame with the committed files' columns.

    `quarter` is "this" (like data/lab_postings_synthetic.csv) or "next" (drifted, like the next-quarter
    file). Other seeds give other postings made the same way: the labs' hidden tests use them.
    """
    if quarter not in BATCHES:
        raise ValueError(f"quarter must be one of {sorted(BATCHES)}, not {quarter!r}")
    rows = generate_rows(
        count, seed, BATCHES[quarter], test_count=test_count, lists=ArticleLists.load(data_dir)
    )
    return pd.DataFrame(rows, columns=list(COLUMNS))
