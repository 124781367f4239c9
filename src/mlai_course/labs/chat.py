"""A deterministic, offline **stand-in** for a chat-completions API, flawed the way real models are.

Learners, CI and Binder have no API key and no network, so lab 08 talks to this stand-in instead of a hosted
large language model (LLM). Its calls and replies have the shape of the common chat-completions interface, so
code written against it carries over to a real provider:

    client = StandInChatClient()
    reply = client.chat.completions.create(
        model="stand-in-small",
        messages=[{"role": "system", "content": "..."}, {"role": "user", "content": "..."}],
        temperature=0,
    )
    reply.choices[0].message.content     # the text of the answer
    reply.choices[0].finish_reason       # "stop", or "length" when max_tokens cut the answer short
    reply.usage.prompt_tokens, reply.usage.completion_tokens, reply.usage.total_tokens

The stand-in's rules, how it reads a request and its flaws, are in stand_in.py.

**An optional real backend.** `make_client()` returns this stand-in, unless the environment variable
`MLAI_COURSE_CHAT_BASE_URL` names an OpenAI-compatible endpoint (e.g. `https://api.example.com/v1`, or a
local server); then it returns an `OpenAICompatibleClient` that sends the same requests there, with the key
in `MLAI_COURSE_CHAT_API_KEY` and the model in `MLAI_COURSE_CHAT_MODEL`. That needs the network and an
account, costs real money, and a real model answers differently (nothing above holds for it). No test and no
notebook cell needs it; the lab always uses the stand-in.
"""

import hashlib
import json
import os
import random
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass

from mlai_course.labs.stand_in import answer, check_request, read_request
from mlai_course.labs.tokens import count_message_tokens, count_tokens, truncate_to_tokens

# ---------------------------------------------------------------------------------------------------------
# The response: the shape of the common chat-completions interface.


@dataclass(frozen=True)
class ChatMessage:
    role: str
    content: str


@dataclass(frozen=True)
class Choice:
    index: int
    message: ChatMessage
    finish_reason: str


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@dataclass(frozen=True)
class ChatCompletion:
    id: str
    model: str
    choices: list[Choice]
    usage: Usage
    object: str = "chat.completion"
    created: int = 0  # the stand-in has no clock: its answers must not depend on time

    def to_dict(self) -> dict:
        """The response as plain JSON-ready data, as a provider's HTTP API returns it."""
        return asdict(self)


# ---------------------------------------------------------------------------------------------------------
# The stand-in client.


class _Completions:
    def __init__(self, create):
        self.create = create


class _Chat:
    def __init__(self, create):
        self.completions = _Completions(create)


class StandInChatClient:
    """The offline stand-in: `client.chat.completions.create(model=..., messages=..., temperature=...)`.

    `seed` makes a client's sequence of unseeded calls reproducible: two clients made with the same seed
    give the same answers to the same sequence of calls.
    """

    def __init__(self, seed: int = 0):
        self.seed = seed
        self.calls = 0
        self.chat = _Chat(self.create)

    def create(
        self,
        *,
        model: str,
        messages: list[dict],
        temperature: float = 1.0,
        seed: int | None = None,
        max_tokens: int | None = None,
        **ignored,
    ) -> ChatCompletion:
        check_request(model, messages, temperature, max_tokens)
        self.calls += 1
        request_key = json.dumps([model, messages, temperature], sort_keys=True)
        draw = [request_key, seed] if seed is not None else [request_key, "client", self.seed, self.calls]
        rng = random.Random(int(hashlib.sha256(json.dumps(draw).encode()).hexdigest()[:16], 16))
        content = answer(read_request(messages), temperature, rng)
        finish_reason = "stop"
        if max_tokens is not None and count_tokens(content) > max_tokens:
            content, finish_reason = truncate_to_tokens(content, max_tokens), "length"
        prompt_tokens, completion_tokens = count_message_tokens(messages), count_tokens(content)
        return ChatCompletion(
            id="standin-" + hashlib.sha256(json.dumps(draw).encode()).hexdigest()[:12],
            model=model,
            choices=[Choice(0, ChatMessage("assistant", content), finish_reason)],
            usage=Usage(prompt_tokens, completion_tokens, prompt_tokens + completion_tokens),
        )


# ---------------------------------------------------------------------------------------------------------
# The optional real backend.

BASE_URL_ENV_VAR = "MLAI_COURSE_CHAT_BASE_URL"
API_KEY_ENV_VAR = "MLAI_COURSE_CHAT_API_KEY"
MODEL_ENV_VAR = "MLAI_COURSE_CHAT_MODEL"


class BackendError(RuntimeError):
    """The real backend could not be reached or gave an answer of the wrong shape."""


class OpenAICompatibleClient:
    """The same `chat.completions.create(...)` call, sent to an OpenAI-compatible HTTP endpoint.

    Optional and never used by the tests or the notebooks: it needs the network and an account. `model`,
    if given, replaces the model name of every request (the lab asks for "stand-in-small").
    """

    def __init__(self, base_url: str, api_key: str = "", model: str | None = None, timeout: float = 60):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.timeout = timeout
        self.chat = _Chat(self.create)

    def create(self, *, model: str, messages: list[dict], **options) -> ChatCompletion:
        body = {"model": self.model or model, "messages": messages, **options}
        request = urllib.request.Request(
            f"{self.base_url}/chat/completions",
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise BackendError(f"{self.base_url}/chat/completions: {error}") from None
        return completion_from_dict(data, source=f"{self.base_url}/chat/completions")


def completion_from_dict(data: dict, source: str = "the response") -> ChatCompletion:
    """A ChatCompletion from a provider's JSON answer; BackendError if it lacks what we read."""
    try:
        choices = [
            Choice(
                int(choice.get("index", number)),
                ChatMessage(
                    choice["message"].get("role", "assistant"), choice["message"].get("content") or ""
                ),
                choice.get("finish_reason") or "stop",
            )
            for number, choice in enumerate(data["choices"])
        ]
        usage = data.get("usage") or {}
        prompt, completion = int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
        return ChatCompletion(
            id=str(data.get("id", "")),
            model=str(data.get("model", "")),
            choices=choices,
            usage=Usage(prompt, completion, int(usage.get("total_tokens", prompt + completion))),
            created=int(data.get("created", 0)),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise BackendError(f"{source}: not a chat completion ({type(error).__name__}: {error})") from None


def make_client(seed: int = 0):
    """The stand-in, or the real backend when MLAI_COURSE_CHAT_BASE_URL is set (see the module docstring)."""
    base_url = os.environ.get(BASE_URL_ENV_VAR)
    if not base_url:
        return StandInChatClient(seed=seed)
    return OpenAICompatibleClient(
        base_url, os.environ.get(API_KEY_ENV_VAR, ""), os.environ.get(MODEL_ENV_VAR) or None
    )
