"""The conversation's model settings, as a form rendered from the provider's schema."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from chinwag.core.llm.provider import ModelSettings
from chinwag.ui.dialogs.schema_form import SchemaForm


class ModelSettingsBox(QGroupBox):
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Model settings"), parent)
        self.fields = QVBoxLayout(self)
        self.form: SchemaForm | None = None
        self.hide()

    def show_settings(self, settings_type: type[ModelSettings], values: dict[str, Any]) -> None:
        """The form for the model that answers, holding the settings in effect."""
        self._clear()
        self.form = SchemaForm(settings_type, values, exclude={"provider_type"}, parent=self)
        self.fields.addWidget(self.form)
        save = QPushButton(self.tr("Save model settings"))
        save.clicked.connect(self.save_requested)
        self.fields.addWidget(save)

    def show_problem(self, problem: str) -> None:
        """No form: why there is none (no model, or one no provider knows)."""
        self._clear()
        if problem:
            self.fields.addWidget(QLabel(problem))

    def _clear(self) -> None:
        while self.fields.count():
            item = self.fields.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.form = None
