"""xAI: Grok models over an OpenAI-compatible API."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class XaiModelSettings(ResponseFormatSettings):
    provider_type: Literal["xai"] = "xai"


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source, "xai")


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="xai",
            display_name="xAI (Grok)",
            settings_type=XaiModelSettings,
            litellm_prefix="xai",
            key_name="xai",
            key_env_var="XAI_API_KEY",
            base_url="https://api.x.ai/v1",
            list_models=lambda: model_lists.from_litellm("xai"),
            live_models=live_models,
        )
    )
