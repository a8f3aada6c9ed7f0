"""What Google AI Studio (Gemini API) and Vertex AI share: the settings shape."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chinwag.api import ModelSettings, ResponseFormat, response_format_kwargs


class ThinkingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    include_thoughts: bool | None = None
    thinking_budget: int | None = Field(None, ge=0)


class GoogleModelSettings(ModelSettings):
    response_schema: ResponseFormat | None = None
    thinking_config: ThinkingConfig | None = None

    def to_litellm(self) -> dict[str, Any]:
        kwargs = super().to_litellm() | response_format_kwargs(self.response_schema)
        config = self.thinking_config
        if config is not None and (config.include_thoughts is not None or config.thinking_budget):
            # litellm turns its `thinking` parameter into Gemini's thinkingConfig
            # (thinkingBudget, includeThoughts).
            enabled = config.include_thoughts is not False or bool(config.thinking_budget)
            thinking: dict[str, Any] = {"type": "enabled" if enabled else "disabled"}
            if config.thinking_budget is not None:
                thinking["budget_tokens"] = config.thinking_budget
            kwargs["thinking"] = thinking
        return kwargs
