"""OpenRouter: many providers' models behind one OpenAI-compatible API.

litellm's model map has no OpenRouter chat entries in this version, so its models come
from the live listing (`chinwag models --live`) or by typing a handle."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class OpenrouterModelSettings(ResponseFormatSettings):
    provider_type: Literal["openrouter"] = "openrouter"


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source, "openrouter")


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="openrouter",
            display_name="OpenRouter",
            settings_type=OpenrouterModelSettings,
            litellm_prefix="openrouter",
            key_name="openrouter",
            key_env_var="OPENROUTER_API_KEY",
            base_url="https://openrouter.ai/api/v1",
            list_models=lambda: model_lists.from_litellm("openrouter"),
            live_models=live_models,
        )
    )
