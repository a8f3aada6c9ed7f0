"""Settings: one page per provider (from its schema, with a keyring-only key field and a
connection test), defaults, appearance and plugins."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import SecretStr
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chinwag.app import Services
from chinwag.core.llm.backend import Cancel as CancelToken
from chinwag.core.llm.backend import ChatRequest, Done, StreamError, TextDelta
from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.provider import Provider
from chinwag.core.system import keys as keys_module
from chinwag.core.system import settings as settings_file
from chinwag.core.system.settings import Settings
from chinwag.ui.app import theme
from chinwag.ui.app.local_api import LocalApi
from chinwag.ui.dialogs.local_api_page import LocalApiPage
from chinwag.ui.dialogs.schema_form import SchemaForm

PROVIDER_FIELDS = [
    "base_url", "api_version", "timeout", "num_retries", "retry_multiplier",
    "retry_min_wait", "retry_max_wait", "max_input_tokens", "max_output_tokens",
]  # fmt: skip
HANDLED_ELSEWHERE = {
    "theme", "font_size", "default_model", "provider_options", "disabled_plugins",
    "local_api", "local_api_port",
}  # fmt: skip


def test_connection(services: Services, provider: Provider) -> str:
    """One tiny request to the provider's first model: "" when it answered, else the error."""
    models = provider.list_models()
    if not models:
        return QApplication.translate("Settings", "This provider lists no model to try.")
    try:
        handle = provider.handle(models[0].name)
        config = services.catalog.config_for(handle, usage_id="connection-test")
        request = ChatRequest(
            config=config,
            messages=[{"role": "user", "content": "Say OK."}],
            extra={"max_tokens": 1},
        )
        backend = services.plugins.backend(provider.backend)
        for event in backend.stream(request, CancelToken()):
            if isinstance(event, StreamError):
                return event.message
            if isinstance(event, TextDelta | Done):
                return ""
    except Exception as error:
        return str(error)
    return ""


def keyring_label() -> str:
    """The keyring backend as people know it, e.g. "SecretService Keyring"."""
    name = keys_module.backend_name()
    if name == "none":
        return name
    try:
        import keyring

        return str(keyring.get_keyring().name)
    except Exception:
        return name


class _Result(QObject):
    done = Signal(str)


class ProviderPage(QWidget):
    def __init__(self, services: Services, provider: Provider) -> None:
        super().__init__()
        self.services = services
        self.provider = provider
        options = services.settings.provider_options.get(provider.id, {})
        self.form = SchemaForm(LLMConfig, options, fields=PROVIDER_FIELDS)
        if provider.base_url:
            base = self.form.editors.get("base_url")
            if isinstance(base, QLineEdit):
                base.setPlaceholderText(provider.base_url)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{provider.display_name}</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        fields = self.form.layout()
        assert isinstance(fields, QFormLayout)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(self.tr("API key"))
        self.key_note = QLabel()
        self.key_note.setWordWrap(True)
        if provider.key_name:
            has_key = services.keys.get(provider.key_name, provider.key_env_var) is not None
            self.key.setPlaceholderText(
                self.tr("a key is set; type to replace it") if has_key else self.tr("not set")
            )
            backend = keyring_label()
            note = self.tr("Stored only in the OS keyring ({backend}), never in a file.").format(
                backend=backend
            )
            if backend == "none":
                note = self.tr("No OS keyring is available: set {var} instead.").format(
                    var=provider.key_env_var or self.tr("the provider's environment variable")
                )
                self.key.setEnabled(False)
            self.key_note.setText(note)
            fields.insertRow(0, self.tr("API key"), self.key)
            fields.insertRow(1, "", self.key_note)
        else:
            self.key.hide()
            fields.insertRow(0, QLabel(self.tr("This provider needs no key.")))
        layout.addWidget(self.form)
        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.run_test)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout.addLayout(test_row)
        layout.addStretch()
        self._result = _Result()
        self._result.done.connect(self._show_test)

    def save(self) -> bool:
        values = self.form.values()
        if values is None:
            return False
        self.services.settings.provider_options[self.provider.id] = values
        secret = self.key.text().strip()
        if secret and self.provider.key_name:
            try:
                self.services.keys.set(self.provider.key_name, SecretStr(secret))
            except Exception as error:
                self.key_note.setText(self.tr("The key was not saved: {error}").format(error=error))
                return False
            self.key.clear()
            self.key.setPlaceholderText(self.tr("a key is set; type to replace it"))
        return True

    def run_test(self) -> None:
        """Save first (the test uses what is on the page), then call off the UI thread."""
        if not self.save():
            return
        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("Testing…"))
        result = self._result

        def work() -> None:
            result.done.emit(test_connection(self.services, self.provider))

        threading.Thread(target=work, daemon=True, name="connection-test").start()

    def _show_test(self, error: str) -> None:
        self.test_button.setEnabled(True)
        if error:
            self.test_result.setStyleSheet("color: #d32f2f")
            self.test_result.setText(self.tr("Failed: {error}").format(error=error))
        else:
            self.test_result.setStyleSheet("color: #2e7d32")
            self.test_result.setText(self.tr("Connected: the model answered."))


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
        self.default_model.setCurrentIndex(
            max(0, self.default_model.findData(services.settings.default_model))
        )
        layout.addRow(self.tr("Default model"), self.default_model)
        self.form = SchemaForm(Settings, services.settings.model_dump(), exclude=HANDLED_ELSEWHERE)
        layout.addRow(self.form)

    def save(self) -> bool:
        values = self.form.values()
        if values is None:
            return False
        settings = self.services.settings
        for name in self.form.editors:
            setattr(settings, name, values.get(name, Settings.model_fields[name].default))
        settings.default_model = self.default_model.currentData()
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

    def save(self) -> bool:
        self.services.settings.theme = self.theme.currentData()
        self.services.settings.font_size = self.font_size.value()
        return True


class PluginsPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Plugins"))
        self.tree.setHeaderLabels(
            [self.tr("Plugin"), self.tr("Version"), self.tr("Status"), self.tr("Registers")]
        )
        disabled = set(services.settings.disabled_plugins)
        for record in services.plugins.records:
            registers = ", ".join(
                [f"provider {p}" for p in record.providers]
                + [f"backend {b}" for b in record.backends]
                + [f"summarizer {s}" for s in record.summarizers]
            )
            status = record.status
            if record.name in disabled:
                status = self.tr("disabled")
            item = QTreeWidgetItem([record.name, record.version, status, registers])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Unchecked if record.name in disabled else Qt.CheckState.Checked
            )
            item.setToolTip(0, self.tr("Untick to disable this plugin (after a restart)"))
            if record.error:
                item.setForeground(2, Qt.GlobalColor.red)
                error = QTreeWidgetItem([self.tr("Error"), "", "", record.error.strip()])
                error.setToolTip(3, record.error)
                item.addChild(error)
                item.setExpanded(True)
            self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        note = QLabel(self.tr("Changes to enabled plugins take effect after a restart."))
        layout.addWidget(note)

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def save(self) -> bool:
        self.services.settings.disabled_plugins = [
            item.text(0) for item in self.items() if item.checkState(0) != Qt.CheckState.Checked
        ]
        return True


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        local_api: LocalApi | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Settings"))
        self.resize(820, 560)
        self.pages_list = QListWidget()
        self.pages_list.setAccessibleName(self.tr("Settings pages"))
        self.pages_list.setMaximumWidth(300)
        self.pages_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.pages_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages_list.setMinimumWidth(240)
        self.stack = QStackedWidget()
        self.provider_pages = [
            ProviderPage(services, provider) for provider in services.plugins.providers.values()
        ]
        self.defaults = DefaultsPage(services)
        self.appearance = AppearancePage(services)
        self.plugins = PluginsPage(services)
        self.local_api = LocalApiPage(services, local_api) if local_api is not None else None
        pages: list[tuple[str, Any]] = [
            (self.tr("Provider: {name}").format(name=p.provider.display_name), p)
            for p in self.provider_pages
        ]
        pages += [
            (self.tr("Defaults"), self.defaults),
            (self.tr("Appearance"), self.appearance),
            (self.tr("Plugins"), self.plugins),
        ]
        if self.local_api is not None:
            pages.append((self.tr("Local API"), self.local_api))
        for label, page in pages:
            self.pages_list.addItem(label)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.stack.addWidget(scroll)
        self.pages_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.pages_list.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept_and_save)
        buttons.rejected.connect(self.reject)
        apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply_button.clicked.connect(self.save)
        body = QHBoxLayout()
        body.addWidget(self.pages_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

    def show_page(self, name: str) -> None:
        for row in range(self.pages_list.count()):
            if self.pages_list.item(row).text() == name:
                self.pages_list.setCurrentRow(row)

    def save(self) -> bool:
        pages: list[Any] = [*self.provider_pages, self.defaults, self.appearance, self.plugins]
        pages += [self.local_api] if self.local_api is not None else []
        if not all(page.save() for page in pages):
            return False
        settings_file.save(self.services.settings)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, self.services.settings)
        self.saved.emit()
        return True

    def accept_and_save(self) -> None:
        if self.save():
            self.accept()
