"""Guardrails for the lab's posting classifier: checks on what goes into the model and what comes out.

A *guardrail* is a check around a model call that stops a bad input or a bad answer from reaching users.

Input checks (before the call):

- `find_prompt_injection(text)`: sentences that try to give the model new orders, such as "ignore all
  previous instructions". A posting is data, never instructions; an application should not send such a
  posting to the model at all.
- `find_personal_data(text)`: e-mail addresses and phone numbers, which a classifier does not need and
  which should not leave the application; `redact_personal_data(text)` replaces them with placeholders.

Output checks (after the call):

- `REPLY_SCHEMA`: the JSON Schema of a valid answer: an object with exactly a `role` (one of the allowed
  labels, or "Undecided", the course's word when the evidence does not decide) and `reasons` (one to five
  short strings).
- `parse_reply(text)`: the answer as a dict if it is exactly one JSON object that matches the schema;
  otherwise `ReplyError`, saying what is wrong.
- `FALLBACK_REPLY`: what the application shows when a check fails: no role, and a note that a person
  should look at the posting.

The patterns are the course's own and deliberately simple: real guardrails use more patterns, classifiers
and allow-lists, and still miss things. They catch what the lab's stand-in model falls for.
"""

import json
import re

from mlai_course.learner.json_schema import jsonschema
from mlai_course.learner.schemas import UNDECIDED

ALLOWED_ROLES = ("ML Engineer", "AI Engineer")
NEEDS_REVIEW = "needs human review"

INJECTION_PATTERNS = (
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding)\s+(?:instructions|rules|directions|prompts?)\b",
    r"\byou are now\b",
    r"\bnew instructions\s*:",
    r"\b(?:reveal|print|show)\s+(?:your|the)\s+(?:system\s+)?prompt\b",
)
INJECTION = re.compile("|".join(f"(?:{pattern})" for pattern in INJECTION_PATTERNS), re.I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# A phone number: +country code and groups, a bracketed area code and two groups, or three groups of 3-5,
# 3-4 and 3-4 digits. Years ("2015-2022") and salaries ("130K-165K") do not match.
PHONE = re.compile(
    r"(?<![\w+(])(?:"
    r"\+\d{1,3}[\s.-]?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"
    r"|\(\d{2,4}\)[\s.-]?\d{3,4}[\s.-]\d{3,4}"
    r"|\d{3,5}[\s.-]\d{3,4}[\s.-]\d{3,4}"
    r")(?!\w)"
)

REPLY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "The classifier's answer",
    "type": "object",
    "required": ["role", "reasons"],
    "additionalProperties": False,
    "properties": {
        "role": {"enum": [*ALLOWED_ROLES, UNDECIDED]},
        "reasons": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5,
            "items": {"type": "string", "minLength": 1, "maxLength": 200},
        },
    },
}
REPLY_VALIDATOR = jsonschema.Draft202012Validator(REPLY_SCHEMA)  # checks the schema once, not on every answer
FALLBACK_REPLY = {"role": NEEDS_REVIEW, "reasons": ["the automatic answer did not pass the checks"]}


class ReplyError(ValueError):
    """The model's answer is not valid: the message says why."""


def find_prompt_injection(text: str) -> list[str]:
    """The phrases in `text` that try to give a model new instructions ([] if none)."""
    return [match.group(0) for match in INJECTION.finditer(text)]


def find_personal_data(text: str) -> list[str]:
    """The e-mail addresses and phone numbers in `text` ([] if none)."""
    emails = [match.group(0) for match in EMAIL.finditer(text)]
    phones = [match.group(0).strip() for match in PHONE.finditer(EMAIL.sub(" ", text))]
    return emails + phones


def redact_personal_data(text: str) -> str:
    """`text` with e-mail addresses replaced by [email] and phone numbers by [phone]."""
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


def parse_reply(text: str) -> dict:
    """The answer as a dict when `text` is exactly one JSON object matching REPLY_SCHEMA; else ReplyError."""
    if not isinstance(text, str):
        raise ReplyError(f"the answer should be text, not {type(text).__name__}")
    try:
        reply = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReplyError(f"the answer is not valid JSON ({error.msg} at character {error.pos})") from None
    try:
        REPLY_VALIDATOR.validate(reply)
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "the answer"
        raise ReplyError(f"{where}: {error.message}") from None
    return reply


def fallback(reason: str) -> dict:
    """A fresh copy of FALLBACK_REPLY that says why it was used."""
    return {"role": NEEDS_REVIEW, "reasons": [reason]}
