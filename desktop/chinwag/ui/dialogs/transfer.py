"""File > Export and Import: Markdown to read, JSON to bring back (the core does the work)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from chinwag.core.conversations.export import InvalidExport, parse
from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.types import Conversation

MARKDOWN_FILTER = "Markdown (*.md)"
JSON_FILTER = "JSON, lossless (*.json)"


class NotImported(ValueError):
    """Why a file was refused; nothing was changed."""


def export_to(records: ConversationRecords, conversation_id: str, path: Path) -> None:
    """JSON for a .json file, Markdown for anything else."""
    json_file = path.suffix.lower() == ".json"
    text = (
        records.export_json(conversation_id)
        if json_file
        else records.export_markdown(conversation_id)
    )
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def import_from(records: ConversationRecords, path: Path) -> str:
    """The new conversation's id, or NotImported saying plainly what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NotImported(f"cannot read {path}: {error}") from None
    try:
        return records.import_from(parse(text))
    except InvalidExport as error:
        raise NotImported(f"{path.name} was not imported: {error}; nothing was changed") from None


def _file_name(conversation: Conversation) -> str:
    title = "".join(c if c.isalnum() or c in " -_" else "_" for c in conversation.title or "")
    return (title.strip() or "conversation")[:80]


def export_dialog(
    parent: QWidget, records: ConversationRecords, conversation: Conversation
) -> Path | None:
    name, chosen = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Export conversation"),
        f"{_file_name(conversation)}.md",
        f"{MARKDOWN_FILTER};;{JSON_FILTER}",
    )
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".json" if chosen == JSON_FILTER else ".md")
    try:
        export_to(records, conversation.id, path)
    except OSError as error:
        QMessageBox.warning(
            parent, parent.tr("Export failed"), parent.tr("Cannot write {path}: {error}").format(
                path=path, error=error.strerror or error
            )
        )  # fmt: skip
        return None
    return path


def import_dialog(parent: QWidget, records: ConversationRecords) -> str | None:
    name, _chosen = QFileDialog.getOpenFileName(
        parent, parent.tr("Import conversation"), "", f"{JSON_FILTER};;All files (*)"
    )
    if not name:
        return None
    try:
        return import_from(records, Path(name))
    except NotImported as error:
        QMessageBox.warning(parent, parent.tr("Import failed"), str(error))
        return None
