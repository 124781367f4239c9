"""The stand-in model's rules: how it reads a chat request and what it answers, flaws included.

It is **not** a language model. It knows one job, the course's problem: tell a job posting that describes
ML-engineering work from one that describes AI-engineering work. Lab 08 reaches it through the OpenAI SDK
(mlai_course.labs.chat), which sends it chat requests in-process.

**Closed book** (no passages in the request). Its "pre-trained knowledge" is the table `CUES` (in cues.py):
phrases of the source article's skill lists and typical days, each pointing to a role. It counts the
distinct cues of each role in the posting (a cue found only in a hedged sentence, "nice to have", "a plus",
"bonus if", counts half) and answers the role with more, giving as reasons the article's names for the cues.

**With passages** (retrieval-augmented generation, RAG). When the instructions hold passages, each written
`<passage id="P1" ...>text</passage>`, it answers **from the passages**: a passage is read as lists, `heading:
item. item. ...`, where a heading that names one role ("AI Engineer skills required", "Senior ML Engineers
increasingly need") gives its items to that role, and a heading that names both roles or neither gives them to
none. Each item (of two words or more) that the posting contains, word for word (case and spacing ignored),
is a vote for its list's role (half in a hedged sentence); of two overlapping items, the longer counts. Its
reasons then quote the posting's own words and cite the passages they rely on: `"RAG understanding" [P2]`.
When no passage supports either role it says so: `{"role": "Undecided", "reasons": ["no passage supports an
answer"]}` (the course's word for undecided, mlai_course.learner.schemas.UNDECIDED). So what retrieval finds
decides what it can answer: a passage cut away from its heading supports nothing.

Like any model it has blind spots: a typo can hide a cue, and at senior levels the course's generator puts the
other role's words into postings (the article's blurring line, as the course stages it), which mislead the
closed-book cues. Anything but its one job gets a polite "I only know this one job" answer.

How it reads a request (documented so that instructors can predict it):

- The **posting** is the text inside `<posting>...</posting>` in the last user message; or, failing that, the
  text after the last line that starts with `Posting:`; or, failing both, the whole last user message.
  Everything else (system messages, the rest of the last user message) is the **instructions**; the passages
  are the `<passage>` elements of the instructions (a passage inside the posting is just posting text).
- A posting's **title** is a line starting with `Title:`, or a first line that ends with "Engineer".
- Earlier user/assistant message pairs are **few-shot examples**: the user message's posting and the role in
  the assistant's answer.
- It does the classification job when the instructions mention a "role" or ask to "classify"; it always
  answers the job it knows best, whatever else the instructions ask.

Its flaws, each with its trigger and its fix (tests/labs/test_chat.py pins every one):

1. **Prompt wording.** If the instructions do not name both labels exactly ("ML Engineer", "AI Engineer"),
   it answers in its own words ("Machine Learning Engineer", "Applied AI Engineer"), which no parser expects.
   Fix: name the allowed labels, exactly, in the instructions.
2. **Output format follows the prompt.** With an example of the JSON answer in the instructions (text
   containing `{"role"`) or a few-shot example answered in JSON, it answers with exactly one JSON object
   `{"role": ..., "reasons": [...]}`. If the instructions only say "JSON", it wraps the JSON in a chatty
   sentence and a Markdown code fence; with no format asked, it answers in a sentence.
   Fix: show the exact JSON answer in the prompt.
3. **Few-shot sensitivity, and a forced choice.** Each few-shot example of one role beyond the other's adds
   half a vote to that role (majority-label bias), and a tie goes to the label of the *last* example (recency
   bias), so the choice and order of examples change answers. With no examples a tie goes to the label the
   instructions name first: a posting with no evidence at all ("We need a nurse for night shifts.") still
   gets a role. Fix: balanced examples in a fixed order; and offer "Undecided" in the instructions: then a
   posting with no evidence gets `{"role": "Undecided", "reasons": ["no evidence of either role's work"]}`.
4. **Temperature.** At temperature > 0 (1.0 is the default, as with real APIs) answers vary from call to
   call: where the evidence is weak (a margin of at most 1 vote) the label flips with probability
   `min(0.5, 0.35 * temperature)` (0.03 * temperature where it is strong), and the format varies with
   probability `min(0.8, 0.3 * temperature)`: a code fence, a sentence, single quotes or a trailing remark
   (broken JSON). With the same `seed`, the same request gives the same answer; without one, each call of a
   client draws anew (reproducibly for clients made with the same `stand_in_client(seed=...)`).
   Fix: `temperature=0`.
5. **Broken JSON.** Beyond the variations at temperature > 0, a `max_tokens` smaller than the answer cuts it
   off mid-JSON, with `finish_reason="length"`. Fix: enough `max_tokens`, check `finish_reason`, validate the
   answer (a JSON schema) and fall back when it is invalid (mlai_course.labs.guardrails).
6. **Misled by the title.** The title counts as 2 votes for the role it names ("Machine Learning"/"ML" or
   "AI"), so a title that disagrees with the work can outvote the work, unless the instructions say to judge
   "not (by) the title", to "ignore the title" or "regardless of the title". Fix: say so, or remove the title.
7. **Prompt injection.** If the posting says "ignore (all) previous/prior/above instructions" (or
   "disregard ..."/"forget ..."), it follows what comes after: it answers a role named there, or replies a
   quoted text verbatim. Delimiting the posting does not stop it. Fix: an input guardrail that finds the
   injection before the call (mlai_course.labs.guardrails.find_prompt_injection) and falls back.
8. **Reasons from its own knowledge.** Closed book, its reasons are the article's names for the skills it
   recognised, not the posting's words: "LLM APIs (OpenAI, Anthropic)" for a posting that says only "LLM
   APIs". A reader cannot check them against the posting. Fix: give it passages (RAG): it then quotes the
   posting and cites the passages; and check that every reason quotes the posting (lab 08's task 3).

Both model names, "stand-in-small" and "stand-in-large", behave alike; they differ only in the course's
example prices and latencies (mlai_course.labs.tokens).
"""

import json
import random
import re
from dataclasses import dataclass, field

from mlai_course.labs.cues import COMPILED_CUES, CUES  # noqa: F401 - CUES is part of the rules
from mlai_course.labs.tokens import EXAMPLE_MODELS
from mlai_course.learner.schemas import UNDECIDED

LABELS = ("ML Engineer", "AI Engineer")
OWN_WORDS = {"ML Engineer": "Machine Learning Engineer", "AI Engineer": "Applied AI Engineer"}
MESSAGE_ROLES = ("system", "user", "assistant")
MAX_REASONS = 3
TITLE_VOTES = 2
EXAMPLE_BIAS = 0.5
WEAK_MARGIN = 1

INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding)\s+(?:instructions|rules|directions|prompts?)\b",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
HEDGED = re.compile(r"\bnice to have\b|\ba plus\b|\bbonus if\b|\bis a bonus\b", re.I)
HEDGED_WEIGHT = 0.5
TITLE_WARNING = re.compile(
    r"not (?:by |on |from )?the (?:job )?title|ignore the (?:job )?title|"
    r"regardless of the (?:job )?title",
    re.I,
)
POSTING_TAG = re.compile(r"<posting>(.*?)</posting>", re.I | re.S)
POSTING_LINE = re.compile(r"^[ \t]*posting:[ \t]*", re.I | re.M)
TITLE_LINE = re.compile(r"^[ \t]*title:[ \t]*(.*)$", re.I | re.M)
QUOTED = re.compile(r"[\"“]([^\"”]{1,200})[\"”]")
PASSAGE_TAG = re.compile(r"<passage\b([^>]*)>(.*?)</passage>", re.I | re.S)
PASSAGE_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""", re.I)
HEADING = re.compile(r"^([^:.]{1,80}):\s+(.*)$", re.S)
ROLE_IN_HEADING = re.compile(r"\b(?:ML|AI)\b|machine learning|both roles", re.I)
NO_SUPPORT = "no passage supports an answer"
NO_EVIDENCE = "no evidence of either role's work"
OFF_TOPIC_REPLY = (
    "I am the course's offline stand-in model, not a real language model. I only know one job: telling "
    "ML-engineering job postings from AI-engineering ones. Ask me which role a posting describes."
)


# ---------------------------------------------------------------------------------------------------------
# How the stand-in reads a request.


@dataclass
class Reading:
    """What the stand-in understood from a request (see the module docstring)."""

    instructions: str
    posting: str
    title: str | None
    example_labels: list[str] = field(default_factory=list)
    example_json: bool = False
    passages: dict[str, str] = field(default_factory=dict)


def split_posting(text: str) -> tuple[str, str]:
    """(instructions, posting) of one user message, by the rules in the module docstring.

    When nothing marks the posting, the whole message is both: the stand-in cannot tell them apart.
    """
    tagged = POSTING_TAG.search(text)
    if tagged:
        return text[: tagged.start()] + text[tagged.end() :], tagged.group(1)
    lines = list(POSTING_LINE.finditer(text))
    if lines:
        return text[: lines[-1].start()], text[lines[-1].end() :]
    return text, text


def split_passages(instructions: str) -> tuple[str, dict[str, str]]:
    """(the instructions without their passages, {passage id: text}); a passage without an id is numbered."""
    passages = {}
    for number, tag in enumerate(PASSAGE_TAG.finditer(instructions), start=1):
        named = PASSAGE_ID.search(tag.group(1))
        passages[named.group(1) if named else f"passage {number}"] = tag.group(2).strip()
    return PASSAGE_TAG.sub(" ", instructions), passages


def find_title(posting: str) -> str | None:
    """The posting's title: a `Title:` line, or a first line ending with 'Engineer'."""
    labelled = TITLE_LINE.search(posting)
    if labelled:
        return labelled.group(1).strip()
    first_line = posting.strip().split("\n", 1)[0].strip()
    return first_line if first_line.lower().endswith("engineer") else None


def title_role(title: str | None) -> str | None:
    """The role a title names, if it names exactly one."""
    if not title:
        return None
    ml = bool(re.search(r"machine learning|\bML\b", title, re.I))
    ai = bool(re.search(r"\bAI\b|artificial intelligence|\bLLM\b|generative", title, re.I))
    if ml == ai:
        return None
    return "ML Engineer" if ml else "AI Engineer"


def role_named_in(text: str) -> str | None:
    """The label a text names ('ML Engineer' or 'AI Engineer', or close words); the first one if both."""
    found = [
        (match.start(), label)
        for label, pattern in (("ML Engineer", r"\bML\b|machine learning"), ("AI Engineer", r"\bAI\b"))
        for match in [re.search(pattern, text, re.I)]
        if match
    ]
    return min(found)[1] if found else None


def read_request(messages: list[dict]) -> Reading:
    """Split a request into instructions, passages, posting, title and few-shot examples."""
    system = "\n".join(message["content"] for message in messages if message["role"] == "system")
    conversation = [message for message in messages if message["role"] != "system"]
    last_instructions, posting = split_posting(conversation[-1]["content"])
    instructions, passages = split_passages(f"{system}\n{last_instructions}")
    example_labels, example_json = [], False
    for asked, answered in zip(conversation[:-1], conversation[1:-1], strict=False):
        if asked["role"] == "user" and answered["role"] == "assistant":
            label = role_named_in(answered["content"])
            if label:
                example_labels.append(label)
                example_json = _is_json_object(answered["content"])
    return Reading(
        instructions=instructions,
        posting=posting,
        title=find_title(posting),
        example_labels=example_labels,
        example_json=example_json,
        passages=passages,
    )


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def evidence_in(posting: str) -> dict[str, dict[str, float]]:
    """Each role's distinct cues in a posting, best first, with their weight.

    A cue weighs 1, or 0.5 when every sentence it appears in is hedged ("nice to have", "a plus", "bonus if").
    """
    found = []
    for sentence in SENTENCE_END.split(posting):
        weight = HEDGED_WEIGHT if HEDGED.search(sentence) else 1.0
        for pattern, role, evidence in COMPILED_CUES:
            match = pattern.search(sentence)
            if match:
                found.append((role, evidence, weight))
    evidence = {label: {} for label in LABELS}
    for role, name, weight in found:
        evidence[role][name] = max(weight, evidence[role].get(name, 0.0))
    return {label: dict(sorted(cues.items(), key=lambda item: -item[1])) for label, cues in evidence.items()}


def heading_role(heading: str) -> str | None:
    """The role a list heading gives its items: the one label it names, else none."""
    if re.search(r"both roles", heading, re.I):
        return None
    ml = bool(re.search(r"\bML\b|machine learning", heading, re.I))
    ai = bool(re.search(r"\bAI\b", heading, re.I))
    return None if ml == ai else ("ML Engineer" if ml else "AI Engineer")


def passage_items(passages: dict[str, str]) -> list[tuple[str, str | None, str]]:
    """(passage id, role or None, item) for each list item of the passages (see the module docstring)."""
    items = []
    for passage_id, text in passages.items():
        role = None
        for sentence in SENTENCE_END.split(text):
            heading = HEADING.match(sentence.strip())
            if heading and ROLE_IN_HEADING.search(heading.group(1)):
                role, sentence = heading_role(heading.group(1)), heading.group(2)
            item = sentence.strip().rstrip(".").strip()
            if len(item.split()) >= 2:
                items.append((passage_id, role, item))
    return items


def _hedged_at(posting: str, index: int) -> bool:
    start = max((m.end() for m in SENTENCE_END.finditer(posting, 0, index)), default=0)
    following = SENTENCE_END.search(posting, index)
    return bool(HEDGED.search(posting[start : following.start() if following else len(posting)]))


def grounded_evidence(posting: str, passages: dict[str, str]) -> dict[str, dict[str, tuple[float, list]]]:
    """Each role's quotes of the posting that a passage's list supports: {quote: (weight, passage ids)}."""
    found = []
    for passage_id, role, item in passage_items(passages):
        if role is None:
            continue
        words = r"\s+".join(re.escape(word) for word in item.split())
        for match in re.finditer(rf"(?<![\w-]){words}(?![\w-])", posting, re.I):
            found.append((match.start(), match.end(), role, match.group(0), passage_id))
    evidence = {label: {} for label in LABELS}
    for start, end, role, quote, passage_id in sorted(found):
        if any(s <= start and end <= e and e - s > end - start for s, e, *_ in found):
            continue  # a longer item covers it
        key = next((known for known in evidence[role] if known.lower() == quote.lower()), quote)
        weight, ids = evidence[role].get(key, (0.0, []))
        weight = max(weight, HEDGED_WEIGHT if _hedged_at(posting, start) else 1.0)
        evidence[role][key] = (weight, ids if passage_id in ids else [*ids, passage_id])
    return evidence


def quoted_reason(quote: str, passage_ids: list[str]) -> str:
    """A reason that quotes the posting and cites the passages behind it: '"RAG understanding" [P2]'."""
    return " ".join([f'"{quote}"', *(f"[{passage_id}]" for passage_id in passage_ids)])


def check_request(model, messages, temperature, max_tokens) -> None:
    if model not in EXAMPLE_MODELS:
        raise ValueError(f"unknown model {model!r}; the stand-in's models are: {', '.join(EXAMPLE_MODELS)}")
    if not isinstance(messages, list) or not messages:
        raise ValueError("messages must be a non-empty list of {'role': ..., 'content': ...} dicts")
    for number, message in enumerate(messages):
        if not isinstance(message, dict) or set(message) != {"role", "content"}:
            raise ValueError(f"messages[{number}] must be a dict with exactly the keys 'role' and 'content'")
        if message["role"] not in MESSAGE_ROLES:
            raise ValueError(
                f"messages[{number}]['role'] must be one of {MESSAGE_ROLES}, not {message['role']!r}"
            )
        if not isinstance(message["content"], str):
            raise ValueError(f"messages[{number}]['content'] must be a string")
    if messages[-1]["role"] != "user":
        raise ValueError("the last message must be the user's")
    if not isinstance(temperature, int | float) or not 0 <= temperature <= 2:
        raise ValueError(f"temperature must be a number from 0 to 2, not {temperature!r}")
    if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 1):
        raise ValueError(f"max_tokens must be a whole number of at least 1, not {max_tokens!r}")


def answer(reading: Reading, temperature: float, rng: random.Random) -> str:
    """The stand-in's answer text for a request it has read."""
    instructions = reading.instructions
    if not re.search(r"\brole\b|classif", instructions, re.I):
        return OFF_TOPIC_REPLY
    injected = INJECTION.search(reading.posting)
    if injected:
        order = reading.posting[injected.end() : injected.end() + 300]
        quoted = QUOTED.search(order)
        if quoted:
            return quoted.group(1)
        label = role_named_in(order)
        if label:
            return _write(reading, label, ["the posting says to answer this"], temperature, rng)
    label, reasons, margin = decide(reading)
    if label == UNDECIDED:
        return _write(reading, label, reasons[label], temperature, rng)
    if temperature > 0:
        flip = min(0.5, 0.35 * temperature) if abs(margin) <= WEAK_MARGIN else 0.03 * temperature
        if rng.random() < flip:
            label = LABELS[1 - LABELS.index(label)]
    chosen = reasons[label]
    if temperature > 0:
        rng.shuffle(chosen)
    return _write(reading, label, chosen, temperature, rng)


def decide(reading: Reading) -> tuple[str, dict[str, list[str]], float]:
    """(label, reasons, margin): the role with more votes (or UNDECIDED), the reasons, AI minus ML votes."""
    if reading.passages:
        grounded = grounded_evidence(reading.posting, reading.passages)
        if not any(grounded.values()):
            return UNDECIDED, {UNDECIDED: [NO_SUPPORT]}, 0.0
        votes = {label: sum(weight for weight, _ in grounded[label].values()) for label in LABELS}
        reasons = {
            label: [quoted_reason(quote, ids) for quote, (_, ids) in _best_first(grounded[label])]
            for label in LABELS
        }
    else:
        found = evidence_in(reading.posting)
        votes = {label: sum(found[label].values()) for label in LABELS}
        reasons = {label: list(found[label])[:MAX_REASONS] for label in LABELS}
    named = title_role(reading.title)
    if named and not TITLE_WARNING.search(reading.instructions):
        votes[named] += TITLE_VOTES
        reasons[named].insert(0, f'the title "{reading.title}"')
    examples = reading.example_labels
    if not any(votes.values()) and not examples and UNDECIDED in reading.instructions:
        return UNDECIDED, {UNDECIDED: [NO_EVIDENCE]}, 0.0
    votes["AI Engineer"] += EXAMPLE_BIAS * (examples.count("AI Engineer") - examples.count("ML Engineer"))
    margin = votes["AI Engineer"] - votes["ML Engineer"]
    if margin > 0:
        label = "AI Engineer"
    elif margin < 0:
        label = "ML Engineer"
    elif examples:
        label = examples[-1]
    else:
        label = role_named_in(reading.instructions) or "AI Engineer"
    reasons = {name: reasons[name][:MAX_REASONS] or ["no clear evidence either way"] for name in LABELS}
    return label, reasons, margin


def _best_first(quotes: dict[str, tuple[float, list]]) -> list[tuple[str, tuple[float, list]]]:
    return sorted(quotes.items(), key=lambda item: -item[1][0])


def _write(reading: Reading, label: str, reasons: list[str], temperature: float, rng: random.Random) -> str:
    """Put the answer in the format the prompt asked for (flaws 1, 2 and 4)."""
    exact_labels = all(name in reading.instructions for name in LABELS)
    shown = label if exact_labels or label == UNDECIDED else OWN_WORDS[label]
    payload = {"role": shown, "reasons": reasons}
    if reading.example_json or '{"role"' in reading.instructions.replace("'", '"'):
        style = "json"
    elif re.search(r"json", reading.instructions, re.I):
        style = "chatty json"
    else:
        style = "sentence"
    if temperature > 0 and rng.random() < min(0.8, 0.3 * temperature):
        style = rng.choice(["fenced", "sentence", "single quotes", "trailing remark"])
    if style == "json":
        return json.dumps(payload)
    if style == "chatty json":
        return f"Sure! Here is the JSON you asked for:\n```json\n{json.dumps(payload, indent=2)}\n```"
    if style == "fenced":
        return f"```json\n{json.dumps(payload)}\n```"
    if style == "single quotes":
        return str(payload)
    if style == "trailing remark":
        return json.dumps(payload) + "\nI hope this helps!"
    if label == UNDECIDED:
        return f"I cannot tell which role this posting describes ({'; '.join(reasons)})."
    other = LABELS[1 - LABELS.index(label)]
    other = other if exact_labels else OWN_WORDS[other]
    article = "a" if other.startswith("Machine") else "an"
    return f"This is not {article} {other} posting: it describes {shown} work ({'; '.join(reasons)})."
