import pytest

from chinwag.core.usage.metrics import Metrics, TokenUsage


def test_costs_tokens_and_latencies_accumulate() -> None:
    metrics = Metrics(model_name="m")
    metrics.add_cost(0.5)
    metrics.add_cost(0.25)
    metrics.add_token_usage(TokenUsage(prompt_tokens=10, completion_tokens=5, reasoning_tokens=2))
    metrics.add_token_usage(TokenUsage(prompt_tokens=1, completion_tokens=1, cache_read_tokens=7))
    metrics.add_response_latency(1.5)
    assert metrics.accumulated_cost == pytest.approx(0.75)
    usage = metrics.accumulated_token_usage
    assert usage is not None
    assert (usage.prompt_tokens, usage.completion_tokens) == (11, 6)
    assert (usage.reasoning_tokens, usage.cache_read_tokens) == (2, 7)
    assert [lat.latency for lat in metrics.response_latencies] == [1.5]
    with pytest.raises(ValueError):
        metrics.add_cost(-1)


def test_diff_reports_only_what_happened_since_the_baseline() -> None:
    metrics = Metrics(model_name="m")
    metrics.add_cost(1.0)
    metrics.add_token_usage(TokenUsage(prompt_tokens=100))
    baseline = metrics.deep_copy()
    metrics.add_cost(0.5)
    metrics.add_token_usage(TokenUsage(prompt_tokens=3, completion_tokens=4))
    delta = metrics.diff(baseline)
    assert delta.accumulated_cost == pytest.approx(0.5)
    assert delta.accumulated_token_usage is not None
    assert delta.accumulated_token_usage.prompt_tokens == 3
    assert len(delta.costs) == 1


def test_merge_and_snapshot() -> None:
    a, b = Metrics(model_name="a"), Metrics(model_name="b")
    a.add_cost(1)
    b.add_cost(2)
    b.add_token_usage(TokenUsage(completion_tokens=9))
    a.merge(b)
    snapshot = a.get_snapshot()
    assert snapshot.accumulated_cost == 3
    assert snapshot.accumulated_token_usage is not None
    assert snapshot.accumulated_token_usage.completion_tokens == 9
    assert not hasattr(snapshot, "costs")
