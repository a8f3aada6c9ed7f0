"""The model picker writes the conversation's override; the model settings panel, rendered
from the provider's schema, writes its model_settings."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from chinwag.app import build
from chinwag.core.types import Assistant, Conversation
from chinwag.ui.conversation.pane import ConversationPane


def test_switching_models_writes_the_override(qtbot: QtBot, with_model: Path, home: Path) -> None:
    # a second local model: the same GGUF under another name in the user's models folder
    models = home / "models"
    models.mkdir(parents=True, exist_ok=True)
    source = next(with_model.glob("*.gguf"))
    os.symlink(source, models / "Second-Model.gguf")
    services = build()
    try:
        conversation = services.store.create_conversation(Conversation(title="pick"))
        pane = ConversationPane(services)
        qtbot.addWidget(pane)
        pane.open(conversation)
        handles = [pane.model_picker.itemData(i) for i in range(pane.model_picker.count())]
        assert "local/Second-Model" in handles and len(handles) >= 2
        index = handles.index("local/Second-Model")
        pane.model_picker.setCurrentIndex(index)
        pane.model_picker.activated.emit(index)
        assert services.store.get_conversation(conversation.id).model == "local/Second-Model"

        assert pane.settings_form is not None
        editor = pane.settings_form.editors["temperature"]
        assert isinstance(editor, QLineEdit)
        editor.setText("0.3")
        assert pane.save_model_settings()
        saved = services.store.get_conversation(conversation.id).model_settings
        assert saved is not None and saved["temperature"] == 0.3

        editor.setText("7")  # above the schema's bound: refused, shown, not saved
        assert not pane.save_model_settings()
        assert pane.settings_form.error.text()
        assert services.store.get_conversation(conversation.id).model_settings == saved
    finally:
        services.close()


def test_the_picker_shows_the_model_that_answers_an_assistants_conversation(
    qtbot: QtBot, with_model: Path, home: Path
) -> None:
    models = home / "models"
    models.mkdir(parents=True, exist_ok=True)
    os.symlink(next(with_model.glob("*.gguf")), models / "Second-Model.gguf")
    services = build()
    try:
        default = services.catalog.default_handle()
        own = next(m.handle for m in services.catalog.models() if m.handle != default)
        bot = services.store.assistants.create(
            Assistant(name="Sailor", model=own, model_settings={"temperature": 0.2})
        )
        conversation = services.conversations.create(bot.id)
        pane = ConversationPane(services)
        qtbot.addWidget(pane)
        pane.open(conversation)

        answering = services.chat.model_of(conversation)
        assert answering == own
        assert pane.current_model() == answering
        assert pane.model_picker.currentData() == answering
        assert pane.settings_form is not None  # the settings that answer, the assistant's
        editor = pane.settings_form.editors["temperature"]
        assert isinstance(editor, QLineEdit) and editor.text() == "0.2"
    finally:
        services.close()


def test_saving_model_settings_keeps_the_fields_the_form_does_not_show(
    qtbot: QtBot, home: Path
) -> None:
    """The form shows plain fields; reasoning and a response format are kept as they were."""
    kept = {
        "provider_type": "openai",
        "reasoning": {"reasoning_effort": "low"},
        "response_format": {"type": "json_object"},
    }
    services = build()
    try:
        conversation = services.store.create_conversation(
            Conversation(model="openai/gpt-4o", model_settings=kept | {"temperature": 0.5})
        )
        pane = ConversationPane(services)
        qtbot.addWidget(pane)
        pane.open(conversation)
        assert pane.settings_form is not None
        assert "reasoning" not in pane.settings_form.editors
        editor = pane.settings_form.editors["temperature"]
        assert isinstance(editor, QLineEdit)
        editor.setText("0.3")
        assert pane.save_model_settings()
        saved = services.store.get_conversation(conversation.id).model_settings
        assert saved == kept | {"temperature": 0.3}
    finally:
        services.close()
