"""Ollama: models served by a local Ollama (native /api/chat), listed by /api/tags."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class OllamaModelSettings(ResponseFormatSettings):
    provider_type: Literal["ollama"] = "ollama"


def live_models(source: ModelSource) -> list[ModelInfo]:
    body = model_lists.get_json(f"{source.base_url.rstrip('/')}/api/tags", {})
    names = sorted(str(item["name"]) for item in body.get("models", []) if "name" in item)
    return [model_lists.known_info(("ollama",), name) for name in names]


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="ollama",
            display_name="Ollama",
            settings_type=OllamaModelSettings,
            # The user enables it by giving the address (usually http://localhost:11434),
            # so an absent Ollama never fills the model list with models that cannot answer.
            required_options=["base_url"],
            litellm_prefix="ollama_chat",
            needs_key=False,
            live_models=live_models,
        )
    )
