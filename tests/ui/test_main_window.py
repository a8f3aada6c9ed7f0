"""The window chats with the real local model, off the UI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from chinwag.app import build
from chinwag.core.models import MessageStatus, Role
from chinwag.ui.main_window import MainWindow


def test_sending_a_message_streams_a_reply_into_the_window(qtbot: QtBot, with_model: Path) -> None:
    services = build()
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert not window.send_button.isEnabled()  # nothing to send yet

    window.composer.setPlainText("Say hello.")
    assert window.send_button.isEnabled()
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not window.streaming, timeout=120_000)

    assert window.current is not None
    messages = services.store.list_messages(window.current.id)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    assert messages[1].status == MessageStatus.COMPLETE
    assert messages[1].text.strip()[:20] in window.transcript.toPlainText()
    assert window.list.count() == 1
    services.close()
