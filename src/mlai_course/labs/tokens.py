"""Count tokens offline, and price them with the course's own example prices.

Real language models read text as *tokens*: pieces of words made by a tokenizer that was learnt from data
(byte-pair encoding and its cousins). Each provider has its own, and they need files this course does not
ship. So the course uses a small rule of its own, an **approximation** of real tokenizers that works
offline and gives counts of the right size (about four characters of English text per token):

- letters: a word of up to 7 letters is one token; a longer word is cut into nearly equal pieces of at most 7
  letters ("engineering" -> "engine", "ering"; "chunking" -> "chun", "king");
- digits: each digit is its own token ("2025" -> "2", "0", "2", "5"), as many real tokenizers do;
- every other character that is not a space (punctuation, symbols) is one token;
- spaces and line breaks cost nothing.

A chat request also pays a small overhead: 4 tokens per message (for its role and separators) and 3 tokens to
start the reply. Real providers do something similar; the exact numbers here are the course's own.

Prices are the **course's own example prices**, made up for teaching, in US dollars per million tokens. They
are not any provider's prices; real prices differ between providers and change often. The latencies are the
course's own example figures for a hosted model too (a fixed time per call plus a time per token), not
measurements.
"""

import math
import re
from dataclasses import dataclass

PIECE = re.compile(r"[^\W\d_]+|\d|[^\w\s]|_")
LETTERS_PER_TOKEN = 7
TOKENS_PER_MESSAGE = 4
TOKENS_PER_REPLY = 3


@dataclass(frozen=True)
class ExampleModel:
    """A made-up hosted model: the course's own example prices (USD per million tokens) and latency."""

    name: str
    input_usd_per_million: float
    output_usd_per_million: float
    seconds_per_call: float
    seconds_per_output_token: float


# The course's own example prices and latencies: made up for teaching, not any provider's.
EXAMPLE_MODELS = {
    model.name: model
    for model in (
        ExampleModel("stand-in-small", 0.40, 1.60, 0.30, 0.010),
        ExampleModel("stand-in-large", 4.00, 16.00, 0.60, 0.025),
    )
}
DEFAULT_MODEL = "stand-in-small"


def tokenize(text: str) -> list[str]:
    """Cut `text` into tokens by the course's rule (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError(f"tokenize needs a string, not {type(text).__name__}")
    tokens = []
    for piece in PIECE.findall(text):
        if piece[0].isalpha():
            tokens.extend(_cut_word(piece))
        else:
            tokens.append(piece)
    return tokens


def _cut_word(word: str) -> list[str]:
    """A run of letters in nearly equal pieces of at most LETTERS_PER_TOKEN letters, longest first."""
    pieces = math.ceil(len(word) / LETTERS_PER_TOKEN)
    size, longer = divmod(len(word), pieces)
    bounds = [0]
    for index in range(pieces):
        bounds.append(bounds[-1] + size + (1 if index < longer else 0))
    return [word[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def count_tokens(text: str) -> int:
    """How many tokens `text` is, by the course's rule (the length of `tokenize(text)`, counted faster)."""
    if not isinstance(text, str):
        raise TypeError(f"count_tokens needs a string, not {type(text).__name__}")
    return sum(
        -(-len(piece) // LETTERS_PER_TOKEN) if piece[0].isalpha() else 1 for piece in PIECE.findall(text)
    )


def truncate_to_tokens(text: str, limit: int) -> str:
    """The start of `text` that holds its first `limit` tokens (a word cut in pieces may be cut inside)."""
    if limit <= 0:
        return ""
    seen = 0
    for match in PIECE.finditer(text):
        piece = match.group()
        pieces = _cut_word(piece) if piece[0].isalpha() else [piece]
        if seen + len(pieces) >= limit:
            keep = limit - seen
            return text[: match.start() + sum(len(part) for part in pieces[:keep])]
        seen += len(pieces)
    return text


def count_message_tokens(messages: list[dict]) -> int:
    """Prompt tokens of a chat request: each message's content, 4 per message, 3 to start the reply."""
    return (
        sum(count_tokens(message["content"]) + TOKENS_PER_MESSAGE for message in messages) + TOKENS_PER_REPLY
    )


def example_model(model: str) -> ExampleModel:
    try:
        return EXAMPLE_MODELS[model]
    except KeyError:
        raise ValueError(
            f"no example price for model {model!r}; the course's models are: {', '.join(EXAMPLE_MODELS)}"
        ) from None


def cost_usd(prompt_tokens: int, completion_tokens: int, model: str = DEFAULT_MODEL) -> float:
    """What one call costs in US dollars at the course's example prices."""
    if prompt_tokens < 0 or completion_tokens < 0:
        raise ValueError("token counts cannot be negative")
    prices = example_model(model)
    return (
        prompt_tokens * prices.input_usd_per_million + completion_tokens * prices.output_usd_per_million
    ) / 1_000_000


def cost_per_1000_usd(prompt_tokens: float, completion_tokens: float, model: str = DEFAULT_MODEL) -> float:
    """What 1,000 calls of this size cost in US dollars at the course's example prices."""
    return 1000 * cost_usd(prompt_tokens, completion_tokens, model)


def example_latency_s(completion_tokens: int, model: str = DEFAULT_MODEL) -> float:
    """The course's example time for one call to a hosted model: a fixed part plus a part per reply token."""
    timing = example_model(model)
    return timing.seconds_per_call + completion_tokens * timing.seconds_per_output_token


def format_usd(amount: float) -> str:
    """Money as the course writes it, never with a dollar sign: 'USD 0.0123'."""
    if amount != 0 and abs(amount) < 0.1:
        digits = 1 - math.floor(math.log10(abs(amount)))
        return f"USD {amount:.{digits}f}"
    return f"USD {amount:,.2f}"
