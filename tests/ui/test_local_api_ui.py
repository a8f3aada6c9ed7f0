"""Settings > Local API runs the real server in the app, on 127.0.0.1, behind the token."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.system import paths
from chinwag.server.auth import TOKEN_NAME
from chinwag.ui.app.local_api import LocalApi
from chinwag.ui.app.main import known_secrets
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.dialogs.settings import SettingsDialog

STARTUP_MS = 60_000  # importing FastAPI on a loaded CI machine


def get(url: str, token: str) -> int:
    response = httpx.get(
        f"{url}/v1/conversations/", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    return response.status_code


def test_the_toggle_serves_the_api_and_regenerate_invalidates_the_old_token(
    qtbot: QtBot, services: Services, home: Path
) -> None:
    services.settings.local_api_port = 0  # any free port: tests run side by side
    api = LocalApi(services)
    dialog = SettingsDialog(services, None, api)
    qtbot.addWidget(dialog)
    page = dialog.local_api
    assert page is not None
    dialog.show_page("Local API")
    assert not api.running and page.url.text() == ""
    assert page.token.echoMode() == QLineEdit.EchoMode.Password  # masked until asked

    page.enabled.setChecked(True)
    qtbot.waitUntil(lambda: api.running, timeout=STARTUP_MS)
    url = page.url.text()
    assert url.startswith("http://127.0.0.1:") and url == api.url
    old = page.token.text()
    assert old and services.keys.get(TOKEN_NAME) is not None
    assert get(url, old) == 200
    assert get(url, "wrong-token") == 401

    page.show_token.setChecked(True)
    assert page.token.echoMode() == QLineEdit.EchoMode.Normal
    page.copy()
    assert QGuiApplication.clipboard().text() == old

    page.regenerate()
    new = page.token.text()
    assert new != old
    stored = services.keys.get(TOKEN_NAME)
    assert stored is not None and stored.get_secret_value() == new
    assert get(url, old) == 401
    assert get(url, new) == 200
    assert new in known_secrets(services)  # a crash report blanks the token out too

    saved = (paths.settings_path()).read_text(encoding="utf-8")
    assert json.loads(saved)["local_api"] is True
    assert new not in saved and old not in saved

    page.enabled.setChecked(False)
    qtbot.waitUntil(lambda: api.state == "stopped", timeout=STARTUP_MS)
    assert page.url.text() == ""
    with pytest.raises(httpx.ConnectError):
        get(url, new)
    assert json.loads(paths.settings_path().read_text(encoding="utf-8"))["local_api"] is False


def test_a_taken_port_is_reported_and_the_setting_starts_it_with_the_app(
    qtbot: QtBot, services: Services
) -> None:
    services.settings.local_api_port = 0
    services.settings.local_api = True
    window = MainWindow(services)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.local_api.running, timeout=STARTUP_MS)
    taken = int(window.local_api.url.rsplit(":", 1)[1])

    services.settings.local_api_port = taken
    second = LocalApi(services)
    second.start()
    qtbot.waitUntil(lambda: second.state == "failed", timeout=STARTUP_MS)
    assert f"127.0.0.1:{taken}" in second.error and "in use" in second.error

    url = window.local_api.url
    window.close()  # stops the server before the window goes
    assert window.local_api.state == "stopped"
    with pytest.raises(httpx.ConnectError):
        get(url, "any")
