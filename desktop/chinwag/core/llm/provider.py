"""What a provider plugin registers: its identity, settings schema, key, options and models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh"]


class TextResponseFormat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["text"] = "text"


class JsonSchemaResponseFormat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["json_schema"] = "json_schema"
    json_schema: dict[str, Any]


class JsonObjectResponseFormat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["json_object"] = "json_object"


ResponseFormat = Annotated[
    TextResponseFormat | JsonSchemaResponseFormat | JsonObjectResponseFormat,
    Field(discriminator="type"),
]


class Reasoning(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasoning_effort: ReasoningEffort | None = None


class ModelSettings(BaseModel):
    """Per-request settings; each provider subclasses it with exactly its Letta fields.

    `to_litellm` maps the settings to keyword arguments of the litellm call. Fields that
    only matter with tools (`parallel_tool_calls`, `strict`) are mapped too; the backend
    leaves them out of a call that carries no tools, since providers reject them there.
    """

    model_config = ConfigDict(extra="forbid")

    provider_type: str = "openai"
    max_output_tokens: int | None = Field(default=None, ge=1)
    parallel_tool_calls: bool | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)

    def to_litellm(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if self.max_output_tokens is not None:
            kwargs["max_tokens"] = self.max_output_tokens
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        if self.parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = self.parallel_tool_calls
        return kwargs


def response_format_kwargs(value: BaseModel | None) -> dict[str, Any]:
    """`response_format` as litellm takes it (the OpenAI shape), or nothing."""
    return {} if value is None else {"response_format": value.model_dump()}


class ProviderOptions(BaseModel):
    """Non-secret, per-user fields of a provider (kept in settings.json `provider_options`).

    Subclasses add fields (API version, region, project); `to_litellm` maps them to
    litellm keyword arguments. `base_url` is applied by the catalog for every provider.
    """

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(default=None, description="where the provider's API lives")

    def to_litellm(self) -> dict[str, Any]:
        return {}


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


class ModelSource(BaseModel):
    """What a live model listing needs: where the provider is and the user's key."""

    base_url: str
    api_key: SecretStr | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class Provider(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_\-]*$")
    display_name: str
    settings_type: type[ModelSettings] = ModelSettings
    options_type: type[ProviderOptions] = ProviderOptions
    required_options: list[str] = Field(
        default_factory=list, description="options the user must set before it can be used"
    )
    litellm_prefix: str = Field(description="litellm's provider route, e.g. 'openai'")
    key_name: str | None = Field(
        default=None, description="keyring entry; None when no key is needed"
    )
    key_env_var: str | None = None
    base_url: str | None = Field(default=None, description="the default API address")
    list_models: Callable[[], list[ModelInfo]] = Field(
        default=lambda: [], description="known models; offline and cheap enough to call often"
    )
    live_models: Callable[[ModelSource], list[ModelInfo]] | None = Field(
        default=None, description="asks the provider's models endpoint; only on explicit request"
    )
    endpoint: Callable[[str], Endpoint] | None = Field(
        default=None, description="given a model name, where to call it; may start a local server"
    )
    needs_key: bool = True
    backend: str = "litellm"
    unavailable: str | None = Field(
        default=None, description="why this provider cannot be called in this version, if it cannot"
    )

    def handle(self, model: str) -> str:
        return f"{self.id}/{model}"
