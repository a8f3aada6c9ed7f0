"""The window opens with a plugin whose hook exits, and the Plugins page shows what went
wrong with each plugin and with the plugin selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from chinwag.app import build
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.dialogs.settings import SettingsDialog
from tests.plugins.folder import install

EXITS = """
import sys
from chinwag.api import hookimpl

@hookimpl
def register_providers(register):
    sys.exit("goodbye")
"""

MISSPELT = """
from chinwag.api import hookimpl

@hookimpl
def register_provider(register):
    pass
"""


def test_the_window_opens_past_a_plugin_whose_hook_exits(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, with_model: Path
) -> None:
    install(monkeypatch, "chinwag_exits_demo", EXITS)
    services = build()  # used to raise SystemExit: the window stayed at "Opening…"
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        assert window.attached()
        assert "Plugin chinwag_exits_demo failed" in window.statusBar().currentMessage()
        assert "local" in services.plugins.providers
    finally:
        services.close()


def test_the_plugins_page_shows_warnings(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, "chinwag_typo_demo", MISSPELT)
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_text(json.dumps({"disabled_plugins": ["no_such_plugin"]}))
    services = build()
    try:
        dialog = SettingsDialog(services)
        qtbot.addWidget(dialog)
        rows = {item.text(0): item for item in dialog.plugins.items()}
        typo = rows["chinwag_typo_demo"]
        assert typo.child(0).text(0) == "Warning"
        assert "'register_provider' is not a Chinwag hook" in typo.child(0).text(3)
        assert rows["local"].childCount() == 0
        label = dialog.plugins.warnings
        assert not label.isHidden()
        assert "disabled_plugins names 'no_such_plugin'" in label.text()
    finally:
        services.close()
