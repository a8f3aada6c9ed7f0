"""Runs one generation off the UI thread.

Text is not signalled per token: the worker appends to a buffer and the UI drains it on a
frame timer (`take_text`), so a fast stream costs at most one repaint per frame.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from chinwag.core.conversations.service import Conversations
from chinwag.core.llm.backend import Cancel, StreamError, StreamEvent, TextDelta
from chinwag.core.types import ContentPart


class StreamWorker(QObject):
    error = Signal(str)
    finished = Signal(object)  # the final Message, or None if the call could not start

    def __init__(
        self,
        conversations: Conversations,
        conversation_id: str,
        prompt: str | list[ContentPart] | None,
    ) -> None:
        super().__init__()
        self.conversations = conversations
        self.conversation_id = conversation_id
        self.prompt = prompt
        self.cancel = Cancel()
        self._pending: list[str] = []
        self._lock = threading.Lock()

    @Slot()
    def run(self) -> None:
        reply = None
        try:
            if self.prompt is None:
                reply = self.conversations.reply(self.conversation_id, self.cancel, self._collect)
            else:
                reply = self.conversations.send(
                    self.conversation_id, self.prompt, self.cancel, self._collect
                )
        except Exception as error:  # shown to the user; the store already kept the text
            self.error.emit(str(error))
        self.finished.emit(reply)

    def _collect(self, event: StreamEvent) -> None:
        if isinstance(event, TextDelta):
            with self._lock:
                self._pending.append(event.text)
        elif isinstance(event, StreamError):
            self.error.emit(event.message)

    def take_text(self) -> str:
        """Everything received since the last call; called from the UI thread."""
        with self._lock:
            text, self._pending = "".join(self._pending), []
        return text


def start_worker(worker: StreamWorker) -> QThread:
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread
