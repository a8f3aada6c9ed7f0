"""Settings > Provider: the key (keyring only), the provider's own options from its schema,
the call settings Chinwag applies to every provider, and a connection test."""

from __future__ import annotations

import threading

from pydantic import SecretStr
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chinwag.app import Services
from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.provider import Provider
from chinwag.core.system import keys as keys_module
from chinwag.core.system import settings as settings_file
from chinwag.core.system.settings import Changes, SettingsUnwritable, edits
from chinwag.ui.dialogs.schema_form import EditorWidget, SchemaForm

CALL_FIELDS = [
    "api_version", "timeout", "num_retries", "retry_multiplier", "retry_min_wait",
    "retry_max_wait", "max_input_tokens", "max_output_tokens",
]  # fmt: skip
"""LLM config fields a user may set per provider; the catalog reads any of them from the
provider's options. A field the provider's own options declare is shown there instead."""
CALL_HELP = {
    "api_version": "only for a provider whose API has versions",
    "timeout": "seconds to wait for the provider to answer",
}


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


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text)")
    return label


class _Result(QObject):
    done = Signal(str)


class ProviderPage(QWidget):
    def __init__(self, services: Services, provider: Provider) -> None:
        super().__init__()
        self.services = services
        self.provider = provider
        self.scope = ("provider_options", provider.id)
        stored = services.settings.provider_options.get(provider.id, {})
        own = provider.options_type.model_fields
        self.form = SchemaForm(
            provider.options_type,
            stored,
            required=provider.required_options,
            placeholders={"base_url": provider.base_url} if provider.base_url else None,
            describe=True,
        )
        self.call_form = SchemaForm(
            LLMConfig, stored, fields=[f for f in CALL_FIELDS if f not in own], describe=CALL_HELP
        )
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(provider.display_name))
        if provider.unavailable:
            why = _note(provider.unavailable)
            why.setStyleSheet("color: #b26a00")
            layout.addWidget(why)
        layout.addLayout(self._key_rows())
        if self.form.editors:
            layout.addSpacing(8)
            layout.addWidget(_heading(self.tr("Connection")))
            layout.addWidget(self.form)
        if provider.required_options:
            layout.addWidget(
                _note(self.tr("* required before {name} can be used").format(
                    name=provider.display_name
                ))
            )  # fmt: skip
        layout.addSpacing(8)
        layout.addWidget(_heading(self.tr("Calls")))
        layout.addWidget(
            _note(
                self.tr(
                    "A failed call is retried only before its first token, waiting from the "
                    "minimum to the maximum wait (seconds), longer each time by the "
                    "multiplier. An empty token limit means the model's own."
                )
            )
        )
        layout.addWidget(self.call_form)
        layout.addLayout(self._test_row())
        layout.addStretch()
        self._align()
        self._result = _Result()
        self._result.done.connect(self._show_test)

    def _align(self) -> None:
        """One label column down the page, though the rows come from three forms."""
        labels = [*self.form.labels.values(), *self.call_form.labels.values()]
        if self.provider.key_name:
            labels.append(self.key_label)
        for form in (self.form, self.call_form):
            rows = form.layout()
            if rows is not None:
                rows.setContentsMargins(0, 0, 0, 0)
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def _key_rows(self) -> QFormLayout:
        rows = QFormLayout()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(self.tr("API key"))
        self.key_label = QLabel(self.tr("API key"))
        self.key_note = QLabel()
        self.key_note.setWordWrap(True)
        provider = self.provider
        if not provider.key_name:
            self.key.hide()
            rows.addRow(QLabel(self.tr("This provider needs no key.")))
            return rows
        has_key = self.services.keys.get(provider.key_name, provider.key_env_var) is not None
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
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.key)
        column.addWidget(self.key_note)
        self.key_label.setBuddy(self.key)
        rows.addRow(self.key_label, cell)
        return rows

    def _test_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.run_test)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.test_button)
        row.addWidget(self.test_result, 1)
        return row

    def editor(self, name: str) -> EditorWidget:
        """The editor of an option, wherever the page shows it."""
        return {**self.call_form.editors, **self.form.editors}[name]

    def changes(self) -> Changes | None:
        """The options the user changed on this page, or None when one is invalid."""
        own, calls = self.form.edited(), self.call_form.edited()
        if own is None or calls is None:
            return None
        return {
            **edits(self.scope, own, self.form.defaults()),
            **edits(self.scope, calls, self.call_form.defaults()),
        }

    def saved(self) -> bool:
        """After the options are written: the key goes to the keyring, never to a file."""
        self.form.mark_saved()
        self.call_form.mark_saved()
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
        """Save this page first (the test uses what is on it), then call off the UI thread."""
        changes = self.changes()
        if changes is None:
            return
        try:
            settings_file.update(self.services.settings, changes)
        except SettingsUnwritable as error:
            self._show_test(str(error))
            return
        if not self.saved():
            return
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Testing…"))
        result = self._result

        def work() -> None:
            result.done.emit(self.services.calls.test_connection(self.provider))

        threading.Thread(target=work, daemon=True, name="connection-test").start()

    def _show_test(self, error: str) -> None:
        self.test_button.setEnabled(True)
        if error:
            self.test_result.setStyleSheet("color: #d32f2f")
            self.test_result.setText(self.tr("Failed: {error}").format(error=error))
        else:
            self.test_result.setStyleSheet("color: #2e7d32")
            self.test_result.setText(self.tr("Connected: the model answered."))
