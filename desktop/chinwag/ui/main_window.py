"""The main window (conversation list beside a conversation) and conversation windows."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSplitter, QStatusBar, QWidget

from chinwag.app import Services
from chinwag.core.models import Conversation
from chinwag.core.store_watch import StoreWatch
from chinwag.ui import transfer, window_state
from chinwag.ui.conversation_list import ConversationList
from chinwag.ui.conversation_pane import ConversationPane, shortcut_hint
from chinwag.ui.details_dialog import DetailsDialog
from chinwag.ui.live_updates import LiveUpdates
from chinwag.ui.local_api import LocalApi
from chinwag.ui.settings_dialog import SettingsDialog
from chinwag.ui.usage_dialog import UsageDialog

NEW = QKeySequence("Ctrl+N")
SEARCH = QKeySequence("Ctrl+K")
SETTINGS = QKeySequence("Ctrl+,")
CLOSE = QKeySequence("Ctrl+W")
QUIT = QKeySequence("Ctrl+Q")
DETAILS = QKeySequence("Ctrl+I")
EXPORT = QKeySequence("Ctrl+E")
IMPORT = QKeySequence("Ctrl+O")
STOP = QKeySequence("Esc")
COPY_REPLY = QKeySequence("Ctrl+Shift+C")
USAGE = QKeySequence("Ctrl+Shift+U")


def _action(parent: QWidget, text: str, keys: QKeySequence, slot: object) -> QAction:
    action = QAction(text, parent)
    action.setShortcut(keys)
    action.setToolTip(shortcut_hint(text, keys))
    action.triggered.connect(slot)
    return action


def conversation_actions(parent: QWidget, pane: ConversationPane) -> list[QAction]:
    """Details (title, summary, prompt, blocks) and Export, for the pane's conversation."""

    def details() -> None:
        if pane.conversation is not None:
            dialog = DetailsDialog(pane.services, pane.conversation.id, parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.saved.connect(lambda _id: pane.reload())
            dialog.open()

    def export() -> None:
        if pane.conversation is not None:
            transfer.export_dialog(parent, pane.services.store, pane.conversation)

    return [
        _action(parent, parent.tr("Details…"), DETAILS, details),
        _action(parent, parent.tr("Export…"), EXPORT, export),
    ]


def compact_action(parent: QWidget, pane: ConversationPane) -> QAction:
    action = QAction(parent.tr("Compact…"), parent)
    action.setToolTip(parent.tr("Summarize earlier messages to free the model's context"))
    action.triggered.connect(pane.compact)
    return action


class ConversationWindow(QMainWindow):
    """One conversation in a window of its own; it streams independently of the others."""

    def __init__(
        self, services: Services, conversation: Conversation, watch: StoreWatch | None = None
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pane = ConversationPane(services)
        self.pane.watch = watch
        self.pane.open(conversation)
        self.setCentralWidget(self.pane)
        self.setWindowTitle(f"{conversation.title or self.tr('Conversation')} — Chinwag")
        self.resize(760, 680)
        window_state.restore("conversation-window", self)
        menu = self.menuBar().addMenu(self.tr("&Conversation"))
        menu.addAction(_action(self, self.tr("Stop"), STOP, self.pane.stop))
        menu.addAction(
            _action(self, self.tr("Copy last reply"), COPY_REPLY, self.pane.copy_last_reply)
        )
        menu.addAction(compact_action(self, self.pane))
        menu.addActions(conversation_actions(self, self.pane))
        menu.addAction(_action(self, self.tr("Close window"), CLOSE, self.close))

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save("conversation-window", self)
        self.pane.shutdown()
        super().closeEvent(event)


class MainWindow(QMainWindow):
    warm_up_thread: threading.Thread | None = None  # set by ui.main.launch

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.windows: list[ConversationWindow] = []
        self.local_api = LocalApi(services, self)
        if services.settings.local_api:
            self.local_api.start()
        self.setWindowTitle("Chinwag")
        self.setAccessibleName("Chinwag")
        self.resize(1100, 740)

        self.conversations = ConversationList(services.store)
        self.conversations.selected.connect(self._on_selected)
        self.conversations.open_in_window.connect(self.open_window)
        self.pane = ConversationPane(services)
        self.pane.conversation_changed.connect(self._on_conversation_changed)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.conversations)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([280, 820])
        self.setCentralWidget(self.splitter)
        self.setStatusBar(QStatusBar())
        self._build_menus()
        window_state.restore("main-window", self, self.splitter)
        for notice in services.notices:
            self.statusBar().showMessage(notice, 20000)
        self.pane.open(None)
        self.live = LiveUpdates(StoreWatch(services.store.path), self)
        self.pane.watch = self.live.watch
        self._list_mark = self.live.watch.list_mark()
        self.live.changed.connect(self._on_store_changed)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(_action(self, self.tr("New conversation"), NEW, self.new_conversation))
        file_menu.addAction(
            _action(self, self.tr("Open in new window"), QKeySequence("Ctrl+Shift+N"),
                    self.open_current_in_window)
        )  # fmt: skip
        file_menu.addAction(_action(self, self.tr("Search"), SEARCH, self.focus_search))
        file_menu.addSeparator()
        self.details_action, self.export_action = conversation_actions(self, self.pane)
        self.export_action.setText(self.tr("Export conversation…"))
        file_menu.addAction(self.export_action)
        file_menu.addAction(
            _action(self, self.tr("Import conversation…"), IMPORT, self.import_conversation)
        )
        file_menu.addSeparator()
        file_menu.addAction(_action(self, self.tr("Settings…"), SETTINGS, self.open_settings))
        file_menu.addAction(_action(self, self.tr("Usage…"), USAGE, self.open_usage))
        file_menu.addSeparator()
        file_menu.addAction(_action(self, self.tr("Close window"), CLOSE, self.close))
        file_menu.addAction(_action(self, self.tr("Quit"), QUIT, QApplication.closeAllWindows))
        chat_menu: QMenu = self.menuBar().addMenu(self.tr("&Conversation"))
        chat_menu.addAction(_action(self, self.tr("Stop"), STOP, self.pane.stop))
        chat_menu.addAction(
            _action(self, self.tr("Copy last reply"), COPY_REPLY, self.pane.copy_last_reply)
        )
        chat_menu.addAction(
            _action(self, self.tr("Rename"), QKeySequence("F2"), self.conversations.rename_current)
        )
        chat_menu.addAction(compact_action(self, self.pane))
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
        conversation_id = transfer.import_dialog(self, self.services.store)
        if conversation_id is not None:
            self.conversations.select(conversation_id)
            self.pane.open(self.services.store.get_conversation(conversation_id))
        return conversation_id

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.services, self, self.local_api)
        dialog.saved.connect(self._on_settings_saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_usage(self) -> UsageDialog:
        dialog = UsageDialog(self.services.store, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_window(self, conversation_id: str) -> ConversationWindow:
        window = ConversationWindow(
            self.services, self.services.store.get_conversation(conversation_id), self.live.watch
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
        for window in list(self.windows):
            window.close()
        self.pane.shutdown()
        self.local_api.stop(wait=True)
        self.live.stop()
        self.conversations.commit_deletes()
        super().closeEvent(event)
