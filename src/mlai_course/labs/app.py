"""Lab 08's application: a posting in; the role, the reasons and the article passages out, behind guardrails.

    from mlai_course.labs.app import RoleApp, build_messages

    app = RoleApp(client, retriever, instructions)       # client: any chat-completions client
    answer = app.answer("We build RAG systems ...")
    answer["role"], answer["reasons"], answer["status"], answer["passages"], answer["usage"]

One call of `classify` does, in order:

1. **input guardrail**: a posting with a prompt injection is not sent to the model: the answer is the fallback
   ("needs human review") with status "blocked: prompt injection";
2. personal data (e-mail addresses, phone numbers) is replaced by placeholders before the posting leaves;
3. the model is called at temperature 0 with the instructions (a system message), the few-shot examples and
   the posting (after a `Posting:` line);
4. **output guardrail**: the answer must be one JSON object that matches the reply schema (a role among the
   allowed labels, one to five reasons); otherwise the fallback, with status "fallback: invalid answer".

`answer` adds the passages of the article that the retriever finds for the posting, for the reader to check
the reasons against. The notebook shows how each piece works; this module keeps the assembled application in
one place so that the lab's later sections can use it before the learner's own answers exist.
"""

from dataclasses import dataclass, field

from mlai_course.labs.guardrails import (
    ReplyError,
    fallback,
    find_personal_data,
    find_prompt_injection,
    parse_reply,
    redact_personal_data,
)
from mlai_course.labs.tokens import DEFAULT_MODEL

ANSWERED = "answered"
BLOCKED = "blocked: prompt injection"
INVALID = "fallback: invalid answer"


def build_messages(posting: str, instructions: str, examples=()) -> list[dict]:
    """The chat messages for one posting: the instructions, the few-shot examples, then the posting.

    `examples` is a sequence of (posting, answer text) pairs, sent as earlier user and assistant turns.
    """
    messages = [{"role": "system", "content": instructions}]
    for example_posting, example_answer in examples:
        messages.append({"role": "user", "content": f"Posting:\n{example_posting}"})
        messages.append({"role": "assistant", "content": example_answer})
    messages.append({"role": "user", "content": f"Posting:\n{posting}"})
    return messages


@dataclass
class RoleApp:
    """The guarded classifier and its retriever (see the module docstring)."""

    client: object
    retriever: object
    instructions: str
    examples: tuple = ()
    model: str = DEFAULT_MODEL
    passages_shown: int = 3
    usage_log: list = field(default_factory=list)

    def classify(self, posting: str) -> dict:
        """{"role", "reasons", "status", "personal_data_removed", "usage"} for one posting."""
        if not isinstance(posting, str) or not posting.strip():
            raise ValueError("the posting is empty: paste the text of a job posting")
        if find_prompt_injection(posting):
            return {
                **fallback("the posting holds instructions for the model"),
                "status": BLOCKED,
                "personal_data_removed": 0,
                "usage": None,
            }
        removed = len(find_personal_data(posting))
        messages = build_messages(redact_personal_data(posting), self.instructions, self.examples)
        reply = self.client.chat.completions.create(model=self.model, messages=messages, temperature=0)
        self.usage_log.append(reply.usage)
        try:
            result = {**parse_reply(reply.choices[0].message.content), "status": ANSWERED}
        except ReplyError as error:
            result = {**fallback(f"the answer did not pass the checks: {error}"), "status": INVALID}
        return {**result, "personal_data_removed": removed, "usage": reply.usage}

    def answer(self, posting: str) -> dict:
        """`classify`, plus the article passages most similar to the posting."""
        result = self.classify(posting)
        result["passages"] = self.retriever.search(posting, k=self.passages_shown)
        return result
