"""UI fixtures: the real composition root (store, plugins, catalog) in a temporary home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from chinwag.app import Services, build


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    built = build()
    yield built
    built.close()


@pytest.fixture
def local_services(with_model: Path, home: Path) -> Iterator[Services]:
    built = build()
    yield built
    built.close()


@pytest.fixture(autouse=True)
def restore_appearance(qapp: QApplication) -> Iterator[None]:
    """Saving settings restyles the whole application; later tests get it back as it was."""
    font, palette = qapp.font(), qapp.palette()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)
