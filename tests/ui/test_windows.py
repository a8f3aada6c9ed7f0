"""Several conversation windows, remembered geometry under CHINWAG_HOME, shortcuts shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.models import Conversation
from chinwag.ui.main_window import MainWindow


def test_conversations_open_in_windows_of_their_own(qtbot: QtBot, services: Services) -> None:
    first = services.store.create_conversation(Conversation(title="first"))
    second = services.store.create_conversation(Conversation(title="second"))
    window = MainWindow(services)
    qtbot.addWidget(window)
    one = window.open_window(first.id)
    two = window.open_window(second.id)
    assert one.pane is not two.pane and one.pane is not window.pane
    assert one.pane.conversation is not None and one.pane.conversation.id == first.id
    assert two.pane.conversation is not None and two.pane.conversation.id == second.id
    assert one.pane.view is not two.pane.view  # each streams into its own view and worker
    one.close()
    two.close()
    window.close()


def test_geometry_and_splitter_are_kept_under_chinwag_home(
    qtbot: QtBot, services: Services, home: Path
) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(700, 610)
    window.splitter.setSizes([200, 480])
    window.close()
    assert (home / "window-state.ini").exists()
    again = MainWindow(services)
    qtbot.addWidget(again)
    assert again.size().width() == 700 and again.size().height() == 610
    assert abs(again.splitter.sizes()[0] - 200) <= 10  # not the 280 default


def test_shortcuts_are_in_menus_and_tooltips(qtbot: QtBot, services: Services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    actions = {
        action.shortcut().toString(): action
        for menu_action in window.menuBar().actions()
        if menu_action.menu() is not None
        for action in menu_action.menu().actions()  # type: ignore[union-attr]
    }
    for keys in ("Ctrl+N", "Ctrl+K", "Ctrl+,", "Ctrl+W", "Ctrl+Q", "Esc", "Ctrl+Shift+C"):
        sequence = QKeySequence(keys).toString()
        assert sequence in actions, keys
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        assert native in actions[sequence].toolTip()
    assert "Esc" in window.pane.stop_button.toolTip()


def test_quit_closes_every_window(qtbot: QtBot, services: Services) -> None:
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    other = main.open_window(services.store.create_conversation(Conversation()).id)
    qtbot.addWidget(other)
    quit_action = next(
        action
        for menu_action in main.menuBar().actions()
        if menu_action.menu() is not None
        for action in menu_action.menu().actions()  # type: ignore[union-attr]
        if action.shortcut().toString() == QKeySequence("Ctrl+Q").toString()
    )
    quit_action.trigger()
    qtbot.waitUntil(lambda: not main.isVisible() and not other.isVisible())
