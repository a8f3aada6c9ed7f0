"""Network faults seen from the window: it keeps answering while a stream stalls, Stop
works mid-stall, and a dropped connection ends in an error on the message with the partial
text kept (real Qt offscreen, the real local model behind the fault proxy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from chinwag.app import Services, build
from chinwag.core.types import Conversation, MessageStatus
from chinwag.ui.app.main_window import MainWindow
from tests.resilience.conftest import FAST_RETRIES, MAX_TOKENS, Upstream, proxied_provider
from tests.support.fault_proxy import Fault, FaultProxy


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    built = build()
    yield built
    built.close()


def open_on_proxy(
    qtbot: QtBot, services: Services, proxy: FaultProxy, upstream: Upstream, **options: float
) -> MainWindow:
    provider = proxied_provider(proxy, upstream.model)
    services.plugins.providers[provider.id] = provider
    services.settings.provider_options[provider.id] = {**FAST_RETRIES, **options}
    conversation = services.store.create_conversation(
        Conversation(
            title="faults",
            model=provider.handle(upstream.model),
            model_settings={"temperature": 0.0, "max_output_tokens": MAX_TOKENS},
        )
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.pane.open(services.store.get_conversation(conversation.id))
    return window


def send(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.pane.composer.setPlainText(text)
    qtbot.mouseClick(window.pane.send_button, Qt.MouseButton.LeftButton)
    assert window.pane.streaming


def test_the_window_answers_during_a_stall_and_stop_keeps_the_partial_text(
    qtbot: QtBot, services: Services, proxy: FaultProxy, upstream: Upstream
) -> None:
    proxy.plan = [Fault("stall", after_events=4, seconds=60)]
    window = open_on_proxy(qtbot, services, proxy, upstream)
    send(qtbot, window, "Tell me about the sea.")
    qtbot.waitUntil(lambda: len(proxy.exchanges) == 1 and bool(proxy.exchanges[0].forwarded_text),
                    timeout=120_000)  # fmt: skip
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.wait(1_000)  # the stream is stalled: the UI thread must still run its timers
    timer.stop()
    assert len(ticks) >= 20, f"the UI thread ran a 10 ms timer {len(ticks)} times in 1 s"
    assert window.pane.streaming
    qtbot.mouseClick(window.pane.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.pane.streaming, timeout=10_000)
    conversation = window.pane.conversation
    assert conversation is not None
    reply = services.store.list_messages(conversation.id)[-1]
    assert reply.status == MessageStatus.CANCELLED
    assert reply.text and proxy.exchanges[0].forwarded_text.startswith(reply.text)
    assert window.pane.view.message(reply.id).text == reply.text


def test_a_dropped_connection_shows_its_error_on_the_message_with_the_text_kept(
    qtbot: QtBot, services: Services, proxy: FaultProxy, upstream: Upstream
) -> None:
    proxy.plan = [Fault("drop", after_events=6)]
    window = open_on_proxy(qtbot, services, proxy, upstream)
    send(qtbot, window, "Tell me about the sea.")
    qtbot.waitUntil(lambda: not window.pane.streaming, timeout=120_000)
    conversation = window.pane.conversation
    assert conversation is not None
    reply = services.store.list_messages(conversation.id)[-1]
    assert reply.status == MessageStatus.ERROR and reply.error
    assert reply.text and reply.text == proxy.exchanges[0].forwarded_text
    shown = window.pane.view.document_of(reply.id)
    assert f"Error: {reply.error}" in shown.toPlainText()
    assert window.pane.composer.isEnabled()  # the user can send again at once
