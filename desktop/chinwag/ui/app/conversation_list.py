"""The conversation list: newest first, pinned on top, live full-text search, rename in
place (F2 or double-click), pin, archive, delete with undo, keyboard navigable."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.types import Conversation

ID_ROLE = Qt.ItemDataRole.UserRole
UNDO_MS = 8000
SEARCH_DELAY_MS = 120


class _KeyedList(QListWidget):
    """Delete removes the current conversation (with undo); F2 renames it in place."""

    def __init__(self, owner: ConversationList) -> None:
        super().__init__()
        self.owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.state() != self.State.EditingState:
            self.owner.delete_current()
            return
        super().keyPressEvent(event)


class ConversationList(QWidget):
    selected = Signal(object)  # Conversation | None
    open_in_window = Signal(str)

    def __init__(self, records: ConversationRecords, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.current_id: str | None = None
        self.pending_delete: list[str] = []

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search titles and messages (Ctrl+K)"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self._focus_list)

        self.list = _KeyedList(self)
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(self._on_renamed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.show_archived = QCheckBox(self.tr("Show archived"))
        self.show_archived.toggled.connect(lambda _on: self.refresh())

        self.undo_bar = QWidget()
        self.undo_label = QLabel()
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo delete"))
        self.undo_button.clicked.connect(self.undo_delete)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()
        self.undo_timer = QTimer(self, singleShot=True, interval=UNDO_MS)
        self.undo_timer.timeout.connect(self.commit_deletes)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.show_archived)

        self.refresh()

    # -- contents -------------------------------------------------------------------------

    def conversations(self) -> list[Conversation]:
        found = self.records.find(
            search=self.search.text() or None, include_archived=self.show_archived.isChecked()
        )
        return [c for c in found if c.id not in self.pending_delete]

    def refresh(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for conversation in self.conversations():
            title = conversation.title or self.tr("New conversation")
            item = QListWidgetItem(title)
            item.setData(ID_ROLE, conversation.id)
            font = item.font()
            font.setBold(conversation.pinned)
            font.setItalic(conversation.archived)
            item.setFont(font)
            notes = [conversation.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")]
            if conversation.pinned:
                notes.append(self.tr("pinned"))
            if conversation.archived:
                notes.append(self.tr("archived"))
            item.setToolTip(" · ".join(notes))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
            if conversation.id == self.current_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def refresh_live(self) -> None:
        """Another writer changed the list; a title being typed in place is left alone."""
        if self.list.state() != QAbstractItemView.State.EditingState:
            self.refresh()

    def ids(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def select(self, conversation_id: str | None) -> None:
        self.current_id = conversation_id
        self.refresh()

    def _item_id(self, item: QListWidgetItem | None) -> str | None:
        return None if item is None else str(item.data(ID_ROLE))

    def _on_current(self, item: QListWidgetItem | None) -> None:
        conversation_id = self._item_id(item)
        if conversation_id is None or conversation_id == self.current_id:
            return
        self.current_id = conversation_id
        self.selected.emit(self.records.get(conversation_id))

    def _focus_list(self) -> None:
        self.list.setFocus()
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    # -- actions --------------------------------------------------------------------------

    def rename_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def _on_renamed(self, item: QListWidgetItem) -> None:
        conversation_id = self._item_id(item)
        title = str(item.data(Qt.ItemDataRole.DisplayRole) or "").strip()
        if conversation_id and title:
            self.records.update(conversation_id, title=title)
        QTimer.singleShot(0, self.refresh)

    def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        self.records.update(conversation_id, pinned=pinned)
        self.refresh()

    def set_archived(self, conversation_id: str, archived: bool) -> None:
        self.records.update(conversation_id, archived=archived)
        if archived and conversation_id == self.current_id and not self.show_archived.isChecked():
            self.current_id = None
            self.selected.emit(None)
        self.refresh()

    def delete_current(self) -> None:
        conversation_id = self._item_id(self.list.currentItem())
        if conversation_id:
            self.delete(conversation_id)

    def delete(self, conversation_id: str) -> None:
        """Hidden at once, deleted for good when the undo time runs out (or on quit)."""
        self.pending_delete.append(conversation_id)
        if conversation_id == self.current_id:
            self.current_id = None
            self.selected.emit(None)
        count = len(self.pending_delete)
        self.undo_label.setText(self.tr("{n} conversation(s) deleted").format(n=count))
        self.undo_bar.show()
        self.undo_timer.start()
        self.refresh()

    def undo_delete(self) -> None:
        self.pending_delete.clear()
        self.undo_timer.stop()
        self.undo_bar.hide()
        self.refresh()

    def commit_deletes(self) -> None:
        for conversation_id in self.pending_delete:
            with contextlib.suppress(KeyError):
                self.records.delete(conversation_id)
        self.pending_delete.clear()
        self.undo_bar.hide()

    def _menu(self, point: QPoint) -> None:
        item = self.list.itemAt(point)
        conversation_id = self._item_id(item)
        if conversation_id is None:
            return
        conversation = self.records.get(conversation_id)
        menu = QMenu(self)
        menu.addAction(self.tr("Open in new window"), lambda: self.open_in_window.emit(
            conversation_id))  # fmt: skip
        menu.addAction(self.tr("Rename"), self.rename_current)
        pin = self.tr("Unpin") if conversation.pinned else self.tr("Pin to top")
        menu.addAction(pin, lambda: self.set_pinned(conversation_id, not conversation.pinned))
        archive = self.tr("Unarchive") if conversation.archived else self.tr("Archive")
        menu.addAction(
            archive, lambda: self.set_archived(conversation_id, not conversation.archived)
        )
        menu.addAction(self.tr("Delete"), lambda: self.delete(conversation_id))
        menu.exec(self.list.viewport().mapToGlobal(point))
