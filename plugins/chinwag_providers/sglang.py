"""SGLang: a self-hosted OpenAI-compatible runtime; you give its base URL (key optional)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ReasoningSettings


class SglangModelSettings(ReasoningSettings):
    provider_type: Literal["sglang"] = "sglang"
    # SGLang picks its tool-call parser when the server starts (--tool-call-parser); the
    # name is kept for parsing tool calls client-side and is not a request parameter.
    tool_call_parser: str | None = Field(None, description="e.g. 'qwen25', 'hermes'")


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source)


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="sglang",
            display_name="SGLang",
            settings_type=SglangModelSettings,
            required_options=["base_url"],
            litellm_prefix="openai",
            key_name="sglang",
            key_env_var="SGLANG_API_KEY",
            needs_key=False,
            live_models=live_models,
        )
    )
