"""First token and stream rate through the window, rendered, against the plain `openai`
client, both on the real local llama.cpp server in the same run (interleaved).

- plain client: time from the request to the first content chunk; tokens/s after it.
- window: `ConversationPane.send()` (what the Send button does) to the first paint of the
  message view that shows reply text; tokens/s from that paint to the paint that shows the
  last of it, with the completion token count the server reports.
Same prompt, greedy decoding, the same token cap, so both produce the same tokens.
Goals: first-token overhead under 20 ms warm; rate at least 90% of the plain client's.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from benchmarks._common import emit, start_local_server, summary
from benchmarks._llm import bench_provider

RUNS = 5
MAX_TOKENS = 48
PROMPT = "Count from 1 to 200, separated by commas."


def plain_client(base_url: str, key: str) -> Callable[[], tuple[float, float]]:
    import openai

    client = openai.OpenAI(base_url=base_url, api_key=key, max_retries=0)

    def run() -> tuple[float, float]:
        started = time.perf_counter()
        first = last = 0.0
        stream = client.chat.completions.create(
            model="local",
            messages=[{"role": "user", "content": PROMPT}],
            stream=True,
            temperature=0.0,
            max_tokens=MAX_TOKENS,
            stream_options={"include_usage": True},
        )
        tokens = 0
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                last = time.perf_counter()
                first = first or last
            if chunk.usage is not None:
                tokens = chunk.usage.completion_tokens
        return (first - started) * 1000, (tokens - 1) / (last - first)

    return run


def window_runner(base_url: str, key: str) -> tuple[Callable[[], tuple[float, float]], Any]:
    from PySide6.QtWidgets import QApplication

    from chinwag.app import build
    from chinwag.core.types import Conversation
    from chinwag.ui.app.main import prepare_litellm, share_the_interpreter
    from chinwag.ui.app.main_window import MainWindow
    from chinwag.ui.conversation.pane import LIVE_ID

    app = QApplication.instance() or QApplication(sys.argv)
    share_the_interpreter()
    services = build()
    services.plugins.providers["bench"] = bench_provider(base_url, key)
    prepare_litellm()  # what the warm-up does once a message is typed
    window = MainWindow(services)
    window.show()
    pane, view = window.pane, window.pane.view
    marks: list[float] = []  # paints that showed more reply text than the one before
    shown = [0]
    original_paint = view.paintEvent

    def timed_paint(event: Any) -> None:
        original_paint(event)
        length = len(view.live_text(LIVE_ID)) if pane.streaming else 0
        if length > shown[0]:
            marks.append(time.perf_counter())
            shown[0] = length

    view.paintEvent = timed_paint  # type: ignore[method-assign]

    def run() -> tuple[float, float]:
        settings = {"temperature": 0.0, "max_output_tokens": MAX_TOKENS}
        conversation = services.store.create_conversation(  # titled: no title request after
            Conversation(title="bench", model="bench/local", model_settings=settings)
        )
        pane.open(conversation)
        pane.composer.setPlainText(PROMPT)
        marks.clear()
        shown[0] = 0
        started = time.perf_counter()
        pane.send()
        while pane.streaming and time.perf_counter() - started < 120:
            app.processEvents()
            time.sleep(0.0005)
        reply = services.store.list_messages(conversation.id)[-1]
        tokens = reply.usage.completion_tokens if reply.usage else 0
        if not marks:
            raise RuntimeError(f"no reply text was painted: {reply.error}")
        return (marks[0] - started) * 1000, (tokens - 1) / (marks[-1] - marks[0])

    return run, window


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["CHINWAG_HOME"] = tempfile.mkdtemp(prefix="chinwag-bench-")
    server, base_url, key = start_local_server()
    window_run, window = window_runner(base_url, key)
    runners = {"plain_client": plain_client(base_url, key), "window_rendered": window_run}
    for run in runners.values():
        run()  # warm: connections, caches, the prompt in llama.cpp's cache
    first: dict[str, list[float]] = {name: [] for name in runners}
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(RUNS):
        for name, run in runners.items():
            first_ms, rate = run()
            first[name].append(first_ms)
            rates[name].append(rate)
    window.close()
    server.stop()
    overhead = statistics.median(first["window_rendered"]) - statistics.median(
        first["plain_client"]
    )
    ratio = statistics.median(rates["window_rendered"]) / statistics.median(rates["plain_client"])
    emit(
        {
            "benchmark": "ui_stream",
            "first_token_ms": {name: summary(values) for name, values in first.items()},
            "tokens_per_second": {name: summary(values) for name, values in rates.items()},
            "first_token_overhead_ms": round(overhead, 1),
            "rate_ratio_to_plain": round(ratio, 3),
            "met": overhead < 20 and ratio >= 0.9,
        }
    )


if __name__ == "__main__":
    main()
