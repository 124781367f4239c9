"""Retrieval over the course's own texts (mlai_course.labs.retrieval)."""

import pytest

from mlai_course.labs.retrieval import (
    OUR_READING,
    ArticleList,
    Passage,
    Result,
    Retriever,
    article_documents,
    article_lists,
    chunk_documents,
    chunk_lists,
    chunk_words,
    chunking_sweep,
    contains_answer,
    hit_rate,
    prompt_passages,
    questions,
)
from mlai_course.learner.data import load_table
from mlai_course.learner.schemas import ARTICLE_SECTIONS

DOCUMENTS = article_documents()


def test_one_document_per_article_section_with_a_table():
    sections = [document.section for document in DOCUMENTS]
    assert len(sections) == len(set(sections)) == 12
    assert set(sections) <= set(ARTICLE_SECTIONS)


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("skills", "skill"),
        ("daily_tasks", "task"),
        ("interview_topics", "topic"),
        ("career_switch", "point"),
        ("choose_if", "statement"),
        ("future_predictions", "prediction"),
        ("market_trends", "trend"),
        ("hiring_sectors", "sector"),
        ("role_evolution", "driver"),
        ("premium_reasons", "reason"),
    ],
)
def test_every_listed_item_of_the_article_is_in_a_document(table, column):
    text = " ".join(document.text for document in DOCUMENTS)
    for item in load_table(table)[column]:
        assert item in text, item


def test_documents_write_money_without_a_dollar_sign_and_note_the_course_reading_beside_the_text():
    pay = next(document for document in DOCUMENTS if document.section == "Compensation Comparison")
    assert "Junior ML Engineer, USD 130K to USD 165K." in pay.text
    assert not any("$" in document.text for document in DOCUMENTS)
    switching = next(document for document in DOCUMENTS if document.section == "Career Switching")
    assert switching.note == OUR_READING and "reading" not in switching.text
    lists = {(item.section, item.heading): item for item in article_lists()}
    assert lists[("The Blurring Line", "Senior ML Engineers increasingly need")].note == OUR_READING
    assert lists[("The Blurring Line", "Senior AI Engineers increasingly need")].note == ""


def test_list_chunks_keep_whole_items_under_their_heading():
    skills = ArticleList("Skills Comparison", "AI Engineer skills required", ("A b", "C d", "E f"), "n")
    assert chunk_lists([skills], 2) == [
        Passage("Skills Comparison", "AI Engineer skills required: A b. C d.", "n"),
        Passage("Skills Comparison", "AI Engineer skills required: E f.", "n"),
    ]
    assert chunk_lists([skills], 2, 1)[1].text == "AI Engineer skills required: C d. E f."
    every_item = {item for article_list in article_lists() for item in article_list.items}
    chunks = chunk_lists(article_lists(), 3)
    assert all(any(f"{item.rstrip('.')}." in chunk.text for chunk in chunks) for item in every_item)


def test_prompt_passages_numbers_them_for_citing():
    results = [
        Result("Skills Comparison", "AI Engineer skills required: RAG.", 0.5),
        Result("X & Y", "B.", 0.1),
    ]
    assert prompt_passages(results) == (
        '<passage id="P1" section="Skills Comparison">AI Engineer skills required: RAG.</passage>\n'
        '<passage id="P2" section="X &amp; Y">B.</passage>'
    )


def test_chunks_have_the_size_and_overlap_asked_and_cover_the_text():
    text = " ".join(f"w{i}" for i in range(23))
    chunks = chunk_words(text, 10, 4)
    assert [len(chunk.split()) for chunk in chunks] == [10, 10, 10, 5]
    assert chunks[1].split()[:4] == chunks[0].split()[-4:]
    assert chunk_words(text, 100) == [text]
    assert chunk_words(text, 23) == [text]
    covered = {word for chunk in chunks for word in chunk.split()}
    assert covered == set(text.split())


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (5, 5), (5, -1), (2.5, 0)])
def test_bad_chunk_settings_are_refused(size, overlap):
    with pytest.raises(ValueError):
        chunk_words("a b c", size, overlap)


def test_chunks_keep_their_section_and_never_cross_documents():
    documents = [Passage("A", "one two three"), Passage("B", "four five")]
    assert chunk_documents(documents, 2) == [
        Passage("A", "one two"),
        Passage("A", "three"),
        Passage("B", "four five"),
    ]


def test_the_retriever_ranks_the_passage_that_shares_the_words_first():
    passages = [Passage("A", "model serving with TorchServe"), Passage("B", "vector databases for RAG")]
    results = Retriever(passages).search("Which vector databases?", k=5)
    assert [result.section for result in results] == ["B", "A"]
    assert results[0].score > results[1].score >= 0
    with pytest.raises(ValueError, match="k must be"):
        Retriever(passages).search("x", k=0)
    with pytest.raises(ValueError, match="at least one passage"):
        Retriever([])


def test_the_retriever_remembers_a_question_it_was_asked():
    retriever = Retriever([Passage("A", "model serving"), Passage("B", "vector databases")])
    first = retriever.search("vector databases", k=1)
    first.append("changed by the caller")
    assert retriever.search("vector databases", k=1) == [Result("B", "vector databases", first[0].score)]
    assert len(retriever.recent) == 1


def test_every_labelled_answer_is_in_its_section():
    by_section = {document.section: document.text for document in DOCUMENTS}
    table = questions()
    assert len(table) >= 20
    for row in table.itertuples():
        assert contains_answer(by_section[row.section], row.answer), row.question


def test_hit_rate_counts_answers_in_the_top_k():
    table = questions()
    whole_sections = Retriever(DOCUMENTS)
    assert hit_rate(whole_sections, table, k=len(DOCUMENTS)) == 1.0
    assert 0 <= hit_rate(whole_sections, table, k=1) <= 1
    with pytest.raises(ValueError, match="no questions"):
        hit_rate(whole_sections, table.iloc[0:0], k=1)


def test_the_chunking_story_holds_loosely():
    sweep = chunking_sweep(DOCUMENTS, questions(), sizes=[4, 16, 64], overlaps=[0, 0.5], k=3)
    rate = sweep.set_index(["chunk_size", "overlap"])["hit_rate_at_3"]
    assert rate[(4, 0)] < 0.35, "tiny chunks lose the context of their answer"
    assert rate[(64, 0)] > 0.85, "chunks of a few sentences find most answers"
    assert rate[(16, 8)] > rate[(16, 0)], "overlap keeps an answer whole across a cut"
    words = sweep.set_index(["chunk_size", "overlap"])["context_words"]
    assert words[(64, 0)] > 4 * words[(16, 0)] / 2, "bigger chunks send more words to the model"
    items = chunking_sweep(article_lists(), questions(), sizes=[1, 3], overlaps=[0], k=3, unit="items")
    assert (items["hit_rate_at_3"] > 0.9).all(), "whole items under their heading keep their context"
    with pytest.raises(ValueError, match="unit"):
        chunking_sweep(DOCUMENTS, questions(), sizes=[4], overlaps=[0], unit="pages")
