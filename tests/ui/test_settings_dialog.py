"""The settings dialog: provider pages from each provider's own options, the key into the
real keyring only, defaults and appearance into settings.json, plugins with their status
and errors; a save writes what was changed and keeps every other key of the file."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import keyring
import pytest
from pydantic import Field, SecretStr
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from chinwag.app import Services, build
from chinwag.core.llm.provider import Endpoint, ModelInfo, Provider, ProviderOptions
from chinwag.core.system import paths
from chinwag.core.system.keys import SERVICE
from chinwag.ui.app.local_api import LocalApi
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
    base_url = page.editor("base_url")
    retries = page.editor("num_retries")
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
    page = dialog.provider_pages[-1]
    timeout = page.editor("timeout")
    assert isinstance(timeout, QLineEdit)
    timeout.setText("-5")
    assert not dialog.save()
    problem = page.call_form.problems["timeout"]
    assert problem.isVisibleTo(dialog) and "greater than or equal to 0" in problem.text()
    assert dialog.stack.currentWidget().isAncestorOf(page)  # the page to fix comes to the front
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
    error = services.calls.test_connection(provider)
    assert error  # a clear failure, not a hang or a crash
    assert "127.0.0.1" in error or "onnect" in error


def test_connection_test_succeeds_against_the_local_model(local_services: Services) -> None:
    assert local_services.calls.test_connection(local_services.plugins.providers["local"]) == ""


class AcmeOptions(ProviderOptions):
    """A third-party provider plugin's own options."""

    tier: Literal["free", "gold"] | None = Field(None, description="the plan to bill")
    organisation: str | None = Field(None, description="the organisation to act for")


EVERY_KIND_OF_OPTION: dict[str, Any] = {
    "default_model": "bedrock/anthropic.claude-3-haiku",  # a model not callable right now
    "provider_options": {
        "bedrock": {"aws_region_name": "eu-west-1"},
        "google_vertex": {"vertex_project": "acme-prod", "vertex_location": "europe-west4"},
        "openai": {"log_completions": True, "timeout": 30},
        "azure": {
            "base_url": "https://acme.openai.azure.com",
            "api_version": "2024-10-21",
            "extra_headers": {"X-Team": "chat"},
        },
        "acme": {"tier": "gold", "organisation": "org-7", "num_retries": 1},
        "uninstalled_vendor": {"vendor_region": "mars-1"},
    },
    "monthly_budgets": {"openai": 12.5, "anthropic": 3.0},
    "max_budget_per_task": 0.5,
    "routers": {"vision": {"vision_model": "openai/gpt-4o"}},
    "disabled_plugins": ["uninstalled_plugin"],
    "local_api_port": 0,
    "a_newer_versions_setting": {"kept": True},
}


def leaves(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    found: dict[tuple[str, ...], Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            found.update(leaves(value, (*prefix, key)))
        else:
            found[(*prefix, key)] = value
    return found


@pytest.fixture
def configured(home: Path) -> Iterator[Services]:
    """A settings.json with options no page shows, and a third-party provider."""
    home.mkdir(parents=True, exist_ok=True)
    paths.settings_path().write_text(json.dumps(EVERY_KIND_OF_OPTION, indent=2))
    services = build()
    services.plugins.providers["acme"] = Provider(
        id="acme",
        display_name="Acme Cloud",
        options_type=AcmeOptions,
        required_options=["organisation"],
        litellm_prefix="openai",
        key_name="acme-test-key",
        base_url="https://api.acme.invalid/v1",
    )
    yield services
    services.close()


def test_enter_in_settings_keeps_every_setting_it_does_not_show(
    qtbot: QtBot, configured: Services
) -> None:
    dialog = SettingsDialog(configured, None, LocalApi(configured))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    stored = json.loads(paths.settings_path().read_text())
    lost = {path: value for path, value in leaves(EVERY_KIND_OF_OPTION).items()
            if leaves(stored).get(path, "<missing>") != value}  # fmt: skip
    assert lost == {}
    assert stored == EVERY_KIND_OF_OPTION  # and nothing was added
    assert not dialog.isVisible()


def test_editing_one_field_changes_exactly_that_key(qtbot: QtBot, configured: Services) -> None:
    dialog = SettingsDialog(configured)
    qtbot.addWidget(dialog)
    pages = {page.provider.id: page for page in dialog.provider_pages}
    region = pages["bedrock"].editor("aws_region_name")
    assert isinstance(region, QLineEdit) and region.text() == "eu-west-1"
    region.setText("us-east-2")
    assert dialog.save()

    expected = json.loads(json.dumps(EVERY_KIND_OF_OPTION))
    expected["provider_options"]["bedrock"]["aws_region_name"] = "us-east-2"
    assert json.loads(paths.settings_path().read_text()) == expected
    options, _ = configured.catalog.options_for(configured.plugins.providers["bedrock"])
    assert options.to_litellm() == {"aws_region_name": "us-east-2"}  # the app uses it at once

    tier = pages["acme"].editor("tier")
    assert isinstance(tier, QComboBox) and tier.currentData() == "gold"
    tier.setCurrentIndex(tier.findData(None))  # back to the plugin's default: the key goes
    assert dialog.save()
    del expected["provider_options"]["acme"]["tier"]
    assert json.loads(paths.settings_path().read_text()) == expected


def test_an_invalid_field_keeps_its_value_and_every_other_key(
    qtbot: QtBot, configured: Services
) -> None:
    dialog = SettingsDialog(configured)
    qtbot.addWidget(dialog)
    openai = next(page for page in dialog.provider_pages if page.provider.id == "openai")
    timeout = openai.editor("timeout")
    assert isinstance(timeout, QLineEdit) and timeout.text() == "30"
    timeout.setText("soon")
    assert not dialog.save()
    assert "valid integer" in openai.call_form.problems["timeout"].text()
    assert json.loads(paths.settings_path().read_text()) == EVERY_KIND_OF_OPTION

    timeout.setText("45")
    assert dialog.save()
    assert not openai.call_form.problems["timeout"].isVisibleTo(dialog)
    stored = json.loads(paths.settings_path().read_text())
    assert stored["provider_options"]["openai"] == {"log_completions": True, "timeout": 45}


def test_a_provider_page_is_its_own_options_with_required_ones_marked(
    qtbot: QtBot, configured: Services
) -> None:
    dialog = SettingsDialog(configured)
    qtbot.addWidget(dialog)
    pages = {page.provider.id: page for page in dialog.provider_pages}
    vertex = pages["google_vertex"]
    project, location = vertex.editor("vertex_project"), vertex.editor("vertex_location")
    assert isinstance(project, QLineEdit) and project.text() == "acme-prod"
    assert project.accessibleName() == "Vertex project (required)"
    assert location.accessibleName() == "Vertex location"
    notes = [label.text() for label in vertex.findChildren(QLabel)]
    assert "Google Cloud project id" in notes  # the field's description, under it
    assert any("required before Google Vertex AI can be used" in note for note in notes)

    azure = pages["azure"]
    api_version = azure.editor("api_version")
    assert isinstance(api_version, QLineEdit) and api_version.text() == "2024-10-21"
    assert "api_version" not in azure.call_form.editors  # the provider's own field, once
    assert pages["acme"].editor("organisation").accessibleName() == "Organisation (required)"
