"""Desktop UI figures, printed as one JSON object.

- startup: process start to the main window painted (visible), and to it listing the history
  with a usable composer (ready), next to a bare PySide6 window (floor), and whether litellm
  (never) and pydantic (the core) were imported by the first paint.
- long_conversation: opening a 10,000-message conversation (about 5 MB of text) to first
  paint (and the store's outline query, part of it), then frame times scrolling through it:
  the thumb dragged from end to start (`scroll`), and a page per frame (`scroll_pages`).
- ui_stall: streaming 1,000 tokens/s from a local SSE server (OpenAI chat-completions wire
  format, in its own process) through litellm into that conversation: the longest gap of
  a 1 ms UI-thread timer, UI-thread time per token, and paint (frame) times.

Run with a display (Xvfb is fine): xvfb-run -a .venv/bin/python -m benchmarks.ui_startup
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TOKENS = 3000
RATE = 1000  # tokens per second

SSE_SERVER = r"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKENS, RATE = int(sys.argv[1]), int(sys.argv[2])

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        def chunk(delta, finish=None, usage=None):
            body = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fast",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if usage:
                body["usage"] = usage
            self.wfile.write(b"data: " + json.dumps(body).encode() + b"\n\n")
        chunk({"role": "assistant", "content": ""})
        start = time.perf_counter()
        for i in range(TOKENS):
            word = "word%d " % i
            if i % 60 == 59:
                word += "\n\n"
            if i % 400 == 100:
                word += "\n\n```python\nfor i in range(3):\n    print(i)\n```\n\n"
            chunk({"content": word})
            self.wfile.flush()
            delay = start + (i + 1) / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        chunk({}, "stop", {"prompt_tokens": 10, "completion_tokens": TOKENS,
                           "total_tokens": TOKENS + 10})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def log_message(self, *args):
        pass

class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, address):  # the app hanging up is expected
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, address)

server = QuietServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""

CHILD_APP = r"""
import json, sys
from PySide6.QtWidgets import QApplication
from chinwag.ui.app.main import after_first_paint, launch
app = QApplication(sys.argv)
window = launch(app)
def report(stage):
    heavy = {name: name in sys.modules for name in ("litellm", "pydantic")}
    print(json.dumps({"stage": stage, "imported": heavy}), flush=True)
def ready():
    after_first_paint(window.pane, lambda: (report("ready"), app.quit()))
after_first_paint(window, lambda: report("visible"))
window.ready.connect(ready)
app.exec()
"""

CHILD_FLOOR = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 740)
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print("{}", flush=True), app.quit()))
        return False
window.installEventFilter(FirstPaint(window))
window.show()
app.exec()
"""


def time_child(code: str, env: dict[str, str]) -> list[tuple[float, dict[str, Any]]]:
    """Milliseconds from process start to each line the child prints, with the line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(((time.perf_counter() - started) * 1000, json.loads(line)))
    process.wait(timeout=60)
    return lines


def startup(home: Path) -> dict[str, Any]:
    """The main window on screen (its frame, PySide6 only) and ready (history listed,
    composer usable), each the best of 3, next to a bare PySide6 window."""
    env = {**os.environ, "CHINWAG_HOME": str(home / "startup")}
    visible, ready, floor, imported = [], [], [], []
    for _ in range(3):
        (visible_ms, shown), (ready_ms, _) = time_child(CHILD_APP, env)
        visible.append(visible_ms)
        ready.append(ready_ms)
        imported.append(shown["imported"])
        floor.append(time_child(CHILD_FLOOR, env)[0][0])
    return {
        "visible_ms": round(min(visible), 1),
        "ready_ms": round(min(ready), 1),
        "floor_bare_window_ms": round(min(floor), 1),
        "ratio_to_floor": round(min(visible) / min(floor), 2),
        "ready_ratio_to_floor": round(min(ready) / min(floor), 2),
        "imported_at_window": {
            name: any(i[name] for i in imported) for name in ("litellm", "pydantic")
        },
    }


def fill(store: Any, count: int) -> str:
    from chinwag.core.types import Conversation, Message, Role, Usage

    conversation = store.create_conversation(Conversation(title="Ten thousand messages"))
    paragraph = (
        "Chinwag keeps every message in SQLite and renders only what is on screen. "
        "This sentence pads the message to a realistic length. "
    )
    for i in range(count):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        text = f"Message {i}. " + paragraph * (1 + i % 7)
        if i % 50 == 1:
            text += "\n\n```python\ndef f(x):\n    return x * 2\n```\n\n"
            text += "| a | b |\n|---|---|\n| 1 | 2 |\n"
        usage = Usage(prompt_tokens=20, completion_tokens=80) if role == Role.ASSISTANT else None
        store.add_message(
            Message.of_text(conversation.id, role, text, usage=usage, cost=0.0 if usage else None)
        )
    return str(conversation.id)


def wait_until(app: Any, condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while not condition() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)


def in_process(home: Path) -> dict[str, Any]:
    os.environ["CHINWAG_HOME"] = str(home / "ui")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks._llm import bench_provider
    from chinwag.app import build
    from chinwag.ui.app import theme
    from chinwag.ui.app.main import prepare_litellm, share_the_interpreter
    from chinwag.ui.app.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    share_the_interpreter()  # as launch() does
    services = build()
    theme.apply(app, services.settings)  # type: ignore[arg-type]
    started = time.perf_counter()
    conversation_id = fill(services.store, 10_000)
    fill_s = time.perf_counter() - started
    with services.store.connection.reading() as db:
        text_bytes = db.execute(
            "SELECT sum(length(text)) FROM messages WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()[0]

    server = subprocess.Popen(
        [sys.executable, "-c", SSE_SERVER, str(TOKENS), str(RATE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    port = int(server.stdout.readline())
    base_url = f"http://127.0.0.1:{port}/v1"
    services.plugins.providers["bench"] = bench_provider(base_url, "local", model="fast")
    # A 10,000-message history (5 MB) would not fit any context window: as compaction does,
    # the in-context window starts near the end, so the request carries the last 20 messages.
    services.store.update_conversation(conversation_id, model="bench/fast", context_start=9_980)
    # As the app's warm-up thread does before the first message: import litellm, run its
    # first-call set-up (some 500 more modules), then freeze the heap. Without the set-up,
    # its objects stay in the collector's reach and full collections pause the stream.
    prepare_litellm()

    window = MainWindow(services)
    window.resize(1100, 740)
    window.show()
    wait_until(app, lambda: window.isExposed() if hasattr(window, "isExposed") else True, 2)
    for _ in range(20):
        app.processEvents()
    view = window.pane.view
    paints: list[float] = []
    original_paint = view.paintEvent

    def timed_paint(event: Any) -> None:
        begun = time.perf_counter()
        original_paint(event)
        paints.append((time.perf_counter() - begun) * 1000)

    view.paintEvent = timed_paint  # type: ignore[method-assign]

    # -- long conversation: open, first paint, scroll through -----------------------------
    started = time.perf_counter()
    window.conversations.select(conversation_id)
    window.pane.open(services.store.get_conversation(conversation_id))
    wait_until(app, lambda: bool(paints), 5)
    first_paint_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    services.store.message_outline(conversation_id)  # the store's share of the open
    outline_ms = (time.perf_counter() - started) * 1000
    paints.clear()
    bar = view.verticalScrollBar()

    def scroll_frames(values: range) -> dict[str, Any]:
        frames = []
        for value in values:
            begun = time.perf_counter()
            bar.setValue(value)
            view.viewport().repaint()
            app.processEvents()
            frames.append((time.perf_counter() - begun) * 1000)
        return {
            "frames": len(frames),
            "p50_frame_ms": round(statistics.median(frames), 2),
            "p99_frame_ms": round(sorted(frames)[int(len(frames) * 0.99) - 1], 2),
            "max_frame_ms": round(max(frames), 2),
        }

    # the thumb dragged through all of it: every frame a screenful never seen before
    scroll = scroll_frames(range(bar.maximum(), 0, -max(1, bar.maximum() // 300)))
    bar.setValue(bar.maximum())
    app.processEvents()
    # Page Up held from the end: a page per frame, each one new
    page = bar.pageStep()
    scroll_pages = scroll_frames(
        range(bar.maximum() - page, max(0, bar.maximum() - 301 * page), -page)
    )
    bar.setValue(bar.maximum())
    app.processEvents()

    # -- streaming at 1,000 tokens/s into the open 10,000-message conversation -------------
    ticks: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    probe = QTimer()
    probe.setInterval(1)
    probe.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))
    drains: list[float] = []
    pane = window.pane
    original_drain = pane.drain

    def timed_drain() -> None:
        begun = time.perf_counter()
        original_drain()
        drains.append((time.perf_counter() - begun) * 1000)

    pane.frame_timer.timeout.disconnect()
    pane.frame_timer.timeout.connect(timed_drain)
    paints.clear()
    pane.composer.setPlainText("Stream as fast as you can.")
    probe.start()
    begun = time.perf_counter()
    pane.send()
    wait_until(app, lambda: not pane.streaming, 60)
    stream_s = time.perf_counter() - begun
    probe.stop()
    reply = services.store.list_messages(conversation_id, offset=10_001)[0]
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    ui_ms = sum(drains) + sum(paints)
    stream_start = ticks[0] if ticks else 0.0
    long_gaps = [
        [round(a - stream_start), round(b - a, 1)]
        for a, b in itertools.pairwise(ticks)
        if b - a > 50
    ]
    stall = {
        "tokens": TOKENS,
        "target_rate_tokens_per_s": RATE,
        "stream_seconds": round(stream_s, 2),
        "reply_status": reply.status.value,
        "reply_chars": len(reply.text),
        "max_ui_stall_ms": round(max(gaps), 2) if gaps else None,
        "p99_ui_gap_ms": round(sorted(gaps)[int(len(gaps) * 0.99) - 1], 2) if gaps else None,
        "ui_ms_per_token": round(ui_ms / TOKENS, 4),
        "frames_painted": len(paints),
        "p99_paint_ms": round(sorted(paints)[int(len(paints) * 0.99) - 1], 2) if paints else None,
        "max_paint_ms": round(max(paints), 2) if paints else None,
        "max_drain_ms": round(max(drains), 2) if drains else None,
        "gaps_over_50ms_at_ms": long_gaps[:20],
    }
    window.close()
    server.terminate()
    server.wait()
    services.close()
    return {
        "long_conversation": {
            "messages": 10_000,
            "text_mb": round(text_bytes / 1e6, 2),
            "fill_seconds": round(fill_s, 1),
            "open_to_first_paint_ms": round(first_paint_ms, 1),
            "store_outline_ms": round(outline_ms, 1),
            "scroll": scroll,
            "scroll_pages": scroll_pages,
        },
        "ui_stall": stall,
    }


def main() -> int:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    with tempfile.TemporaryDirectory(prefix="chinwag-bench-") as folder:
        home = Path(folder)
        result = {"startup": startup(home), **in_process(home)}
    print(json.dumps(result))  # one line: the runner reads the last JSON line
    return 0


if __name__ == "__main__":
    sys.exit(main())
