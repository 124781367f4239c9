"""What each approach costs to run and to label, with the course's own example figures.

Lab 08 compares lab 07's trained model with its application on a hosted model. A fair comparison gives both
their costs:

- **serving**: both answer behind an endpoint on a server; the course's example is one small CPU server at
  SERVER_USD_PER_HOUR, all month. The application also pays per token (mlai_course.labs.tokens).
- **labelling**: a labelled posting costs a recruiter's time, LABEL_USD_PER_POSTING. The trained model needs
  labelled postings to train and to choose on; the application needs labelled postings for its evaluation
  sets.
- **throughput of a hosted model**: one call waits for its answer, but calls can run side by side up to
  the provider's rate limit; the course's example allows EXAMPLE_CONCURRENT_CALLS at once.

Every figure here is **the course's own example, made up for teaching**, like the example token prices: not
any provider's or any company's. Real prices differ and change often.
"""

SERVER_USD_PER_HOUR = 0.05  # one small CPU server (2 vCPUs, a few GB of memory)
HOURS_PER_MONTH = 730
LABEL_USD_PER_POSTING = 0.50  # about 30 seconds of a recruiter's time
EXAMPLE_POSTINGS_PER_MONTH = 100_000  # the course's example job board
EXAMPLE_CONCURRENT_CALLS = 10  # calls to the hosted model at once, under its rate limit


def _check_count(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{name} must be a number of at least 0, not {value!r}")


def server_usd_per_month() -> float:
    """The example server, all month."""
    return SERVER_USD_PER_HOUR * HOURS_PER_MONTH


def running_usd_per_1000(
    api_usd_per_1000: float = 0.0, postings_per_month: int = EXAMPLE_POSTINGS_PER_MONTH
) -> float:
    """Running cost per 1,000 postings: the server's month shared by the month's postings, plus API fees."""
    _check_count(api_usd_per_1000, "api_usd_per_1000")
    _check_count(postings_per_month, "postings_per_month")
    if postings_per_month == 0:
        raise ValueError(
            "postings_per_month must be more than 0: a month with no postings has no cost per posting"
        )
    return server_usd_per_month() * 1000 / postings_per_month + api_usd_per_1000


def labelling_usd(postings: int) -> float:
    """What labelling `postings` postings costs at the example price."""
    _check_count(postings, "postings")
    return postings * LABEL_USD_PER_POSTING


def hosted_postings_per_second(latency_s: float, concurrent_calls: int = EXAMPLE_CONCURRENT_CALLS) -> float:
    """Throughput of a hosted model: `concurrent_calls` calls at once, each taking `latency_s`."""
    if not latency_s > 0:
        raise ValueError(f"latency_s must be more than 0, not {latency_s!r}")
    _check_count(concurrent_calls, "concurrent_calls")
    return concurrent_calls / latency_s
