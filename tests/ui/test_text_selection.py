"""Selecting part of a message with the mouse and copying it, in the virtualized view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, Role
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.conversation.message_view import MARGIN, MessageView
from tests.support.views import shown_view

REPLY = "Alpha bravo charlie delta echo.\n\n```python\nprint('hi')\n```\n"


def point_of(view: MessageView, message_id: str, needle: str, end: bool = False) -> QPoint:
    """The viewport point on the first character of `needle` (or just after its last)."""
    document = view.document_of(message_id)
    position = document.toPlainText().index(needle) + (len(needle) if end else 0)
    block = document.findBlock(position)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position())
    x = line.cursorToX(position - block.position())[0]
    y = layout.position().y() + line.y() + line.height() / 2
    top = view.top_of(message_id)
    return QPoint(int(MARGIN + layout.position().x() + x), int(top + y))


def mouse(view: MessageView, kind: QEvent.Type, point: QPoint, held: bool) -> None:
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        QPointF(point),
        QPointF(view.viewport().mapToGlobal(point)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def drag(view: MessageView, start: QPoint, stop: QPoint) -> None:
    mouse(view, QEvent.Type.MouseButtonPress, start, held=True)
    middle = QPoint((start.x() + stop.x()) // 2, (start.y() + stop.y()) // 2)
    mouse(view, QEvent.Type.MouseMove, middle, held=True)
    mouse(view, QEvent.Type.MouseMove, stop, held=True)
    mouse(view, QEvent.Type.MouseButtonRelease, stop, held=False)


def view_with_reply(qtbot: QtBot, store: Store) -> tuple[MessageView, Message, Message]:
    conversation = store.create_conversation(Conversation())
    question = store.add_message(Message.of_text(conversation.id, Role.USER, "Question one"))
    reply = store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, REPLY))
    view = shown_view(qtbot, store, conversation.id)
    qtbot.waitUntil(lambda: reply.id in view.rendered_ids(), timeout=5000)
    return view, question, reply


def test_dragging_selects_part_of_a_message_and_ctrl_c_copies_it(
    qtbot: QtBot, store: Store
) -> None:
    view, _question, reply = view_with_reply(qtbot, store)
    QGuiApplication.clipboard().setText("before")
    drag(view, point_of(view, reply.id, "bravo"), point_of(view, reply.id, "delta", end=True))
    assert view.selected_text() == "bravo charlie delta"
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "bravo charlie delta"

    # the selection is drawn: the highlight colour appears where the words are
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32)
    view.viewport().render(image)
    highlight = view.palette().color(QPalette.ColorRole.Highlight).rgb()
    at = point_of(view, reply.id, "charlie")
    assert image.pixelColor(at.x() + 2, at.y()).rgb() == highlight


def test_a_drag_past_the_message_stays_in_it_and_double_click_takes_a_word(
    qtbot: QtBot, store: Store
) -> None:
    view, question, reply = view_with_reply(qtbot, store)
    start = point_of(view, reply.id, "charlie")
    above = point_of(view, question.id, "one")  # dragged up into the previous message
    drag(view, start, above)
    selected = view.selected_text()
    assert selected.endswith("Alpha bravo ") and "Question" not in selected

    mouse(view, QEvent.Type.MouseButtonDblClick, point_of(view, reply.id, "echo"), held=True)
    assert view.selected_text() == "echo"
    # a plain click clears it; Ctrl+C then leaves the clipboard alone
    mouse(view, QEvent.Type.MouseButtonPress, point_of(view, reply.id, "Alpha"), held=True)
    mouse(view, QEvent.Type.MouseButtonRelease, point_of(view, reply.id, "Alpha"), held=False)
    assert view.selected_text() == ""
    QGuiApplication.clipboard().setText("kept")
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "kept"


def test_code_copy_links_still_work_with_selection(qtbot: QtBot, store: Store) -> None:
    view, _question, reply = view_with_reply(qtbot, store)
    copy_link = point_of(view, reply.id, "Copy code") + QPoint(4, 0)
    mouse(view, QEvent.Type.MouseButtonPress, copy_link, held=True)
    mouse(view, QEvent.Type.MouseButtonRelease, copy_link, held=False)
    assert QGuiApplication.clipboard().text() == "print('hi')"
    assert view.selected_text() == ""


def test_in_the_window_ctrl_c_copies_the_selection_and_ctrl_shift_c_the_last_reply(
    qtbot: QtBot, services: Services
) -> None:
    store = services.store
    conversation = store.create_conversation(Conversation())
    store.add_message(Message.of_text(conversation.id, Role.USER, "Question one"))
    reply = store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, REPLY))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.pane.open(store.get_conversation(conversation.id))
    view = window.pane.view
    qtbot.waitUntil(lambda: reply.id in view.rendered_ids(), timeout=5000)
    drag(view, point_of(view, reply.id, "charlie"), point_of(view, reply.id, "echo", end=True))
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "charlie delta echo"
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_C, shift_ctrl)
    assert QGuiApplication.clipboard().text() == REPLY
