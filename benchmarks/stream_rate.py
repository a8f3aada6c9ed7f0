"""Tokens per second from the real local llama.cpp server: Chinwag vs the plain `openai`
client, interleaved in the same run, the same fixed-length reply (ignore_eos). Goal: Chinwag
at least 90% of the plain client's rate."""

from __future__ import annotations

import statistics

from benchmarks._common import emit, start_local_server, summary
from benchmarks._llm import chinwag_backend, chinwag_chat_service, plain_client

RUNS = 5
MAX_TOKENS = 48


def main() -> None:
    server, base_url, key = start_local_server()
    runners = {
        "plain_client": plain_client(base_url, key),
        "chinwag_backend": chinwag_backend(base_url, key),
        "chinwag_chat_service": chinwag_chat_service(base_url, key),
    }
    for run in runners.values():
        run(4)
    rates: dict[str, list[float]] = {name: [] for name in runners}
    tokens: dict[str, list[int]] = {name: [] for name in runners}
    cpu_per_token: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(RUNS):
        for name, run in runners.items():
            timing = run(MAX_TOKENS)
            rates[name].append(timing.tokens_per_second)
            tokens[name].append(timing.tokens)
            cpu_per_token[name].append(timing.stream_cpu_ms / max(timing.tokens - 1, 1))
    plain = statistics.median(rates["plain_client"])
    ratios = {
        name: round(statistics.median(values) / plain, 3)
        for name, values in rates.items()
        if name != "plain_client"
    }
    server.stop()
    emit(
        {
            "benchmark": "stream_rate",
            "tokens_per_second": {name: summary(values) for name, values in rates.items()},
            "tokens_per_reply": {name: statistics.median(v) for name, v in tokens.items()},
            "ratio_to_plain": ratios,
            "goal_ratio": 0.9,
            # the client's own CPU per token: what Chinwag adds, robust to a busy machine
            "client_cpu_ms_per_token": {
                name: summary(values, 3) for name, values in cpu_per_token.items()
            },
            "met": all(r >= 0.9 for r in ratios.values()),
        }
    )


if __name__ == "__main__":
    main()
