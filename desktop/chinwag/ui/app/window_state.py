"""Window geometry, splitter positions and the last appearance, kept under CHINWAG_HOME
(not the home dir)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget

from chinwag.core.system import paths


def ui_settings() -> QSettings:
    return QSettings(str(paths.home() / "window-state.ini"), QSettings.Format.IniFormat)


def restore(key: str, window: QWidget, splitter: QSplitter | None = None) -> None:
    state = ui_settings()
    geometry = state.value(f"{key}/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    if splitter is not None:
        sizes = state.value(f"{key}/splitter")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)


def save(key: str, window: QWidget, splitter: QSplitter | None = None) -> None:
    state = ui_settings()
    state.setValue(f"{key}/geometry", window.saveGeometry())
    if splitter is not None:
        state.setValue(f"{key}/splitter", splitter.saveState())
    state.sync()


DEFAULT_APPEARANCE = ("system", 11)


def remember_appearance(theme: str, font_size: int) -> None:
    state = ui_settings()
    state.setValue("appearance/theme", theme)
    state.setValue("appearance/font_size", font_size)


def appearance() -> tuple[str, int]:
    state = ui_settings()
    theme = state.value("appearance/theme", DEFAULT_APPEARANCE[0])
    try:
        font_size = int(str(state.value("appearance/font_size", DEFAULT_APPEARANCE[1])))
    except ValueError:
        font_size = DEFAULT_APPEARANCE[1]
    return (str(theme), max(6, min(48, font_size)))
