"""`timeout` around backends that are not litellm's: a plugin backend that goes silent is cut.

litellm enforces `timeout` on its own HTTP calls; a custom backend may do anything, so the
call builder runs it on a thread and gives up when no event comes for `timeout` seconds
(the same meaning as an HTTP read timeout: the wait between two events, not the whole reply).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import cast

from chinwag.core.llm.backend import Backend, Cancel, ChatRequest, StreamError, StreamEvent

_END = object()


class TimedBackend:
    def __init__(self, inner: Backend, name: str) -> None:
        self.inner = inner
        self.name = name

    def stream(self, request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]:
        timeout = request.config.timeout
        if not timeout:  # None (or 0) disables it, as for litellm
            yield from self.inner.stream(request, cancel)
            return
        events: queue.Queue[object] = queue.Queue()
        inner_cancel = Cancel()  # set on the caller's cancel and when time is up

        def produce() -> None:
            try:
                for event in self.inner.stream(request, inner_cancel):
                    events.put(event)
            except Exception as error:  # a plugin's failure ends the call, not the app
                events.put(StreamError(message=f"{self.name} backend failed: {error}"))
            finally:
                events.put(_END)

        def stop() -> None:
            inner_cancel.set()
            events.put(_END)

        unhook = cancel.on_set(stop)
        threading.Thread(target=produce, daemon=True, name=f"backend-{self.name}").start()
        try:
            while True:
                try:
                    item = events.get(timeout=timeout)
                except queue.Empty:
                    inner_cancel.set()
                    yield StreamError(
                        message=f"timed out: the {self.name} backend sent nothing for {timeout} s"
                    )
                    return
                if item is _END:
                    return
                yield cast(StreamEvent, item)
        finally:
            unhook()
            inner_cancel.set()
