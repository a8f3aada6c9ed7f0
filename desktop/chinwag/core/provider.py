"""What a provider plugin registers: its identity, settings schema, key and models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class ModelSettings(BaseModel):
    """Per-request settings; each provider subclasses it with exactly its Letta fields.

    `to_litellm` maps the settings to keyword arguments of the litellm call.
    """

    model_config = ConfigDict(extra="forbid")

    provider_type: str = "openai"
    max_output_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)

    def to_litellm(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if self.max_output_tokens is not None:
            kwargs["max_tokens"] = self.max_output_tokens
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        return kwargs


class ModelInfo(BaseModel):
    name: str = Field(description="the model's name within its provider")
    context_window: int | None = None
    input_cost_per_token: float | None = None
    output_cost_per_token: float | None = None
    supports_vision: bool = False


class Endpoint(BaseModel):
    """Where to send a call, when the provider decides it at call time (a local server)."""

    base_url: str
    api_key: SecretStr | None = None


class Provider(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_\-]*$")
    display_name: str
    settings_type: type[ModelSettings] = ModelSettings
    litellm_prefix: str = Field(description="litellm's provider route, e.g. 'openai'")
    key_name: str | None = Field(None, description="keyring entry; None when no key is needed")
    key_env_var: str | None = None
    base_url: str | None = None
    list_models: Callable[[], list[ModelInfo]] = Field(default=lambda: [])
    endpoint: Callable[[str], Endpoint] | None = Field(
        None, description="given a model name, where to call it; may start a local server"
    )
    needs_key: bool = True
    backend: str = "litellm"

    def handle(self, model: str) -> str:
        return f"{self.id}/{model}"
