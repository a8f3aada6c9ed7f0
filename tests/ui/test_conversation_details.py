"""Details (title, summary, system prompt, blocks + recompile), Export and Import in the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.types import Message, Role
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.dialogs import transfer
from chinwag.ui.dialogs.details import DetailsDialog


def conversation_with_history(services: Services) -> str:
    default = services.assistants.default().id
    services.store.assistants.set_block("persona", "You are terse.", assistant_id=default)
    conversation = services.conversations.create()
    for role, text in ((Role.USER, "Hi"), (Role.ASSISTANT, "| a | b |\n|---|---|\n| 1 | 2 |")):
        services.store.add_message(Message.of_text(conversation.id, role, text))
    return conversation.id


def test_details_edit_title_summary_prompt_and_blocks_then_recompile(
    qtbot: QtBot, services: Services
) -> None:
    conversation_id = conversation_with_history(services)
    before = [m.id for m in services.store.list_messages(conversation_id)]
    dialog = DetailsDialog(services, conversation_id)
    qtbot.addWidget(dialog)
    assert set(dialog.blocks) == {"persona"}
    dialog.title.setText("Boat names")
    dialog.summary.setPlainText("The user likes boats.")
    dialog.system_prompt.setPlainText("Answer in French.")
    dialog.blocks["persona"].setPlainText("You are a sailor.")
    dialog.new_label.setText("human")
    dialog.new_value.setPlainText("Name: Ada")
    assert dialog.save()

    conversation = services.store.get_conversation(conversation_id)
    assert conversation.title == "Boat names" and conversation.title_set_by_user
    assert conversation.summary == "The user likes boats."
    assistant = services.store.assistants.get(conversation.agent_id)
    assert assistant.system_prompt == "Answer in French."
    compiled = services.store.compiled_system(conversation_id) or ""
    for expected in ("Answer in French.", "You are a sailor.", "Name: Ada", "likes boats"):
        assert expected in compiled
    assert dialog.compiled.toPlainText() == compiled
    assert [m.id for m in services.store.list_messages(conversation_id)] == before


def test_a_bad_block_label_is_refused_and_nothing_changes(qtbot: QtBot, services: Services) -> None:
    conversation_id = conversation_with_history(services)
    compiled = services.store.compiled_system(conversation_id)
    dialog = DetailsDialog(services, conversation_id)
    qtbot.addWidget(dialog)
    dialog.title.setText("Not saved")
    dialog.new_label.setText("x" * 101)
    assert not dialog.save()
    assert "100 characters" in dialog.error.text()
    assert services.store.get_conversation(conversation_id).title != "Not saved"
    assert services.store.compiled_system(conversation_id) == compiled


def test_file_menu_exports_markdown_and_json_and_imports_the_json(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id = conversation_with_history(services)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.pane.open(services.store.get_conversation(conversation_id))

    saved: list[tuple[str, str]] = [
        (str(tmp_path / "chat"), transfer.MARKDOWN_FILTER),
        (str(tmp_path / "chat"), transfer.JSON_FILTER),
    ]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: saved.pop(0))
    window.export_action.trigger()
    window.export_action.trigger()
    markdown = (tmp_path / "chat.md").read_text(encoding="utf-8")
    assert "Hi" in markdown and "| 1 | 2 |" in markdown
    exported = json.loads((tmp_path / "chat.json").read_text(encoding="utf-8"))
    assert exported["conversation"]["id"] == conversation_id

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    opened = [str(tmp_path / "chat.json")]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (opened.pop(0), ""))
    imported = window.import_conversation()
    assert imported is not None and imported != conversation_id and not warnings
    assert [m.text for m in services.store.list_messages(imported)] == [
        m.text for m in services.store.list_messages(conversation_id)
    ]
    assert window.pane.conversation is not None and window.pane.conversation.id == imported
    assert imported in window.conversations.ids()

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    count = len(services.store.list_conversations())
    opened.append(str(bad))
    assert window.import_conversation() is None
    assert len(warnings) == 1 and "nothing was changed" in warnings[0]
    assert len(services.store.list_conversations()) == count


def test_export_to_an_unwritable_place_says_so(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id = conversation_with_history(services)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.pane.open(services.store.get_conversation(conversation_id))
    target = tmp_path / "missing-folder" / "chat.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    warnings: list[Any] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    window.export_action.trigger()
    assert not target.exists()
    assert warnings and str(target) in warnings[0]
