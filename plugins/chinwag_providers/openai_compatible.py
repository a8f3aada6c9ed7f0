"""Any OpenAI-compatible endpoint (LM Studio, vLLM, llama.cpp server, a proxy).

The user gives its base URL; a key is optional.
"""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ReasoningSettings


class OpenAICompatibleModelSettings(ReasoningSettings):
    provider_type: Literal["openai_compatible"] = "openai_compatible"


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source)


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="openai_compatible",
            display_name="OpenAI-compatible endpoint",
            settings_type=OpenAICompatibleModelSettings,
            required_options=["base_url"],
            litellm_prefix="openai",
            key_name="openai_compatible",
            key_env_var="OPENAI_COMPATIBLE_API_KEY",
            needs_key=False,
            live_models=live_models,
        )
    )
