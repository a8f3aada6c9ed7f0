"""Settings > Defaults (model, sending, compaction, titles, budget) and > Appearance."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QWidget

from chinwag.app import Services
from chinwag.core.system.settings import DEFAULTS, Changes, Settings, edits
from chinwag.ui.dialogs.schema_form import SchemaForm

SHOWN_ELSEWHERE = {
    "theme", "font_size", "default_model", "provider_options", "disabled_plugins",
    "local_api", "local_api_port",
}  # fmt: skip


class DefaultsPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        layout = QFormLayout(self)
        self.default_model = QComboBox()
        self.default_model.setAccessibleName(self.tr("Default model"))
        self.default_model.addItem(self.tr("Automatic (local model first)"), None)
        for model in services.catalog.models():
            self.default_model.addItem(model.handle, model.handle)
        chosen = services.settings.default_model
        if chosen and self.default_model.findData(chosen) < 0:
            # kept and shown, not silently replaced by Automatic
            label = self.tr("{model} (not available now)").format(model=chosen)
            self.default_model.addItem(label, chosen)
        self.default_model.setCurrentIndex(max(0, self.default_model.findData(chosen)))
        self.shown_model = self.default_model.currentData()
        layout.addRow(self.tr("Default model"), self.default_model)
        self.form = SchemaForm(Settings, services.settings.model_dump(), exclude=SHOWN_ELSEWHERE)
        layout.addRow(self.form)

    def changes(self) -> Changes | None:
        edited = self.form.edited()
        if edited is None:
            return None
        model = self.default_model.currentData()
        if model != self.shown_model:
            edited["default_model"] = model
        return edits((), edited, DEFAULTS)

    def saved(self) -> bool:
        self.form.mark_saved()
        self.shown_model = self.default_model.currentData()
        return True


class AppearancePage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        layout = QFormLayout(self)
        self.theme = QComboBox()
        self.theme.setAccessibleName(self.tr("Theme"))
        for value, label in (
            ("system", self.tr("Follow system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(self.theme.findData(services.settings.theme))
        self.font_size = QSpinBox()
        self.font_size.setAccessibleName(self.tr("Font size"))
        self.font_size.setRange(6, 48)
        self.font_size.setValue(services.settings.font_size)
        layout.addRow(self.tr("Theme"), self.theme)
        layout.addRow(self.tr("Font size"), self.font_size)
        self.shown = self.values()

    def values(self) -> dict[str, object]:
        return {"theme": self.theme.currentData(), "font_size": self.font_size.value()}

    def changes(self) -> Changes:
        edited = {name: value for name, value in self.values().items() if value != self.shown[name]}
        return edits((), edited, DEFAULTS)

    def saved(self) -> bool:
        self.shown = self.values()
        return True
