"""Lab 08's model client: the real OpenAI Python SDK, answered in-process by the course's stand-in model.

Learners, CI and Binder have no API key and no network, so lab 08's model is the course's **stand-in**
(its rules and flaws: stand_in.py). The learner still calls it the way AI engineers call a hosted model,
through a provider's SDK:

    from mlai_course.labs.chat import stand_in_client

    client = stand_in_client()              # an openai.OpenAI client: no key, no server, no network
    reply = client.chat.completions.create(
        model="stand-in-small",
        messages=[{"role": "system", "content": "..."}, {"role": "user", "content": "..."}],
        temperature=0,
    )
    reply                                   # openai.types.chat.ChatCompletion, the SDK's own type
    reply.choices[0].message.content        # the text of the answer
    reply.choices[0].finish_reason          # "stop", or "length" when max_tokens cut the answer short
    reply.usage.prompt_tokens, reply.usage.completion_tokens, reply.usage.total_tokens

**How.** The SDK sends each request through its HTTP client. Here that client is an `httpx2.Client` (the HTTP
library this SDK version is built on) whose *transport*, `StandInTransport`, hands the request to the
stand-in and returns its answer as an HTTP response in the provider's JSON shape. No server, no socket, no
network, and the same answers on every run. Everything else is the SDK's own, exactly as against a real
provider: it builds the request, parses the reply into its types, raises its errors (a bad request comes back
as HTTP 400, which the SDK raises as `openai.BadRequestError`; an unknown model as 404,
`openai.NotFoundError`; all are `openai.APIError`), and applies its timeouts and retries (`max_retries`,
`timeout`, `client.with_options(...)`).

What the stand-in's endpoint takes: `POST /chat/completions` with `model` (one of the course's example models,
mlai_course.labs.tokens), `messages` (dicts with exactly `role` and `content`, the content a string),
`temperature` (0 to 2; 1 when left out, as with real APIs), `seed`, and `max_tokens` (or
`max_completion_tokens`); `n` must be 1 and `stream` false; other options are accepted and ignored.
`GET /models` lists its models.

**Determinism.** With a request `seed`, the same request gives the same answer. Without one, each call of a
client draws anew, reproducibly: two clients made with the same `stand_in_client(seed=...)` give the same
answers to the same sequence of calls (`seed=None` is the course's default sequence, the same as `seed=0`).

**Switching to a real provider** is the SDK's own `base_url` and `api_key`, and a model name it serves:

    import os
    import openai

    client = openai.OpenAI(base_url="https://api.example.com/v1", api_key=os.environ["PROVIDER_API_KEY"])

Nothing else in the learner's code changes. It needs the network and an account, it costs real money, and a
real model answers differently (none of the stand-in's rules hold for it). No test and no notebook cell
needs it; keep keys out of notebooks (read them from the environment).

For tests: `ScriptedReplies` is a transport that answers fixed texts (or HTTP errors) and records what it was
sent; `openai_client(transport)` puts any transport behind the SDK.
"""

import hashlib
import json
import random

import httpx2
import openai

from mlai_course.labs.stand_in import answer, check_request, read_request
from mlai_course.labs.tokens import EXAMPLE_MODELS, count_message_tokens, count_tokens, truncate_to_tokens

STAND_IN_URL = "http://stand-in.invalid/v1"  # .invalid never resolves: only the transport answers it
STAND_IN_KEY = "stand-in-needs-no-key"
DEFAULT_TEMPERATURE = 1.0  # as with real APIs
MODELS = tuple(EXAMPLE_MODELS)


def openai_client(transport: httpx2.BaseTransport, **options) -> openai.OpenAI:
    """An `openai.OpenAI` client whose requests `transport` answers (options: the SDK's, e.g. max_retries)."""
    return openai.OpenAI(
        api_key=STAND_IN_KEY, base_url=STAND_IN_URL, http_client=httpx2.Client(transport=transport), **options
    )


def stand_in_client(seed: int | None = None, **options) -> openai.OpenAI:
    """The SDK's client, answered in-process by the stand-in model (see the module docstring)."""
    return openai_client(StandInTransport(seed), **options)


def error_response(status: int, message: str, kind: str, code: str | None = None) -> httpx2.Response:
    """An error in the shape OpenAI-compatible APIs use, which the SDK turns into its exceptions."""
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return httpx2.Response(status, json=body)


def completion(model: str, content: str, finish_reason: str, prompt_tokens: int, reply_id: str) -> dict:
    """A chat completion as the provider's JSON; `created` is 0: the stand-in has no clock."""
    completion_tokens = count_tokens(content)
    return {
        "id": reply_id,
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def request_body(request: httpx2.Request) -> dict:
    try:
        body = json.loads(request.content or b"{}")
    except ValueError:
        raise ValueError("the request body is not JSON") from None
    if not isinstance(body, dict):
        raise ValueError("the request body must be a JSON object")
    return body


class StandInTransport(httpx2.BaseTransport):
    """The stand-in model behind an HTTP transport: each request is answered in-process."""

    def __init__(self, seed: int | None = None):
        self.seed = 0 if seed is None else seed
        self.calls = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.removeprefix("/v1")
        if request.method == "GET" and path == "/models":
            models = [
                {"id": name, "object": "model", "created": 0, "owned_by": "the course"} for name in MODELS
            ]
            return httpx2.Response(200, json={"object": "list", "data": models})
        if request.method != "POST" or path != "/chat/completions":
            message = f"the stand-in has no {request.method} {path}"
            return error_response(404, message, "invalid_request_error")
        try:
            return httpx2.Response(200, json=self.chat(request_body(request)))
        except LookupError as error:
            return error_response(404, str(error.args[0]), "invalid_request_error", "model_not_found")
        except ValueError as error:
            return error_response(400, str(error), "invalid_request_error")

    def chat(self, body: dict) -> dict:
        model, messages = body.get("model"), body.get("messages")
        temperature = body.get("temperature", DEFAULT_TEMPERATURE)
        max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
        if model not in EXAMPLE_MODELS:
            raise LookupError(f"unknown model {model!r}; the stand-in's models are: {', '.join(MODELS)}")
        if body.get("n", 1) != 1:
            raise ValueError("the stand-in gives one choice per request: n must be 1")
        if body.get("stream"):
            raise ValueError("the stand-in does not stream: leave stream out")
        check_request(model, messages, temperature, max_tokens)
        self.calls += 1
        request_key = json.dumps([model, messages, temperature], sort_keys=True)
        seed = body.get("seed")
        draw = [request_key, seed] if seed is not None else [request_key, "client", self.seed, self.calls]
        digest = hashlib.sha256(json.dumps(draw).encode()).hexdigest()
        content = answer(read_request(messages), temperature, random.Random(int(digest[:16], 16)))
        finish_reason = "stop"
        if max_tokens is not None and count_tokens(content) > max_tokens:
            content, finish_reason = truncate_to_tokens(content, max_tokens), "length"
        prompt_tokens = count_message_tokens(messages)
        return completion(model, content, finish_reason, prompt_tokens, "standin-" + digest[:12])


class ScriptedReplies(httpx2.BaseTransport):
    """A transport for tests: answers each chat request with the next of `replies` (the last one again when
    they run out) and keeps each request's JSON body in `requests`.

    A reply is the answer's text, or an HTTP status code (an int) to answer with that error instead: the SDK
    retries 429 and 5xx by itself (this transport asks it to wait 1 ms), and raises the rest.
    """

    def __init__(self, *replies):
        if not replies:
            raise ValueError("ScriptedReplies needs at least one reply")
        self.replies = list(replies)
        self.requests = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request_body(request)
        self.requests.append(body)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, int):
            response = error_response(reply, f"scripted error {reply}", "server_error")
            response.headers["retry-after-ms"] = "1"
            return response
        prompt_tokens = count_message_tokens(body.get("messages") or [])
        reply_id = f"scripted-{len(self.requests)}"
        return httpx2.Response(
            200, json=completion(body.get("model", ""), reply, "stop", prompt_tokens, reply_id)
        )
