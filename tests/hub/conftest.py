"""A local Hub with the built-in GGUF in a few repos: plain, corrupt in transit, gated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.hub_server import (
    BUILT_IN,
    BUILT_IN_SHA256,
    HubServer,
    ServedFile,
    ServedRepo,
    served_built_in,
)

PLAIN = "chinwag-test/SmolLM2-135M-Instruct-GGUF"
CORRUPT = "chinwag-test/Corrupt-GGUF"
GATED = "chinwag-test/Gated-GGUF"
NOT_GGUF = "chinwag-test/SmolLM2-safetensors"
TWO = "someone/Two-Quants-GGUF"
HOSTILE = "someone/Hostile-Names-GGUF"
FILE = "smollm2-135m-instruct-q4_1.gguf"
GRANTED, UNGRANTED = "hf_granted_token_0123456789", "hf_other_token_0123456789"


def repos() -> list[ServedRepo]:
    size = BUILT_IN.stat().st_size
    return [
        ServedRepo(PLAIN, [served_built_in(FILE)], downloads=5000),
        ServedRepo(
            CORRUPT, [ServedFile("corrupt-q8_0.gguf", BUILT_IN, BUILT_IN_SHA256, size // 2)]
        ),
        ServedRepo(GATED, [served_built_in("gated-Q4_K_M.gguf")], gated=True, downloads=20),
        ServedRepo(NOT_GGUF, [ServedFile("model.safetensors", BUILT_IN, BUILT_IN_SHA256)]),
        ServedRepo(TWO, [served_built_in("two-Q4_1.gguf"), served_built_in("q8/two-Q8_0.gguf")]),
        ServedRepo(
            HOSTILE,
            [served_built_in(name) for name in ("..\\..\\evil.gguf", ".hidden.gguf", "c:x.gguf")]
            + [served_built_in("fine-Q4_0.gguf")],
        ),
    ]


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    with HubServer(repos(), granted_tokens={GRANTED}, known_tokens={UNGRANTED}) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.delenv("HF_TOKEN", raising=False)
        yield server


@pytest.fixture
def models(home: Path) -> Path:
    """Chinwag's own models folder in this test's home (where downloads go)."""
    return home / "models"
