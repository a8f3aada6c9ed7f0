"""Groq: open models on LPUs, OpenAI-compatible API."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class GroqModelSettings(ResponseFormatSettings):
    provider_type: Literal["groq"] = "groq"


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source, "groq")


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="groq",
            display_name="Groq",
            settings_type=GroqModelSettings,
            litellm_prefix="groq",
            key_name="groq",
            key_env_var="GROQ_API_KEY",
            base_url="https://api.groq.com/openai/v1",
            list_models=lambda: model_lists.from_litellm("groq"),
            live_models=live_models,
        )
    )
