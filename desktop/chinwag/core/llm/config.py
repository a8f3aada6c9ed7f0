"""LLM configuration with every field, default and bound of the OpenHands SDK `LLM` schema.

Secrets are `SecretStr` and redacted on every dump unless the caller passes the
serialization context `{"expose_secrets": True}` (only the backend does, to make the call).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, SerializationInfo, field_serializer

REDACTED = "**********"

ReasoningEffort = Literal["low", "medium", "high", "xhigh", "none"]


class LLMConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    model: str = Field(default="claude-sonnet-4-20250514", description="Model name.")
    api_key: SecretStr | None = Field(default=None, description="API key.")
    base_url: str | None = Field(default=None, description="Custom base URL.")
    api_version: str | None = Field(default=None, description="API version (e.g., Azure).")
    aws_access_key_id: SecretStr | None = None
    aws_secret_access_key: SecretStr | None = None
    aws_region_name: str | None = None
    openrouter_site_url: str = "https://docs.all-hands.dev/"
    openrouter_app_name: str = "OpenHands"
    num_retries: int = Field(default=5, ge=0)
    retry_multiplier: float = Field(default=8, ge=0)
    retry_min_wait: int = Field(default=8, ge=0)
    retry_max_wait: int = Field(default=64, ge=0)
    timeout: int | None = Field(
        default=300, ge=0, description="HTTP timeout in seconds; None disables it."
    )
    max_message_chars: int = Field(default=30000, ge=1)
    temperature: float | None = Field(default=None, ge=0)
    top_p: float | None = Field(default=1, ge=0, le=1)
    top_k: float | None = Field(default=None, ge=0)
    max_input_tokens: int | None = Field(default=None, ge=1)
    max_output_tokens: int | None = Field(default=None, ge=1)
    model_canonical_name: str | None = None
    extra_headers: dict[str, str] | None = None
    input_cost_per_token: float | None = Field(default=None, ge=0)
    output_cost_per_token: float | None = Field(default=None, ge=0)
    ollama_base_url: str | None = None
    stream: bool = False
    drop_params: bool = True
    modify_params: bool = True
    disable_vision: bool | None = None
    disable_stop_word: bool | None = False
    caching_prompt: bool = True
    log_completions: bool = False
    log_completions_folder: str = "logs/completions"
    custom_tokenizer: str | None = None
    native_tool_calling: bool = True
    force_string_serializer: bool | None = None
    reasoning_effort: ReasoningEffort | None = "high"
    reasoning_summary: Literal["auto", "concise", "detailed"] | None = None
    enable_encrypted_reasoning: bool = True
    prompt_cache_retention: str | None = "24h"
    extended_thinking_budget: int | None = 200000
    seed: int | None = None
    safety_settings: list[dict[str, str]] | None = None
    usage_id: str = Field(
        default="default", description="Registry, telemetry and spend-tracking key."
    )
    litellm_extra_body: dict[str, Any] = Field(default_factory=dict)

    @field_serializer("api_key", "aws_access_key_id", "aws_secret_access_key")
    def _redact(self, value: SecretStr | None, info: SerializationInfo) -> str | None:
        if value is None:
            return None
        if isinstance(info.context, dict) and info.context.get("expose_secrets"):
            return value.get_secret_value()
        return REDACTED
