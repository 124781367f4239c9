"""Lab 08's application: a posting in; the role, its reasons and the passages they cite out, guarded.

    from mlai_course.labs.app import RoleApp

    app = RoleApp(client, retriever, instructions)     # client: an openai.OpenAI (e.g. stand_in_client())
    result = app.classify("We build RAG systems ...")
    result["role"], result["reasons"], result["status"], result["cited"], result["usage"]

One call of `classify` does, in order:

1. **input checks**: a posting that is not text, is empty or is longer than MAX_POSTING_CHARS (5,000, as lab
   07's serving function) is refused with a ValueError that says so; a posting with a prompt injection is not
   sent to the model: the answer is the fallback ("needs human review") with status BLOCKED;
2. personal data (e-mail addresses, phone numbers) is replaced by placeholders before the posting leaves;
3. **retrieval** (RAG): the retriever's `passages_sent` passages most similar to the posting go into the
   prompt, numbered P1, P2, ... (mlai_course.labs.retrieval.prompt_passages), before the posting, so the
   model answers from them and cites them; with `retriever=None` the model answers closed book;
4. the model is called through the SDK at temperature 0 with the instructions (a system message), the
   few-shot examples, the passages and the posting (after a `Posting:` line); an SDK error (the SDK has
   already retried what it retries) gives the fallback with status MODEL_ERROR;
5. **output checks**: the answer must be one JSON object that matches the reply schema, otherwise the
   fallback with status INVALID; an answer "Undecided" (no passage supports an answer, or no evidence) is
   passed to a person: role "needs human review", status UNDECIDED, with the model's reasons; and, if the app
   is given a `reason_check(answer, posting, passage_ids)` that returns the reasons a reader could not check
   (lab 08's graded task 3 writes one), an answer with any such reason gets the fallback with status
   UNGROUNDED.

The result lists the passages sent and, in `cited`, those the reasons cite: what a reader should check the
reasons against. The notebook shows how each piece works; this module keeps the assembled application in one
place so that the lab's later sections can use it.
"""

from dataclasses import dataclass, field

import openai

from mlai_course.labs.guardrails import (
    NEEDS_REVIEW,
    ReplyError,
    fallback,
    find_personal_data,
    find_prompt_injection,
    parse_reply,
    redact_personal_data,
)
from mlai_course.labs.retrieval import prompt_passages
from mlai_course.labs.tokens import DEFAULT_MODEL
from mlai_course.learner.schemas import UNDECIDED

MAX_POSTING_CHARS = 5000
ANSWERED = "answered"
BLOCKED = "blocked: prompt injection"
INVALID = "fallback: invalid answer"
UNDECIDED_STATUS = "undecided: a person decides"
MODEL_ERROR = "fallback: the model call failed"
UNGROUNDED = "fallback: reasons not grounded in the posting"


def build_messages(posting: str, instructions: str, examples=(), passages=()) -> list[dict]:
    """The chat messages for one posting: the instructions, the few-shot examples, then the passages (if
    any) and the posting.

    `examples` is a sequence of (posting, answer text) pairs, sent as earlier user and assistant turns;
    `passages` are retrieval results, written with ids to cite (P1, P2, ...).
    """
    messages = [{"role": "system", "content": instructions}]
    for example_posting, example_answer in examples:
        messages.append({"role": "user", "content": f"Posting:\n{example_posting}"})
        messages.append({"role": "assistant", "content": example_answer})
    context = f"Passages:\n{prompt_passages(passages)}\n\n" if passages else ""
    messages.append({"role": "user", "content": f"{context}Posting:\n{posting}"})
    return messages


def check_posting(posting) -> str:
    """The posting without spaces at its ends; a ValueError saying what is wrong if it cannot be sent."""
    if not isinstance(posting, str):
        raise ValueError(f"the posting must be text, not {type(posting).__name__}")
    if not posting.strip():
        raise ValueError("the posting is empty: paste the text of a job posting")
    text = posting.strip()
    if len(text) > MAX_POSTING_CHARS:
        raise ValueError(f"the posting has {len(text):,} characters; the limit is {MAX_POSTING_CHARS:,}")
    return text


@dataclass
class RoleApp:
    """The guarded classifier and its retriever (see the module docstring)."""

    client: object
    retriever: object | None
    instructions: str
    examples: tuple = ()
    model: str = DEFAULT_MODEL
    passages_sent: int = 3
    reason_check: object = None
    usage_log: list = field(default_factory=list)

    def classify(self, posting) -> dict:
        """{"role", "reasons", "status", "passages", "cited", "personal_data_removed", "usage"}."""
        text = check_posting(posting)
        result = {"passages": [], "cited": [], "personal_data_removed": 0, "usage": None}
        if find_prompt_injection(text):
            return {**result, **fallback("the posting holds instructions for the model"), "status": BLOCKED}
        result["personal_data_removed"] = len(find_personal_data(text))
        text = redact_personal_data(text)
        if self.retriever is not None:
            result["passages"] = self.retriever.search(text, k=self.passages_sent)
        messages = build_messages(text, self.instructions, self.examples, result["passages"])
        try:
            reply = self.client.chat.completions.create(model=self.model, messages=messages, temperature=0)
        except openai.APIError as error:
            return {
                **result,
                **fallback(f"the model call failed: {type(error).__name__}"),
                "status": MODEL_ERROR,
            }
        self.usage_log.append(reply.usage)
        result["usage"] = reply.usage
        try:
            answer = parse_reply(reply.choices[0].message.content)
        except ReplyError as error:
            return {**result, **fallback(f"the answer did not pass the checks: {error}"), "status": INVALID}
        cited = [
            passage
            for number, passage in enumerate(result["passages"], start=1)
            if any(f"[P{number}]" in reason for reason in answer["reasons"])
        ]
        if answer["role"] == UNDECIDED:
            return {**result, "role": NEEDS_REVIEW, "reasons": answer["reasons"], "status": UNDECIDED_STATUS}
        if self.reason_check is not None:
            ids = [f"P{number}" for number in range(1, len(result["passages"]) + 1)]
            unchecked = self.reason_check(answer, text, ids)
            if unchecked:
                return {
                    **result,
                    **fallback(f"reasons a reader cannot check: {unchecked}"),
                    "status": UNGROUNDED,
                }
        return {**result, **answer, "status": ANSWERED, "cited": cited}
