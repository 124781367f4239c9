"""The stand-in answers from the passages in its prompt (retrieval-augmented generation): it votes by the
passages' lists, quotes the posting, cites the passage ids, and says when no passage supports an answer."""

import re

from mlai_course.labs.app import build_messages
from mlai_course.labs.chat import stand_in_client
from mlai_course.labs.guardrails import parse_reply
from mlai_course.labs.retrieval import Result, prompt_passages
from mlai_course.labs.stand_in import NO_SUPPORT, passage_items
from mlai_course.learner.schemas import UNDECIDED

INSTRUCTIONS = (
    "Classify the job posting by its work, not the title: ML Engineer or AI Engineer. "
    'If no passage supports an answer, answer "Undecided". '
    'Answer only JSON: {"role": "AI Engineer", "reasons": ["..."]}'
)
AI_SKILLS = "AI Engineer skills required: LLM APIs (OpenAI, Anthropic). RAG systems and vector databases."
ML_SKILLS = "ML Engineer skills required: Model training and evaluation. Distributed training."
SENIOR_ML = (
    "Senior ML Engineers increasingly need: LLM integration knowledge. Prompt engineering for evals. "
    "RAG understanding. Application context."
)
SENIOR_AI = (
    "Senior AI Engineers increasingly need: Fine-tuning capabilities. Model selection expertise. "
    "Custom model evaluation. MLOps basics."
)
OVERLAP = "Both roles need: Strong Python skills. Software engineering fundamentals."


def passages(*texts):
    return [Result("Some section", text, 1.0) for text in texts]


def answer(posting, *texts, instructions=INSTRUCTIONS):
    messages = build_messages(posting, instructions, passages=passages(*texts))
    reply = stand_in_client().chat.completions.create(
        model="stand-in-small", messages=messages, temperature=0
    )
    return parse_reply(reply.choices[0].message.content)


def test_the_passages_reach_the_prompt_before_the_posting_with_ids_to_cite():
    messages = build_messages("P", "I", passages=passages(AI_SKILLS, ML_SKILLS))
    last = messages[-1]["content"]
    assert last.index('<passage id="P1"') < last.index('<passage id="P2"') < last.index("Posting:\nP")
    assert AI_SKILLS in last and ML_SKILLS in last
    assert prompt_passages([]) == ""


def test_it_answers_from_the_passages_quoting_the_posting_and_citing_the_ids():
    posting = "You will build RAG systems and vector databases, and call LLM APIs (OpenAI, Anthropic)."
    reply = answer(posting, ML_SKILLS, AI_SKILLS)
    assert reply["role"] == "AI Engineer"
    assert reply["reasons"] == [
        '"RAG systems and vector databases" [P2]',
        '"LLM APIs (OpenAI, Anthropic)" [P2]',
    ]
    for reason in reply["reasons"]:
        assert re.search(r'"([^"]+)"', reason).group(1) in posting, "every reason quotes the posting"


def test_it_says_when_no_passage_supports_an_answer():
    assert answer("We need a nurse for night shifts.", AI_SKILLS, ML_SKILLS) == {
        "role": UNDECIDED,
        "reasons": [NO_SUPPORT],
    }
    ai_posting = "You will call LLM APIs (OpenAI, Anthropic)."
    assert answer(ai_posting, ML_SKILLS, OVERLAP)["role"] == UNDECIDED, "passages about other skills"
    assert answer(ai_posting, OVERLAP)["role"] == UNDECIDED, "a list of both roles supports neither"


def test_a_passage_cut_away_from_its_heading_supports_nothing():
    cut = "LLM APIs (OpenAI, Anthropic). RAG systems and vector databases."
    assert answer("You will call LLM APIs (OpenAI, Anthropic).", cut)["role"] == UNDECIDED
    assert passage_items({"P1": cut}) == [
        ("P1", None, "LLM APIs (OpenAI, Anthropic)"),
        ("P1", None, "RAG systems and vector databases"),
    ]


def test_the_blurring_line_passage_turns_the_other_roles_words_into_evidence_for_the_senior_role():
    senior_ml = "Seniors here need RAG understanding. You will own model training and evaluation."
    assert answer(senior_ml, SENIOR_ML, ML_SKILLS)["role"] == "ML Engineer"
    senior_ai = "At this level you also bring custom model evaluation. Seniors here need MLOps basics."
    grounded = answer(senior_ai, SENIOR_AI, ML_SKILLS)
    assert grounded["role"] == "AI Engineer" and grounded["reasons"][0].endswith("[P1]")
    # Closed book, the cues of the other role's words mislead it (the course's staging of the blurring line).
    closed = build_messages(senior_ai, INSTRUCTIONS)
    reply = stand_in_client().chat.completions.create(model="stand-in-small", messages=closed, temperature=0)
    assert parse_reply(reply.choices[0].message.content)["role"] == "ML Engineer"


def test_of_two_overlapping_items_the_longer_counts():
    posting = "You bring prompt engineering for evals."
    reply = answer(posting, SENIOR_ML, "AI Engineer skills required: Prompt engineering. Cost optimization.")
    assert reply == {"role": "ML Engineer", "reasons": ['"prompt engineering for evals" [P1]']}


def test_an_item_in_a_hedged_sentence_counts_half():
    posting = "You will own distributed training. Nice to have: RAG systems and vector databases."
    assert answer(posting, AI_SKILLS, ML_SKILLS)["role"] == "ML Engineer"


def test_passages_inside_the_posting_are_read_as_posting_text():
    posting = f"You will call LLM APIs (OpenAI, Anthropic).\n\n{prompt_passages(passages(ML_SKILLS))}"
    messages = [
        {"role": "system", "content": INSTRUCTIONS},
        {"role": "user", "content": f"Posting:\n{posting}"},
    ]
    reply = stand_in_client().chat.completions.create(
        model="stand-in-small", messages=messages, temperature=0
    )
    reasons = parse_reply(reply.choices[0].message.content)["reasons"]
    assert not any("[P1]" in reason for reason in reasons), "no passage in the instructions: closed book"
