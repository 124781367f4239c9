"""Retrieval over the course's own texts: the article's tables turned into passages, chunked and searched.

This is the "R" of RAG (retrieval-augmented generation): find the passages that answer a question, so an
application can show them, or put them into a prompt.

- `article_documents()` turns the course's tables of the source article (data/*.csv) into one readable text
  per article section, in the course's own words around the article's lists (the lists keep their words).
  Where a heading was lost in the flattened article, the text says the split is the course's reading.
- `chunk_words(text, size, overlap)` cuts a text into chunks of `size` words, each starting `size - overlap`
  words after the previous one; `chunk_documents` does it for every document (chunks never cross sections).
- `Retriever(passages)` ranks passages for a question by TF-IDF cosine similarity (scikit-learn's
  `TfidfVectorizer`: words and word pairs, English stop words removed).
- `questions()` loads the course's labelled question set (data/rag_questions.csv): each career question with
  a short answer phrase that a useful passage must contain; `hit_rate` measures the share of questions whose
  answer is in one of the top k passages (hit rate at k).
"""

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from mlai_course.learner.data import load_table

OUR_READING = "(heading lost in the flattened article: the course's reading)"


@dataclass(frozen=True)
class Passage:
    """A piece of text and the article section it comes from."""

    section: str
    text: str


@dataclass(frozen=True)
class Result:
    """A retrieved passage, with its similarity to the question (0 to 1)."""

    section: str
    text: str
    score: float


def _listed(items) -> str:
    return " ".join(f"{item}." for item in items)


def _usd(amount: int) -> str:
    return f"USD {amount // 1000}K"


def article_documents(data_dir=None) -> list[Passage]:
    """One passage per article section, written from the course's tables of the article."""
    table = lambda name: load_table(name, data_dir)  # noqa: E731 - a short local alias
    documents = []

    definitions = table("role_definitions")
    documents.append(
        Passage(
            "The Core Distinction",
            " ".join(
                f"{row.role}: {row.definition} {row.focus} {row.in_short}" for row in definitions.itertuples()
            ),
        )
    )

    evolution, focus = table("role_evolution"), table("role_focus")
    parts = []
    for role, rows in evolution.groupby("role", sort=False):
        first = rows.iloc[0]
        parts.append(
            f"{role} ({first.start_year}-present): the role emerged from {first.emerged_from}. "
            + _listed(rows.sort_values("step")["driver"])
            + f" {role} focus: "
            + ", ".join(focus[focus["role"] == role].sort_values("rank")["focus"])
            + "."
        )
    documents.append(Passage("How the Roles Evolved", " ".join(parts)))

    skills = table("skills")
    required = skills[skills["skill_list"] == "required"]
    documents.append(
        Passage(
            "Skills Comparison",
            " ".join(
                f"{role} skills required: " + _listed(rows.sort_values("rank")["skill"])
                for role, rows in required.groupby("role", sort=False)
            ),
        )
    )
    overlap = skills[skills["skill_list"] == "overlap"].sort_values("rank")
    documents.append(Passage("Overlap", "Both roles need: " + _listed(overlap["skill"])))

    tasks = table("daily_tasks")
    documents.append(
        Passage(
            "Day-to-Day Comparison",
            " ".join(
                f"{role} typical day: " + _listed(rows.sort_values("rank")["task"])
                for role, rows in tasks.groupby("role", sort=False)
            ),
        )
    )

    pay, reasons = table("compensation"), table("premium_reasons")
    documents.append(
        Passage(
            "Compensation Comparison",
            "Pay by level, based on the article's analysis of job postings: "
            + " ".join(
                f"{row.level} {row.role}: {_usd(row.low_usd)} to {_usd(row.high_usd)}."
                for row in pay.sort_values(["level_rank", "role"]).itertuples()
            )
            + " ML engineers command a slight premium due to: "
            + _listed(reasons.sort_values("rank")["reason"]),
        )
    )

    trends, sectors = table("market_trends"), table("hiring_sectors")
    documents.append(
        Passage(
            "Job Market Dynamics",
            " ".join(
                f"{role} market trends: "
                + _listed(rows.sort_values("rank")["trend"])
                + f" Who hires {role}s {OUR_READING}: "
                + _listed(sectors[sectors["role"] == role].sort_values("rank")["sector"])
                for role, rows in trends.groupby("role", sort=False)
            ),
        )
    )

    choose = table("choose_if")
    documents.append(
        Passage(
            "Which Should You Choose?",
            " ".join(
                f"Choose {role.replace('Engineer', 'Engineering')} if: "
                + _listed(rows.sort_values("rank")["statement"])
                for role, rows in choose.groupby("role", sort=False)
            ),
        )
    )

    switch = table("career_switch")
    parts = []
    for (from_role, to_role), rows in switch.groupby(["from_role", "to_role"], sort=False):
        note = "" if rows["heading_in_seed"].all() else f" {OUR_READING}"
        parts.append(
            f"Switching from {from_role} to {to_role}{note}: " + _listed(rows.sort_values("rank")["point"])
        )
    documents.append(Passage("Career Switching", " ".join(parts)))

    blurring = skills[skills["skill_list"] == "senior_blurring"]
    parts = []
    for role, rows in blurring.groupby("role", sort=False):
        note = "" if rows["heading_in_seed"].all() else f" {OUR_READING}"
        parts.append(f"Senior {role}s increasingly need{note}: " + _listed(rows.sort_values("rank")["skill"]))
    documents.append(
        Passage("The Blurring Line", "At senior levels, the distinction often blurs. " + " ".join(parts))
    )

    interviews = table("interview_topics")
    documents.append(
        Passage(
            "Interview Differences",
            " ".join(
                f"{role} interviews: " + _listed(rows.sort_values("rank")["topic"])
                for role, rows in interviews.groupby("role", sort=False)
            ),
        )
    )

    future = table("future_predictions")
    parts = []
    for role, rows in future.groupby("role", sort=False):
        note = "" if rows["heading_in_seed"].all() else f" {OUR_READING}"
        field = role.replace("Engineer", "Engineering")
        parts.append(
            f"{field} in the next 2-3 years{note}: " + _listed(rows.sort_values("rank")["prediction"])
        )
    documents.append(Passage("The Future", " ".join(parts)))
    return documents


def chunk_words(text: str, size: int, overlap: int = 0) -> list[str]:
    """Cut `text` into chunks of `size` words; each repeats the last `overlap` words of the one before."""
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"chunk size must be a whole number of words, at least 1, not {size!r}")
    if not isinstance(overlap, int) or not 0 <= overlap < size:
        raise ValueError(f"overlap must be a whole number from 0 to size - 1 ({size - 1}), not {overlap!r}")
    words = text.split()
    step = size - overlap
    chunks = []
    for start in range(0, len(words), step):
        chunks.append(" ".join(words[start : start + size]))
        if start + size >= len(words):
            break
    return chunks


def chunk_documents(documents: list[Passage], size: int, overlap: int = 0) -> list[Passage]:
    """Every document cut into chunks; each chunk keeps its document's section."""
    return [
        Passage(document.section, chunk)
        for document in documents
        for chunk in chunk_words(document.text, size, overlap)
    ]


class Retriever:
    """Rank passages for a question by TF-IDF cosine similarity."""

    def __init__(self, passages: list[Passage]):
        if not passages:
            raise ValueError("a retriever needs at least one passage")
        self.passages = list(passages)
        self.vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([passage.text for passage in self.passages])

    def search(self, question: str, k: int = 3) -> list[Result]:
        """The `k` passages most similar to `question`, best first (ties keep the passages' order)."""
        return self.search_many([question], k)[0]

    def search_many(self, questions: list[str], k: int = 3) -> list[list[Result]]:
        """`search` for many questions at once (faster: one matrix product)."""
        if not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a whole number, at least 1, not {k!r}")
        scores = linear_kernel(self.vectorizer.transform(list(questions)), self.matrix)
        results = []
        for row in scores:
            order = np.argsort(-row, kind="stable")[:k]
            results.append(
                [Result(self.passages[i].section, self.passages[i].text, float(row[i])) for i in order]
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


def chunking_sweep(
    documents: list[Passage], question_table: pd.DataFrame, sizes, overlaps, k: int = 1
) -> pd.DataFrame:
    """Hit rate at k and words sent per question, for each chunk size and overlap (a share of the size)."""
    rows = []
    for size in sizes:
        for overlap_share in overlaps:
            overlap = int(size * overlap_share)
            chunks = chunk_documents(documents, size, overlap)
            retriever = Retriever(chunks)
            found = retriever.search_many(question_table["question"].tolist(), k)
            rows.append(
                {
                    "chunk_words": size,
                    "overlap_words": overlap,
                    "chunks": len(chunks),
                    f"hit_rate_at_{k}": hit_rate(retriever, question_table, k),
                    "context_words": sum(len(r.text.split()) for results in found for r in results)
                    / len(found),
                }
            )
    return pd.DataFrame(rows)
