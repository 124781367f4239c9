"""The lab's offline tokenizer and the course's example prices (mlai_course.labs.tokens)."""

import inspect

import pytest
from conftest import source_article_text

from mlai_course.labs import tokens
from mlai_course.labs.tokens import (
    EXAMPLE_MODELS,
    cost_per_1000_usd,
    cost_usd,
    count_message_tokens,
    count_tokens,
    example_latency_s,
    format_usd,
    tokenize,
    truncate_to_tokens,
)


def test_tokenize_follows_the_documented_rule():
    assert tokenize("engineering") == ["engine", "ering"]
    assert tokenize("chunking") == ["chun", "king"]
    assert tokenize("Improve RAG") == ["Improve", "RAG"]
    assert tokenize("2025") == ["2", "0", "2", "5"]
    assert tokenize("a/b, c!") == ["a", "/", "b", ",", "c", "!"]
    assert tokenize("  \n\t ") == []


def test_tokenize_needs_text():
    with pytest.raises(TypeError, match="string"):
        tokenize(["not", "text"])


def test_counts_have_the_size_of_real_tokenizers_on_english_text():
    text = source_article_text()
    characters_per_token = len(text) / count_tokens(text)
    assert 3.5 < characters_per_token < 5, characters_per_token


def test_a_chat_request_pays_a_documented_overhead():
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert count_message_tokens(messages) == (3 + 4) + (1 + 4) + 3


@pytest.mark.parametrize("text", ['{"role": "AI Engineer", "reasons": ["engineering"]}', "USD 130K-165K."])
def test_truncate_keeps_a_prefix_of_exactly_the_limit(text):
    total = count_tokens(text)
    for limit in range(total + 2):
        cut = truncate_to_tokens(text, limit)
        assert text.startswith(cut)
        assert count_tokens(cut) == min(limit, total)


def test_cost_is_the_example_price_per_million_tokens():
    small = EXAMPLE_MODELS["stand-in-small"]
    assert cost_usd(1_000_000, 0) == pytest.approx(small.input_usd_per_million)
    assert cost_usd(0, 1_000_000) == pytest.approx(small.output_usd_per_million)
    assert cost_per_1000_usd(200, 40) == pytest.approx(1000 * cost_usd(200, 40))
    assert cost_usd(100, 10, "stand-in-large") > cost_usd(100, 10, "stand-in-small")


def test_unknown_model_and_negative_counts_are_refused():
    with pytest.raises(ValueError, match="stand-in-small"):
        cost_usd(1, 1, "gpt-unknown")
    with pytest.raises(ValueError, match="negative"):
        cost_usd(-1, 0)


def test_example_latency_grows_with_the_answer():
    assert example_latency_s(100) > example_latency_s(10) > 0


def test_money_is_written_without_a_dollar_sign():
    assert format_usd(0.000123) == "USD 0.00012"
    assert format_usd(0.0123) == "USD 0.012"
    assert format_usd(1234.5) == "USD 1,234.50"
    assert "$" not in inspect.getsource(tokens)


def test_prices_are_labelled_as_the_course_own():
    assert "course's own example prices" in tokens.__doc__
    assert "not any provider's" in tokens.__doc__
