"""Anthropic: the Messages API, with extended thinking and effort."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings

API_VERSION = "2023-06-01"


class Thinking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["enabled", "disabled"] | None = None
    budget_tokens: int | None = Field(None, ge=0)


class AnthropicModelSettings(ResponseFormatSettings):
    provider_type: Literal["anthropic"] = "anthropic"
    effort: Literal["low", "medium", "high", "max"] | None = None
    strict: bool | None = None
    thinking: Thinking | None = None
    verbosity: Literal["low", "medium", "high"] | None = None

    def to_litellm(self) -> dict[str, Any]:
        kwargs = super().to_litellm()
        if self.thinking is not None and self.thinking.type is not None:
            thinking: dict[str, Any] = {"type": self.thinking.type}
            if self.thinking.type == "enabled" and self.thinking.budget_tokens is not None:
                thinking["budget_tokens"] = self.thinking.budget_tokens
            kwargs["thinking"] = thinking
        if self.effort is not None:
            kwargs["output_config"] = {"effort": self.effort}  # Anthropic's own field
        if self.verbosity is not None:
            kwargs["verbosity"] = self.verbosity  # litellm drops it where unsupported
        return kwargs


def live_models(source: ModelSource) -> list[ModelInfo]:
    headers = {"anthropic-version": API_VERSION}
    if source.api_key is not None:
        headers["x-api-key"] = source.api_key.get_secret_value()
    body = model_lists.get_json(f"{source.base_url.rstrip('/')}/v1/models", headers)
    names = sorted(str(item["id"]) for item in body.get("data", []) if "id" in item)
    return [model_lists.known_info(("anthropic",), name) for name in names]


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="anthropic",
            display_name="Anthropic",
            settings_type=AnthropicModelSettings,
            litellm_prefix="anthropic",
            key_name="anthropic",
            key_env_var="ANTHROPIC_API_KEY",
            base_url="https://api.anthropic.com",
            list_models=lambda: model_lists.from_litellm("anthropic"),
            live_models=live_models,
        )
    )
