"""Conversation details: title, summary, system prompt and context blocks, then a recompile
so the model sees the edits from the next message on (history is not touched)."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from chinwag.app import Services


def _editor(text: str, name: str, lines: int = 4) -> QPlainTextEdit:
    editor = QPlainTextEdit(text)
    editor.setAccessibleName(name)
    editor.setTabChangesFocus(True)
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines + 12)
    return editor


class DetailsDialog(QDialog):
    saved = Signal(str)  # conversation id

    def __init__(
        self, services: Services, conversation_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.conversation_id = conversation_id
        conversations = services.conversations
        conversation = conversations.get(conversation_id)
        self.assistant = conversations.assistant(conversation.agent_id)
        self.own_prompt = conversation.system_prompt is not None
        self.setWindowTitle(self.tr("Conversation details"))
        self.resize(640, 720)
        form = QFormLayout()
        self.title = QLineEdit(conversation.title or "")
        self.title.setAccessibleName(self.tr("Title"))
        self.title.setPlaceholderText(self.tr("set automatically after the first reply"))
        form.addRow(self.tr("Title"), self.title)
        self.summary = _editor(conversation.summary or "", self.tr("Summary"))
        form.addRow(self.tr("Summary"), self.summary)
        prompt = conversation.system_prompt if self.own_prompt else self.assistant.system_prompt
        self.system_prompt = _editor(prompt or "", self.tr("System prompt"), lines=6)
        where = (
            self.tr("this conversation only")
            if self.own_prompt
            else self.tr("assistant “{name}”, shared by its conversations").format(
                name=self.assistant.name
            )
        )
        form.addRow(self.tr("System prompt\n({where})").format(where=where), self.system_prompt)
        self.blocks: dict[str, QPlainTextEdit] = {}
        for block in conversations.blocks_of(conversation_id):
            scope = (
                self.tr("this conversation only")
                if block.conversation_id
                else self.tr("shared with the assistant")
            )
            editor = _editor(block.value, block.label)
            self.blocks[block.label] = editor
            form.addRow(f"{block.label}\n({scope})", editor)
        self.new_label = QLineEdit()
        self.new_label.setAccessibleName(self.tr("New block label"))
        self.new_label.setPlaceholderText(self.tr("label, e.g. human"))
        self.new_value = _editor("", self.tr("New block text"), lines=2)
        form.addRow(self.tr("Add a block"), self.new_label)
        form.addRow("", self.new_value)
        compiled = conversations.compiled_system(conversation_id) or ""
        self.compiled = _editor(compiled, "", lines=5)
        self.compiled.setAccessibleName(self.tr("What the model sees"))
        self.compiled.setReadOnly(True)
        form.addRow(self.tr("What the model sees"), self.compiled)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d32f2f")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save_and_close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> bool:
        """Write what changed, then recompile this conversation's system message."""
        conversations = self.services.conversations
        label = self.new_label.text().strip()
        if label and (label in self.blocks or len(label) > 100):
            self.error.setText(self.tr("A block label must be new and at most 100 characters."))
            return False
        conversation = conversations.get(self.conversation_id)
        title = self.title.text().strip()
        changes: dict[str, object] = {}
        if title and title != (conversation.title or ""):
            changes["title"] = title
        summary = self.summary.toPlainText().strip() or None
        if summary != conversation.summary:
            changes["summary"] = summary
        prompt = self.system_prompt.toPlainText()
        if self.own_prompt and prompt != conversation.system_prompt:
            changes["system_prompt"] = prompt
        try:
            if changes:
                conversations.update(self.conversation_id, **changes)
            if not self.own_prompt and prompt != self.assistant.system_prompt:
                conversations.update_assistant(self.assistant.id, system_prompt=prompt)
            current = {b.label: b.value for b in conversations.blocks_of(self.conversation_id)}
            for block_label, editor in self.blocks.items():
                if editor.toPlainText() != current.get(block_label):
                    conversations.set_block(
                        block_label, editor.toPlainText(), conversation_id=self.conversation_id
                    )
            if label:
                value = self.new_value.toPlainText()
                conversations.set_block(label, value, conversation_id=self.conversation_id)
        except (ValueError, ValidationError) as error:
            self.error.setText(str(error))
            return False
        self.compiled.setPlainText(conversations.recompile(self.conversation_id).system)
        self.new_label.clear()  # the block now exists; it is edited here after a reopen
        self.new_value.clear()
        self.error.clear()
        self.saved.emit(self.conversation_id)
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.accept()
