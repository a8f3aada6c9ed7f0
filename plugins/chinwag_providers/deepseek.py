"""DeepSeek: OpenAI-compatible API."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class DeepseekModelSettings(ResponseFormatSettings):
    provider_type: Literal["deepseek"] = "deepseek"


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source, "deepseek")


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="deepseek",
            display_name="DeepSeek",
            settings_type=DeepseekModelSettings,
            litellm_prefix="deepseek",
            key_name="deepseek",
            key_env_var="DEEPSEEK_API_KEY",
            base_url="https://api.deepseek.com",
            list_models=lambda: model_lists.from_litellm("deepseek"),
            live_models=live_models,
        )
    )
