"""Together AI: open models, OpenAI-compatible API."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class TogetherModelSettings(ResponseFormatSettings):
    provider_type: Literal["together"] = "together"


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source, "together_ai")


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="together",
            display_name="Together AI",
            settings_type=TogetherModelSettings,
            litellm_prefix="together_ai",
            key_name="together",
            key_env_var="TOGETHERAI_API_KEY",
            base_url="https://api.together.xyz/v1",
            list_models=lambda: model_lists.from_litellm("together_ai"),
            live_models=live_models,
        )
    )
