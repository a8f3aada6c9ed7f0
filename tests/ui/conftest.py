"""UI fixtures: the real composition root (store, plugins, catalog) in a temporary home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
