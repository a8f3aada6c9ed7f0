"""Time to first token against the real local llama.cpp server: Chinwag vs the plain
`openai` client, side by side in the same run.

warm: both clients already used once; interleaved runs, medians compared.
first_after_start: a fresh process per client makes its first call, after what an app does
at start (the plain client: `import openai`; Chinwag: `warm_up()`, litellm's import and
first-call set-up, which the app runs in the background); the overhead is what Chinwag's
first call costs beyond the plain client's first call, client set-up included on both sides.
Goals: < 20 ms warm, < 100 ms first.
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks._common import emit, run_child, start_local_server, summary
from benchmarks._llm import chinwag_backend, chinwag_chat_service, plain_client

RUNS = 12
MAX_TOKENS = 4

CHILD = """
import json, time
{preimport}
from benchmarks._llm import {factory}
started, cpu = time.perf_counter(), time.process_time()
run = {factory}({base_url!r}, {key!r})  # client set-up counts: the app pays it too
made, made_cpu = time.perf_counter(), time.process_time()
timing = run({max_tokens})
print(json.dumps({{
    "first_token_ms": timing.first_token_ms + (made - started) * 1000,
    "cpu_ms": timing.cpu_ms + (made_cpu - cpu) * 1000,
}}))
"""


def first_after_start(base_url: str, key: str) -> dict[str, Any]:
    preimport = {
        "plain_client": "import openai",
        "chinwag_backend": "from chinwag.core.llm.litellm_backend import warm_up; warm_up()",
    }
    firsts: dict[str, list[float]] = {name: [] for name in preimport}
    cpus: dict[str, list[float]] = {name: [] for name in preimport}
    for _ in range(3):
        for factory, pre in preimport.items():
            code = CHILD.format(
                factory=factory, base_url=base_url, key=key, preimport=pre, max_tokens=MAX_TOKENS
            )
            child = run_child(code)
            firsts[factory].append(child["first_token_ms"])
            cpus[factory].append(child["cpu_ms"])
    plain = statistics.median(firsts["plain_client"])
    chinwag = statistics.median(firsts["chinwag_backend"])
    return {
        "plain_ms": round(plain, 1),
        "chinwag_ms": round(chinwag, 1),
        "overhead_ms": round(chinwag - plain, 1),
        "cpu_ms": {name: round(statistics.median(v), 1) for name, v in cpus.items()},
        "goal_overhead_ms": 100,
        "met": chinwag - plain < 100,
        "met_by_cpu": statistics.median(cpus["chinwag_backend"])
        - statistics.median(cpus["plain_client"])
        < 100,
    }


def main() -> None:
    server, base_url, key = start_local_server()
    runners = {
        "plain_client": plain_client(base_url, key),
        "chinwag_backend": chinwag_backend(base_url, key),
        "chinwag_chat_service": chinwag_chat_service(base_url, key),
    }
    for run in runners.values():  # warm: imports, connections, the model's prompt cache
        run(MAX_TOKENS)
    warm: dict[str, list[float]] = {name: [] for name in runners}
    cpu: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(RUNS):
        for name, run in runners.items():
            timing = run(MAX_TOKENS)
            warm[name].append(timing.first_token_ms)
            cpu[name].append(timing.cpu_ms)
    plain = statistics.median(warm["plain_client"])
    plain_cpu = statistics.median(cpu["plain_client"])
    result: dict[str, Any] = {
        "benchmark": "first_token",
        "warm_ms": {name: summary(values) for name, values in warm.items()},
        "warm_overhead_ms": {
            name: round(statistics.median(values) - plain, 1)
            for name, values in warm.items()
            if name != "plain_client"
        },
        "goal_warm_overhead_ms": 20,
        # CPU time is far less sensitive than wall time to other load on the machine
        "warm_cpu_ms": {name: summary(values) for name, values in cpu.items()},
        "warm_cpu_overhead_ms": {
            name: round(statistics.median(values) - plain_cpu, 1)
            for name, values in cpu.items()
            if name != "plain_client"
        },
    }
    result["warm_met"] = all(v < 20 for v in result["warm_overhead_ms"].values())
    result["warm_met_by_cpu"] = all(v < 20 for v in result["warm_cpu_overhead_ms"].values())
    result["first_after_start"] = first_after_start(base_url, key)
    server.stop()
    emit(result)


if __name__ == "__main__":
    main()
