"""Settings: a page per provider, then defaults, appearance, plugins and the local API.

Save asks each page what the user changed and writes only that (core
`settings.update`), so a key no page shows is never lost."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from chinwag.app import Services
from chinwag.core.system import settings as settings_file
from chinwag.core.system.settings import Changes, SettingsUnwritable
from chinwag.ui.app import theme
from chinwag.ui.app.local_api import LocalApi
from chinwag.ui.dialogs.settings.general_page import AppearancePage, DefaultsPage
from chinwag.ui.dialogs.settings.local_api_page import LocalApiPage
from chinwag.ui.dialogs.settings.plugins_page import PluginsPage
from chinwag.ui.dialogs.settings.provider_page import ProviderPage


class SettingsPage(Protocol):
    def changes(self) -> Changes | None:
        """What the user changed on the page; None when an input is invalid (shown there)."""

    def saved(self) -> bool:
        """The changes are written: take them as the new starting point, store secrets."""


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
        named: list[tuple[str, SettingsPage, QWidget]] = [
            (self.tr("Provider: {name}").format(name=p.provider.display_name), p, p)
            for p in self.provider_pages
        ]
        named += [
            (self.tr("Defaults"), self.defaults, self.defaults),
            (self.tr("Appearance"), self.appearance, self.appearance),
            (self.tr("Plugins"), self.plugins, self.plugins),
        ]
        if self.local_api is not None:
            named.append((self.tr("Local API"), self.local_api, self.local_api))
        self.pages = [page for _, page, _ in named]
        for label, _, widget in named:
            self.pages_list.addItem(label)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(widget)
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
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #d32f2f")
        self.problem.setWordWrap(True)
        self.problem.hide()
        body = QHBoxLayout()
        body.addWidget(self.pages_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def show_page(self, name: str) -> None:
        for row in range(self.pages_list.count()):
            if self.pages_list.item(row).text() == name:
                self.pages_list.setCurrentRow(row)

    def save(self) -> bool:
        """Write what the pages changed, or nothing when a page holds an invalid input (that
        page comes to the front, the field says why)."""
        changes: dict[settings_file.SettingPath, object] = {}
        for row, page in enumerate(self.pages):
            page_changes = page.changes()
            if page_changes is None:
                self.pages_list.setCurrentRow(row)
                self._say(self.tr("Nothing was saved: a field on this page needs fixing."))
                return False
            changes.update(page_changes)
        try:
            settings_file.update(self.services.settings, changes)
        except SettingsUnwritable as error:
            self._say(str(error))
            return False
        if not all([page.saved() for page in self.pages]):
            return False
        self._say("")
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, self.services.settings)
        self.saved.emit()
        return True

    def _say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def accept_and_save(self) -> None:
        if self.save():
            self.accept()
