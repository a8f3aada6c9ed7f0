"""Live updates figures, printed as one JSON object.

- poll_us: one idle poll of the store watch (PRAGMA data_version on its own connection),
  the work the UI thread does every 400 ms when nobody writes.
- follow_ms: UI-thread time of one update of an open 10,000-message conversation after
  another connection appended a message (the list and the pane reload what changed).
- latency_ms: from that other connection's commit to the message being in the open view.

Run offscreen: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks live_updates
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import summary

MESSAGES = 10_000
ROUNDS = 20


def main() -> dict[str, Any]:
    os.environ["CHINWAG_HOME"] = tempfile.mkdtemp(prefix="chinwag-bench-live-")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from chinwag.app import build
    from chinwag.core.store import Store
    from chinwag.core.store.watch import StoreWatch
    from chinwag.core.types import Conversation, Message, Role
    from chinwag.ui.app.main_window import MainWindow

    app = QApplication(sys.argv)
    services = build()
    store = services.store
    conversation = store.create_conversation(Conversation(title="long"))
    for i in range(MESSAGES):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        store.add_message(Message.of_text(conversation.id, role, f"Message {i}: " + "word " * 60))

    watch = StoreWatch(Path(store.path))
    polls = []
    for _ in range(10_000):
        started = time.perf_counter()
        watch.changed()
        polls.append((time.perf_counter() - started) * 1e6)
    watch.close()

    window = MainWindow(services)
    window.resize(1000, 700)
    window.show()
    window.pane.open(store.get_conversation(conversation.id))
    app.processEvents()
    follow_ms, latency_ms = [], []
    handler = window._on_store_changed

    def timed_handler() -> None:
        started = time.perf_counter()
        handler()
        follow_ms.append((time.perf_counter() - started) * 1000)

    window.live.changed.disconnect(handler)
    window.live.changed.connect(timed_handler)
    other = Store(Path(store.path))
    for i in range(ROUNDS):
        message = other.add_message(Message.of_text(conversation.id, Role.USER, f"from afar {i}"))
        committed = time.perf_counter()
        while message.id not in window.pane.view.ids:
            app.processEvents()
            time.sleep(0.001)
        latency_ms.append((time.perf_counter() - committed) * 1000)
    other.close()
    window.close()
    services.close()
    return {
        "benchmark": "live_updates",
        "messages": MESSAGES,
        "poll_us": summary(polls, 2),
        "follow_ms": summary(follow_ms),
        "latency_ms": summary(latency_ms),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
