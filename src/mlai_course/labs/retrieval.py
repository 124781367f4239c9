"""Retrieval over the course's own texts: the article's lists, chunked, searched and put into a prompt.

This is the "R" of RAG (retrieval-augmented generation): find the passages that fit a question or a posting,
and put them into the model's prompt, so that it answers from them and cites them.

- `article_lists()` turns the course's tables of the source article (data/*.csv) into the article's lists,
  each with a heading in the course's words around the article's items (the items keep their words):
  "AI Engineer skills required: LLM APIs (OpenAI, Anthropic). RAG systems and vector databases. ...". Where
  the flattened article lost a list's heading, the list's `note` says its heading is the course's reading.
- `article_documents()` joins them into one text per article section.
- Two ways to chunk: `chunk_words(text, size, overlap)` cuts a text into chunks of `size` words, each starting
  `size - overlap` words after the previous one (`chunk_documents` does it for every document; chunks never
  cross sections), and may cut a sentence or a list away from its heading; `chunk_lists(lists, size,
  overlap)` keeps whole items, `size` of them per chunk, each chunk under its list's heading.
- `Retriever(passages)` ranks passages for a question by TF-IDF cosine similarity (scikit-learn's
  `TfidfVectorizer`: words and word pairs, English stop words removed).
- `prompt_passages(results)` writes retrieved passages into a prompt, each with an id to cite:
  `<passage id="P1" section="Skills Comparison">...</passage>`.
- `questions()` loads the course's labelled question set (data/rag_questions.csv): each career question with
  a short answer phrase that a useful passage must contain; `hit_rate` measures the share of questions whose
  answer is in one of the top k passages (hit rate at k).
"""

import re
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from mlai_course.learner.data import load_table

OUR_READING = "its heading is the course's reading: the flattened article lost it"


@dataclass(frozen=True)
class ArticleList:
    """One of the article's lists: its section, a heading in the course's words, its items, a note."""

    section: str
    heading: str
    items: tuple[str, ...]
    note: str = ""

    @property
    def text(self) -> str:
        return f"{self.heading}: {_listed(self.items)}"


@dataclass(frozen=True)
class Passage:
    """A piece of text, the article section it comes from, and a note on it (or "")."""

    section: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Result:
    """A retrieved passage, with its similarity to the question (0 to 1)."""

    section: str
    text: str
    score: float
    note: str = ""


def _listed(items) -> str:
    return " ".join(f"{item.rstrip('.')}." for item in items)


def _usd(amount: int) -> str:
    return f"USD {amount // 1000}K"


def _field(role: str) -> str:
    return role.replace("Engineer", "Engineering")


def _ranked(rows, column: str) -> tuple[str, ...]:
    return tuple(rows.sort_values("rank")[column])


def _note(rows) -> str:
    return "" if rows["heading_in_seed"].all() else OUR_READING


def article_lists(data_dir=None) -> list[ArticleList]:
    """The article's lists, section by section in the article's order, from the course's tables."""
    table = lambda name: load_table(name, data_dir)  # noqa: E731 - a short local alias
    lists = [
        ArticleList(
            "The Core Distinction",
            f"{row.role}, the core distinction",
            (row.definition, row.focus, row.in_short),
        )
        for row in table("role_definitions").itertuples()
    ]
    evolution, focus = table("role_evolution"), table("role_focus")
    for role, rows in evolution.groupby("role", sort=False):
        first = rows.iloc[0]
        focus_list = ", ".join(focus[focus["role"] == role].sort_values("rank")["focus"])
        heading = f"The {role} role ({first.start_year}-present) emerged from {first.emerged_from}"
        steps = tuple(rows.sort_values("step")["driver"]) + (f"Focus on {focus_list}",)
        lists.append(ArticleList("How the Roles Evolved", heading, steps))
    skills = table("skills")
    for role, rows in skills[skills["skill_list"] == "required"].groupby("role", sort=False):
        lists.append(ArticleList("Skills Comparison", f"{role} skills required", _ranked(rows, "skill")))
    overlap = skills[skills["skill_list"] == "overlap"]
    lists.append(ArticleList("Overlap", "Both roles need", _ranked(overlap, "skill")))
    for role, rows in table("daily_tasks").groupby("role", sort=False):
        lists.append(ArticleList("Day-to-Day Comparison", f"{role} typical day", _ranked(rows, "task")))
    pay = table("compensation").sort_values(["level_rank", "role"])
    pay_items = tuple(
        f"{row.level} {row.role}, {_usd(row.low_usd)} to {_usd(row.high_usd)}" for row in pay.itertuples()
    )
    heading = "Pay by level, based on the article's analysis of job postings"
    lists.append(ArticleList("Compensation Comparison", heading, pay_items))
    reasons = table("premium_reasons")
    heading = "ML engineers command a slight premium due to"
    lists.append(ArticleList("Compensation Comparison", heading, _ranked(reasons, "reason")))
    trends, sectors = table("market_trends"), table("hiring_sectors")
    for role, rows in trends.groupby("role", sort=False):
        lists.append(ArticleList("Job Market Dynamics", f"{role} market trends", _ranked(rows, "trend")))
        hires = sectors[sectors["role"] == role]
        heading = f"Who hires {role}s"
        lists.append(ArticleList("Job Market Dynamics", heading, _ranked(hires, "sector"), OUR_READING))
    for role, rows in table("choose_if").groupby("role", sort=False):
        heading = f"Choose {_field(role)} if"
        lists.append(ArticleList("Which Should You Choose?", heading, _ranked(rows, "statement")))
    for (from_role, to_role), rows in table("career_switch").groupby(["from_role", "to_role"], sort=False):
        heading = f"Switching from {from_role} to {to_role}"
        lists.append(ArticleList("Career Switching", heading, _ranked(rows, "point"), _note(rows)))
    lists.append(ArticleList("The Blurring Line", "At senior levels", ("The distinction often blurs",)))
    for role, rows in skills[skills["skill_list"] == "senior_blurring"].groupby("role", sort=False):
        heading = f"Senior {role}s increasingly need"
        lists.append(ArticleList("The Blurring Line", heading, _ranked(rows, "skill"), _note(rows)))
    for role, rows in table("interview_topics").groupby("role", sort=False):
        lists.append(ArticleList("Interview Differences", f"{role} interviews", _ranked(rows, "topic")))
    for role, rows in table("future_predictions").groupby("role", sort=False):
        heading = f"{_field(role)} in the next 2-3 years"
        lists.append(ArticleList("The Future", heading, _ranked(rows, "prediction"), _note(rows)))
    return lists


def article_documents(data_dir=None) -> list[Passage]:
    """One passage per article section: its lists, one after the other."""
    documents = {}
    for article_list in article_lists(data_dir):
        documents.setdefault(article_list.section, []).append(article_list)
    return [
        Passage(section, " ".join(item.text for item in lists), "; ".join(i.note for i in lists if i.note))
        for section, lists in documents.items()
    ]


def _windows(items: list, size: int, overlap: int, unit: str) -> list[list]:
    """Consecutive runs of `size` items, each starting `size - overlap` items after the one before."""
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"chunk size must be a whole number of {unit}, at least 1, not {size!r}")
    if not isinstance(overlap, int) or not 0 <= overlap < size:
        raise ValueError(f"overlap must be a whole number from 0 to size - 1 ({size - 1}), not {overlap!r}")
    windows = []
    for start in range(0, len(items), size - overlap):
        windows.append(items[start : start + size])
        if start + size >= len(items):
            break
    return windows


def chunk_words(text: str, size: int, overlap: int = 0) -> list[str]:
    """Cut `text` into chunks of `size` words; each repeats the last `overlap` words of the one before."""
    return [" ".join(words) for words in _windows(text.split(), size, overlap, "words")]


def chunk_documents(documents: list[Passage], size: int, overlap: int = 0) -> list[Passage]:
    """Every document cut into chunks of words; each chunk keeps its document's section and note."""
    return [
        Passage(document.section, chunk, document.note)
        for document in documents
        for chunk in chunk_words(document.text, size, overlap)
    ]


def chunk_lists(lists: list[ArticleList], size: int, overlap: int = 0) -> list[Passage]:
    """Every list cut into chunks of `size` whole items (repeating the last `overlap` items of the chunk
    before), each chunk under its list's heading: no item is cut, and none loses its heading."""
    return [
        Passage(article_list.section, f"{article_list.heading}: {_listed(items)}", article_list.note)
        for article_list in lists
        for items in _windows(list(article_list.items), size, overlap, "items")
    ]


def prompt_passages(results) -> str:
    """Retrieved passages written for a prompt, numbered P1, P2, ... in the order given, so that an answer
    can cite them: `<passage id="P1" section="Skills Comparison">...</passage>`, one per line."""
    return "\n".join(
        f'<passage id="P{number}" section="{escape(result.section)}">{result.text}</passage>'
        for number, result in enumerate(results, start=1)
    )


class Retriever:
    """Rank passages for a question by TF-IDF cosine similarity.

    `search` remembers its recent answers (the same question and k give the same passages), so that an
    application asked about one posting again does not search again.
    """

    def __init__(self, passages: list[Passage]):
        if not passages:
            raise ValueError("a retriever needs at least one passage")
        self.passages = list(passages)
        self.vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([passage.text for passage in self.passages])
        self.recent = {}

    def search(self, question: str, k: int = 3) -> list[Result]:
        """The `k` passages most similar to `question`, best first (ties keep the passages' order)."""
        key = (question, k)
        if key not in self.recent:
            if len(self.recent) >= 2000:
                self.recent.clear()
            self.recent[key] = self.search_many([question], k)[0]
        return list(self.recent[key])

    def search_many(self, questions: list[str], k: int = 3) -> list[list[Result]]:
        """`search` for many questions at once (faster: one matrix product)."""
        if not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a whole number, at least 1, not {k!r}")
        scores = linear_kernel(self.vectorizer.transform(list(questions)), self.matrix)
        results = []
        for row in scores:
            order = np.argsort(-row, kind="stable")[:k]
            found = [self.passages[i] for i in order]
            results.append(
                [Result(p.section, p.text, float(row[i]), p.note) for p, i in zip(found, order, strict=True)]
            )
        return results


def normalise(text: str) -> str:
    """Lower case, one space between words: how answers are compared with passages."""
    return re.sub(r"\s+", " ", text).strip().lower()


def contains_answer(text: str, answer: str) -> bool:
    return normalise(answer) in normalise(text)


def questions(data_dir=None) -> pd.DataFrame:
    """The course's labelled career questions (data/rag_questions.csv)."""
    return load_table("rag_questions", data_dir)


def hit_rate(retriever: Retriever, question_table: pd.DataFrame, k: int) -> float:
    """Share of questions whose answer phrase is in one of the top `k` passages."""
    if question_table.empty:
        raise ValueError("no questions to measure on")
    found = retriever.search_many(question_table["question"].tolist(), k)
    hits = [
        any(contains_answer(result.text, answer) for result in results)
        for results, answer in zip(found, question_table["answer"], strict=True)
    ]
    return sum(hits) / len(hits)


CHUNKERS = {"words": chunk_documents, "items": chunk_lists}


def chunking_sweep(texts, question_table: pd.DataFrame, sizes, overlaps, k: int = 1, unit: str = "words"):
    """Hit rate at k and words sent per question, for each chunk size and overlap (a share of the size).

    `unit` "words" cuts documents (article_documents) into chunks of words; "items" cuts lists
    (article_lists) into chunks of whole items under their heading.
    """
    if unit not in CHUNKERS:
        raise ValueError(f"unit must be one of {sorted(CHUNKERS)}, not {unit!r}")
    rows = []
    for size in sizes:
        for overlap_share in overlaps:
            overlap = int(size * overlap_share)
            chunks = CHUNKERS[unit](texts, size, overlap)
            retriever = Retriever(chunks)
            found = retriever.search_many(question_table["question"].tolist(), k)
            rows.append(
                {
                    "unit": unit,
                    "chunk_size": size,
                    "overlap": overlap,
                    "chunks": len(chunks),
                    f"hit_rate_at_{k}": hit_rate(retriever, question_table, k),
                    "context_words": sum(len(r.text.split()) for results in found for r in results)
                    / len(found),
                }
            )
    return pd.DataFrame(rows)
