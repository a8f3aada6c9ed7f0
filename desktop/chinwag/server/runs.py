"""Runs: one reply being generated, its streamed chunks kept so a client can follow or resume.

A run executes ChatService.send on its own thread; every Letta chunk it produces is
appended with a sequence id, and any number of readers follow it (the request that
started it, or a later POST .../stream). Cancel sets the run's Cancel, which the core
honours between chunks and records as a cancelled message with its partial text.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from chinwag.core.llm.backend import Cancel

KEPT_RUNS_PER_CONVERSATION = 4

Chunk = dict[str, Any]


class Run:
    def __init__(self, conversation_id: str) -> None:
        self.id = f"run-{uuid.uuid4()}"
        self.conversation_id = conversation_id
        self.cancel = Cancel()
        self.chunks: list[Chunk] = []
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._changed = threading.Condition()

    def emit(self, chunk: Chunk) -> None:
        with self._changed:
            chunk["seq_id"] = len(self.chunks) + 1
            chunk.setdefault("run_id", self.id)
            self.chunks.append(chunk)
            self._changed.notify_all()

    def finish(self, result: Any = None, error: BaseException | None = None) -> None:
        with self._changed:
            self.result, self.error, self.done = result, error, True
            self._changed.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.done, timeout)

    def _moved_past(self, position: int) -> bool:
        return len(self.chunks) > position or self.done

    def follow(self, starting_after: int = 0, poll: float = 1.0) -> Iterator[Chunk | None]:
        """Chunks with seq_id > starting_after as they come, and None each idle poll."""
        position = max(starting_after, 0)
        while True:
            with self._changed:
                self._changed.wait_for(partial(self._moved_past, position), poll)
                fresh = self.chunks[position:]
                finished = self.done
            position += len(fresh)
            yield from fresh
            if finished and position >= len(self.chunks):
                return
            if not fresh:
                yield None


class Runs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_conversation: dict[str, list[Run]] = {}

    def start(self, conversation_id: str, work: Callable[[Run], Any]) -> Run:
        run = Run(conversation_id)
        with self._lock:
            kept = self._by_conversation.setdefault(conversation_id, [])
            kept.append(run)
            del kept[:-KEPT_RUNS_PER_CONVERSATION]

        def target() -> None:
            try:
                run.finish(result=work(run))
            except BaseException as error:
                run.finish(error=error)

        threading.Thread(target=target, name=run.id, daemon=True).start()
        return run

    def of(self, conversation_id: str) -> list[Run]:
        with self._lock:
            return list(self._by_conversation.get(conversation_id, []))

    def find(self, run_id: str) -> Run | None:
        with self._lock:
            for runs in self._by_conversation.values():
                for run in runs:
                    if run.id == run_id:
                        return run
        return None

    def active(self, conversation_id: str) -> list[Run]:
        return [run for run in self.of(conversation_id) if not run.done]

    def forget(self, conversation_id: str) -> None:
        with self._lock:
            self._by_conversation.pop(conversation_id, None)
