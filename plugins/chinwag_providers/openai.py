"""OpenAI: chat completions at api.openai.com, models listed by its /models endpoint."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ReasoningSettings


class OpenAIModelSettings(ReasoningSettings):
    provider_type: Literal["openai"] = "openai"


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source, "openai")


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="openai",
            display_name="OpenAI",
            settings_type=OpenAIModelSettings,
            litellm_prefix="openai",
            key_name="openai",
            key_env_var="OPENAI_API_KEY",
            base_url="https://api.openai.com/v1",
            list_models=lambda: model_lists.from_litellm("openai"),
            live_models=live_models,
        )
    )
