"""Settings > Local API: the switch, the address, and the bearer token (masked)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from chinwag.app import Services
from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyringUnavailable
from chinwag.core.system.settings import DEFAULTS, Changes, SettingsUnwritable, edits
from chinwag.ui.app import local_api as api_state
from chinwag.ui.app.local_api import LocalApi


class LocalApiPage(QWidget):
    """The switch acts at once and is remembered in settings.json; the token never is."""

    def __init__(self, services: Services, api: LocalApi) -> None:
        super().__init__()
        self.services = services
        self.api = api
        layout = QFormLayout(self)
        intro = QLabel(
            self.tr(
                "Lets other programs on this computer use your conversations and models "
                "through the Letta, OpenHands and OpenAI-compatible APIs, on 127.0.0.1 only."
            )
        )
        intro.setWordWrap(True)
        layout.addRow(intro)
        self.enabled = QCheckBox(self.tr("Run the local API server"))
        self.enabled.setAccessibleName(self.tr("Run the local API server"))
        self.enabled.setChecked(services.settings.local_api)
        self.enabled.toggled.connect(self._on_toggled)
        layout.addRow(self.enabled)
        self.port = QSpinBox()
        self.port.setAccessibleName(self.tr("Port"))
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText(self.tr("any free port"))
        self.port.setValue(services.settings.local_api_port)
        layout.addRow(self.tr("Port"), self.port)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addRow(self.tr("Status"), self.status)
        self.url = QLineEdit()
        self.url.setReadOnly(True)
        self.url.setAccessibleName(self.tr("Server address"))
        layout.addRow(self.tr("Address"), self.url)

        self.token = QLineEdit()
        self.token.setReadOnly(True)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setAccessibleName(self.tr("Bearer token"))
        self.show_token = QPushButton(self.tr("Show"))
        self.show_token.setCheckable(True)
        self.show_token.toggled.connect(self._on_show)
        self.copy_token = QPushButton(self.tr("Copy"))
        self.copy_token.setToolTip(self.tr("Copy the token to the clipboard"))
        self.copy_token.clicked.connect(self.copy)
        self.regenerate_button = QPushButton(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(
            self.tr("Make a new token; programs using the old one are refused from now on")
        )
        self.regenerate_button.clicked.connect(self.regenerate)
        row = QHBoxLayout()
        for widget in (self.token, self.show_token, self.copy_token, self.regenerate_button):
            row.addWidget(widget)
        layout.addRow(self.tr("Bearer token"), row)
        self.token_note = QLabel(self.tr("Kept in the OS keyring only."))
        self.token_note.setWordWrap(True)
        layout.addRow("", self.token_note)
        api.changed.connect(self.update_state)
        self._load_token()
        self.update_state()
        self.shown_port = self.port.value()

    def _load_token(self) -> None:
        try:
            self.token.setText(self.api.token().get_secret_value())
        except KeyringUnavailable as error:
            self.token.clear()
            self.token_note.setText(self.tr("The server needs the OS keyring: {e}").format(e=error))
            for widget in (self.enabled, self.copy_token, self.regenerate_button):
                widget.setEnabled(False)

    def _on_toggled(self, on: bool) -> None:
        port = self.port.value()
        try:
            settings_file.update(
                self.services.settings, {("local_api",): on, ("local_api_port",): port}
            )
        except SettingsUnwritable as error:
            self.enabled.blockSignals(True)
            self.enabled.setChecked(not on)
            self.enabled.blockSignals(False)
            self.status.setText(str(error))
            return
        self.shown_port = port
        if on:
            self.api.start()
        else:
            self.api.stop()

    def _on_show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.token.setEchoMode(mode)
        self.show_token.setText(self.tr("Hide") if shown else self.tr("Show"))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.token.text())

    def regenerate(self) -> None:
        try:
            self.token.setText(self.api.regenerate().get_secret_value())
        except KeyringUnavailable as error:
            self.token_note.setText(str(error))

    def update_state(self) -> None:
        state = self.api.state
        self.port.setEnabled(state in (api_state.STOPPED, api_state.FAILED))
        self.url.setText(self.api.url if self.api.running else "")
        self.status.setText(
            {
                api_state.STOPPED: self.tr("Stopped"),
                api_state.STARTING: self.tr("Starting…"),
                api_state.RUNNING: self.tr("Running"),
                api_state.STOPPING: self.tr("Stopping…"),
                api_state.FAILED: self.tr("Failed: {error}").format(error=self.api.error),
            }[state]
        )

    def changes(self) -> Changes:
        port = self.port.value()
        if port == self.shown_port:
            return {}
        return edits((), {"local_api_port": port}, DEFAULTS)

    def saved(self) -> bool:
        self.shown_port = self.port.value()
        return True
