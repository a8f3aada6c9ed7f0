"""The settings dialog: provider pages from the schema, the key into the real keyring only,
defaults and appearance into settings.json, plugins with their status and errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import keyring
import pytest
from pydantic import SecretStr
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit
from pytestqt.qtbot import QtBot

from chinwag.app import Services, build
from chinwag.core.llm.provider import Endpoint, ModelInfo, Provider
from chinwag.core.system import paths
from chinwag.core.system.keys import SERVICE
from chinwag.ui.dialogs.settings import SettingsDialog

SECRET = "sk-test-0123456789abcdefSECRET"


@pytest.mark.keyring
def test_provider_page_saves_fields_to_settings_and_key_to_keyring(
    qtbot: QtBot, services: Services
) -> None:
    services.plugins.providers["acme"] = Provider(
        id="acme",
        display_name="Acme Cloud",
        litellm_prefix="openai",
        key_name="acme-test-key",
        key_env_var="ACME_API_KEY",
        base_url="https://api.acme.invalid/v1",
        list_models=lambda: [ModelInfo(name="acme-1")],
    )
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    page = next(p for p in dialog.provider_pages if p.provider.id == "acme")
    assert "SecretService" in page.key_note.text() or "Keyring" in page.key_note.text()
    base_url = page.form.editors["base_url"]
    retries = page.form.editors["num_retries"]
    assert isinstance(base_url, QLineEdit) and isinstance(retries, QLineEdit)
    base_url.setText("http://127.0.0.1:9/v1")
    retries.setText("2")
    page.key.setText(SECRET)
    assert dialog.save()

    stored = json.loads(paths.settings_path().read_text())
    assert stored["provider_options"]["acme"] == {"base_url": "http://127.0.0.1:9/v1",
                                                  "num_retries": 2}  # fmt: skip
    assert keyring.get_password(SERVICE, "acme-test-key") == SECRET
    assert page.key.text() == ""  # not kept in the widget either
    for file in paths.home().rglob("*"):
        if file.is_file():
            assert SECRET.encode() not in file.read_bytes(), file
    keyring.delete_password(SERVICE, "acme-test-key")


def test_invalid_field_is_refused_and_nothing_saved(qtbot: QtBot, services: Services) -> None:
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    page = dialog.provider_pages[0]
    timeout = page.form.editors["timeout"]
    assert isinstance(timeout, QLineEdit)
    timeout.setText("-5")
    assert not dialog.save()
    assert page.form.error.isVisibleTo(dialog) and page.form.error.text()
    assert not paths.settings_path().exists()


def test_defaults_and_appearance_are_saved(qtbot: QtBot, services: Services) -> None:
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    enter_sends = dialog.defaults.form.editors["enter_sends"]
    assert isinstance(enter_sends, QCheckBox)
    enter_sends.setChecked(False)
    dialog.appearance.theme.setCurrentIndex(dialog.appearance.theme.findData("dark"))
    dialog.appearance.font_size.setValue(14)
    assert dialog.save()
    stored = json.loads(paths.settings_path().read_text())
    assert stored["enter_sends"] is False
    assert stored["theme"] == "dark" and stored["font_size"] == 14


def make_broken_plugin(root: Path) -> None:
    """A real installed distribution whose entry point raises on import."""
    (root / "chinwag_broken_demo.py").write_text("raise RuntimeError('demo plugin is broken')\n")
    info = root / "chinwag_broken_demo-0.3.dist-info"
    info.mkdir()
    metadata = "Metadata-Version: 2.1\nName: chinwag-broken-demo\nVersion: 0.3\n"
    (info / "METADATA").write_text(metadata)
    (info / "entry_points.txt").write_text("[chinwag]\nbroken_demo = chinwag_broken_demo\n")


def test_a_broken_plugin_shows_on_the_plugins_page(
    qtbot: QtBot, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    make_broken_plugin(site)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "chinwag_broken_demo", raising=False)
    services = build()
    try:
        dialog = SettingsDialog(services)
        qtbot.addWidget(dialog)
        rows = {item.text(0): item for item in dialog.plugins.items()}
        broken = rows["broken_demo"]
        assert broken.text(1) == "0.3"
        assert broken.text(2) == "failed"
        assert "demo plugin is broken" in broken.child(0).text(3)
        assert rows["local"].text(2) == "ok"  # the others still work
        assert "provider local" in rows["local"].text(3)

        rows["local"].setCheckState(0, Qt.CheckState.Unchecked)
        assert dialog.save()
        assert json.loads(paths.settings_path().read_text())["disabled_plugins"] == ["local"]
    finally:
        services.close()
    restarted = build()
    try:
        assert "local" not in restarted.plugins.providers
        assert next(r for r in restarted.plugins.records if r.name == "local").status == "disabled"
    finally:
        restarted.close()


def test_connection_test_reports_the_providers_error(services: Services) -> None:
    from chinwag.ui.dialogs.settings import test_connection

    services.settings.provider_options["closed"] = {"num_retries": 0}
    provider = Provider(
        id="closed",
        display_name="Nothing listening",
        litellm_prefix="openai",
        needs_key=False,
        list_models=lambda: [ModelInfo(name="none")],
        endpoint=lambda _name: Endpoint(base_url="http://127.0.0.1:9/v1", api_key=SecretStr("x")),
    )
    services.plugins.providers["closed"] = provider
    error = test_connection(services, provider)
    assert error  # a clear failure, not a hang or a crash
    assert "127.0.0.1" in error or "onnect" in error


def test_connection_test_succeeds_against_the_local_model(local_services: Services) -> None:
    from chinwag.ui.dialogs.settings import test_connection

    assert test_connection(local_services, local_services.plugins.providers["local"]) == ""
