"""Several conversation windows, remembered geometry under CHINWAG_HOME, shortcuts shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.types import Conversation
from chinwag.ui.app import theme, window_state
from chinwag.ui.app.main_window import MainWindow


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


def test_the_frame_shows_first_and_fills_in_when_attached(qtbot: QtBot, services: Services) -> None:
    """`chinwag` shows the window's frame before the core is imported (see
    tests/unit/test_layering.py), then attaches the services: the same window, same place."""
    services.store.create_conversation(Conversation(title="kept from yesterday"))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.attached()
    outline = window.splitter.widget(1)
    assert isinstance(outline, QLabel) and "Opening" in outline.text()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Conversation"]
    window.splitter.setSizes([333, 700])
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.attach(services)
    assert window.attached() and window.isVisible()
    assert window.splitter.widget(1) is window.pane
    assert abs(window.splitter.sizes()[0] - 333) <= 10  # the outline's columns are kept
    listed = window.conversations.list
    assert [listed.item(i).text() for i in range(listed.count())] == ["kept from yesterday"]
    assert window.file_menu.actions(), "the menus are filled once attached"
    window.close()


def test_the_first_frame_has_the_last_appearance(qapp: QApplication, services: Services) -> None:
    app = qapp
    assert window_state.appearance() == window_state.DEFAULT_APPEARANCE  # a new home
    services.settings.theme, services.settings.font_size = "dark", 15
    theme.apply(app, services.settings)
    app.setPalette(QPalette())
    app.setFont(QFont())
    theme.apply_remembered(app)  # what the next start does before loading the settings
    assert app.font().pointSize() == 15
    assert app.palette().color(QPalette.ColorRole.Window).name() == "#202124"
