"""The main window: the conversation list beside a conversation.

It is built in two steps so that it is on screen as soon as PySide6 is: the frame (menus,
saved geometry, an outline of the layout) imports nothing of Chinwag's core, and `attach`
fills it once the services are built (ui.main does that after the first paint). Hence the
imports inside the methods below: each pulls in the core only when it is needed.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStatusBar,
    QWidget,
)

from chinwag.ui.app import window_state
from chinwag.ui.app.actions import action

if TYPE_CHECKING:
    from chinwag.app import Services
    from chinwag.core.types import Conversation
    from chinwag.ui.app.conversation_list import ConversationList
    from chinwag.ui.app.live_updates import LiveUpdates
    from chinwag.ui.app.local_api import LocalApi
    from chinwag.ui.conversation.pane import ConversationPane
    from chinwag.ui.conversation.window import ConversationWindow
    from chinwag.ui.dialogs.settings import SettingsDialog
    from chinwag.ui.dialogs.usage import UsageDialog

NEW = QKeySequence("Ctrl+N")
SEARCH = QKeySequence("Ctrl+K")
SETTINGS = QKeySequence("Ctrl+,")
CLOSE = QKeySequence("Ctrl+W")
QUIT = QKeySequence("Ctrl+Q")
IMPORT = QKeySequence("Ctrl+O")
USAGE = QKeySequence("Ctrl+Shift+U")


def columns(left: QWidget, right: QWidget) -> QSplitter:
    """The conversation list beside the conversation, which takes the extra width."""
    splitter = QSplitter()
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(1, 3)
    return splitter


class MainWindow(QMainWindow):
    ready = Signal()  # attached: the history is listed and a message can be sent
    warm_up_thread: threading.Thread | None = None  # set by ui.main

    services: Services
    conversations: ConversationList
    pane: ConversationPane
    local_api: LocalApi
    live: LiveUpdates

    def __init__(self, services: Services | None = None) -> None:
        super().__init__()
        self.windows: list[ConversationWindow] = []
        self.setWindowTitle("Chinwag")
        self.setAccessibleName("Chinwag")
        self.resize(1100, 740)
        self.file_menu: QMenu = self.menuBar().addMenu(self.tr("&File"))
        self.chat_menu: QMenu = self.menuBar().addMenu(self.tr("&Conversation"))
        self.splitter = self._outline()
        self.setCentralWidget(self.splitter)
        self.setStatusBar(QStatusBar())
        window_state.restore("main-window", self, self.splitter)
        if services is not None:
            self.attach(services)

    def _outline(self) -> QSplitter:
        """The layout's two columns, empty, until the services are attached."""
        opening = QLabel(self.tr("Opening your conversations…"))
        opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        opening.setEnabled(False)  # drawn in the muted colour
        splitter = columns(QLabel(), opening)
        splitter.setSizes([280, 820])
        return splitter

    def attach(self, services: Services) -> None:
        from chinwag.ui.app.conversation_list import ConversationList
        from chinwag.ui.app.live_updates import LiveUpdates
        from chinwag.ui.app.local_api import LocalApi
        from chinwag.ui.conversation.pane import ConversationPane

        self.services = services
        self.local_api = LocalApi(services, self)
        if services.settings.local_api:
            self.local_api.start()
        self.conversations = ConversationList(services.conversations)
        self.conversations.selected.connect(self._on_selected)
        self.conversations.open_in_window.connect(self.open_window)
        self.pane = ConversationPane(services)
        self.pane.conversation_changed.connect(self._on_conversation_changed)
        sizes = self.splitter.saveState()
        self.splitter = columns(self.conversations, self.pane)
        self.splitter.restoreState(sizes)
        self.setCentralWidget(self.splitter)
        self._fill_menus()
        for notice in services.notices:
            self.statusBar().showMessage(notice, 20000)
        self.pane.open(None)
        self.live = LiveUpdates(services.conversations.watch(), self)
        self.pane.watch = self.live.watch
        self._list_mark = self.live.watch.list_mark()
        self.live.changed.connect(self._on_store_changed)
        QTimer.singleShot(0, self.ready.emit)  # after the caller has finished its own set-up

    def attached(self) -> bool:
        return hasattr(self, "services")

    def _fill_menus(self) -> None:
        from chinwag.ui.conversation.window import conversation_actions, reply_actions

        file_menu, chat_menu = self.file_menu, self.chat_menu
        file_menu.addAction(action(self, self.tr("New conversation"), NEW, self.new_conversation))
        file_menu.addAction(
            action(self, self.tr("Open in new window"), QKeySequence("Ctrl+Shift+N"),
                   self.open_current_in_window)
        )  # fmt: skip
        file_menu.addAction(action(self, self.tr("Search"), SEARCH, self.focus_search))
        file_menu.addSeparator()
        self.details_action, self.export_action = conversation_actions(self, self.pane)
        self.export_action.setText(self.tr("Export conversation…"))
        file_menu.addAction(self.export_action)
        file_menu.addAction(
            action(self, self.tr("Import conversation…"), IMPORT, self.import_conversation)
        )
        file_menu.addSeparator()
        file_menu.addAction(action(self, self.tr("Settings…"), SETTINGS, self.open_settings))
        file_menu.addAction(action(self, self.tr("Usage…"), USAGE, self.open_usage))
        file_menu.addSeparator()
        file_menu.addAction(action(self, self.tr("Close window"), CLOSE, self.close))
        file_menu.addAction(action(self, self.tr("Quit"), QUIT, QApplication.closeAllWindows))
        chat_menu.addActions(reply_actions(self, self.pane))
        chat_menu.addAction(
            action(self, self.tr("Rename"), QKeySequence("F2"), self.conversations.rename_current)
        )
        chat_menu.addAction(self.details_action)

    # -- actions --------------------------------------------------------------------------

    def new_conversation(self) -> None:
        self.conversations.select(None)
        self.pane.open(None)
        self.pane.composer.setFocus()

    def focus_search(self) -> None:
        self.conversations.search.setFocus()
        self.conversations.search.selectAll()

    def import_conversation(self) -> str | None:
        from chinwag.ui.dialogs import transfer

        conversation_id = transfer.import_dialog(self, self.services.conversations)
        if conversation_id is not None:
            self.conversations.select(conversation_id)
            self.pane.open(self.services.conversations.get(conversation_id))
        return conversation_id

    def open_settings(self) -> SettingsDialog:
        from chinwag.ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.services, self, self.local_api)
        dialog.saved.connect(self._on_settings_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_usage(self) -> UsageDialog:
        from chinwag.ui.dialogs.usage import UsageDialog

        dialog = UsageDialog(self.services.conversations, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_window(self, conversation_id: str) -> ConversationWindow:
        from chinwag.ui.conversation.window import ConversationWindow

        window = ConversationWindow(
            self.services, self.services.conversations.get(conversation_id), self.live.watch
        )
        window.pane.conversation_changed.connect(lambda _id: self.conversations.refresh())
        window.destroyed.connect(lambda: self.windows.remove(window) if window in self.windows
                                 else None)  # fmt: skip
        self.windows.append(window)
        window.show()
        return window

    def open_current_in_window(self) -> None:
        if self.pane.conversation is not None:
            self.open_window(self.pane.conversation.id)

    def _on_selected(self, conversation: Conversation | None) -> None:
        self.pane.open(conversation)

    def _on_conversation_changed(self, conversation_id: str) -> None:
        self.conversations.current_id = conversation_id
        self.conversations.refresh()

    def _on_store_changed(self) -> None:
        """Someone wrote to the store (this app, its API server, another process)."""
        mark = self.live.watch.list_mark()
        if mark != self._list_mark:
            self._list_mark = mark
            self.conversations.refresh_live()
        for pane in [self.pane, *(w.pane for w in self.windows)]:
            pane.follow_store(self.live.watch)

    def _on_settings_saved(self) -> None:
        for pane in [self.pane, *(w.pane for w in self.windows)]:
            pane.composer.enter_sends = self.services.settings.enter_sends
            pane.composer.update_placeholder()
            pane.refresh_models()
            pane.view.show_conversation(pane.conversation.id if pane.conversation else None)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save("main-window", self, self.splitter)
        if self.attached():
            for window in list(self.windows):
                window.close()
            self.pane.shutdown()
            self.local_api.stop(wait=True)
            self.live.stop()
            self.conversations.commit_deletes()
        super().closeEvent(event)
