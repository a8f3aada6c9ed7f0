"""The built-in local provider: any GGUF file in the models folders, served by llama.cpp.

No key, no network: the default when nothing else is configured.
"""

from __future__ import annotations

from pathlib import Path

from chinwag.api import (
    Endpoint,
    ModelInfo,
    ModelSettings,
    Provider,
    RegisterProvider,
    hookimpl,
    models_dirs,
)
from chinwag_local.server import CONTEXT_PER_SLOT, LocalServer

_server = LocalServer()


class LocalModelSettings(ModelSettings):
    provider_type: str = "local"


def model_files() -> dict[str, Path]:
    """Every .gguf in the models folders by name (its file stem); the first folder wins."""
    found: dict[str, Path] = {}
    for folder in models_dirs():
        for path in sorted(folder.glob("*.gguf")) if folder.is_dir() else []:
            found.setdefault(path.stem, path)
    return found


def list_models() -> list[ModelInfo]:
    return [
        ModelInfo(
            name=name,
            context_window=CONTEXT_PER_SLOT,
            input_cost_per_token=0.0,
            output_cost_per_token=0.0,
        )
        for name in model_files()
    ]


def endpoint(model: str) -> Endpoint:
    path = model_files().get(model)
    if path is None:
        folders = ", ".join(str(d) for d in models_dirs())
        raise LookupError(f"no local model named {model!r}; put a .gguf file in {folders}")
    return _server.endpoint(path)


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="local",
            display_name="Local (llama.cpp)",
            settings_type=LocalModelSettings,
            litellm_prefix="openai",
            needs_key=False,
            list_models=list_models,
            endpoint=endpoint,
        )
    )
