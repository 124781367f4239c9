"""The course's example serving and labelling costs (mlai_course.labs.costs): what each approach pays."""

import pytest

from mlai_course.labs import costs


def test_the_server_costs_the_same_all_month_and_is_shared_by_the_months_postings():
    month = costs.SERVER_USD_PER_HOUR * costs.HOURS_PER_MONTH
    assert costs.server_usd_per_month() == pytest.approx(month)
    assert costs.running_usd_per_1000() == pytest.approx(month * 1000 / costs.EXAMPLE_POSTINGS_PER_MONTH)
    assert costs.running_usd_per_1000(postings_per_month=10_000) == pytest.approx(
        10 * costs.running_usd_per_1000()
    )
    assert costs.running_usd_per_1000(0.2) == pytest.approx(costs.running_usd_per_1000() + 0.2), (
        "plus API fees"
    )


def test_labelling_and_hosted_throughput():
    assert costs.labelling_usd(700) == pytest.approx(700 * costs.LABEL_USD_PER_POSTING)
    assert costs.labelling_usd(0) == 0
    assert costs.hosted_postings_per_second(0.5) == pytest.approx(costs.EXAMPLE_CONCURRENT_CALLS / 0.5)
    assert costs.hosted_postings_per_second(0.5, concurrent_calls=1) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: costs.labelling_usd(-1), "postings"),
        (lambda: costs.labelling_usd(True), "postings"),
        (lambda: costs.running_usd_per_1000(postings_per_month=0), "more than 0"),
        (lambda: costs.running_usd_per_1000(-0.1), "api_usd_per_1000"),
        (lambda: costs.hosted_postings_per_second(0), "latency_s"),
    ],
)
def test_bad_figures_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()
