"""Settings shapes several providers share (Letta's OpenAI-compatible provider types)."""

from __future__ import annotations

from typing import Any

from chinwag.api import ModelSettings, Reasoning, ResponseFormat, response_format_kwargs


class ResponseFormatSettings(ModelSettings):
    """max_output_tokens, parallel_tool_calls, temperature and response_format."""

    response_format: ResponseFormat | None = None

    def to_litellm(self) -> dict[str, Any]:
        return super().to_litellm() | response_format_kwargs(self.response_format)


class ReasoningSettings(ResponseFormatSettings):
    """OpenAI's shape: adds reasoning effort and strict structured output."""

    reasoning: Reasoning | None = None
    strict: bool | None = None

    def to_litellm(self) -> dict[str, Any]:
        kwargs = super().to_litellm()
        if self.reasoning is not None and self.reasoning.reasoning_effort is not None:
            kwargs["reasoning_effort"] = self.reasoning.reasoning_effort
        schema_format = kwargs.get("response_format", {})
        if self.strict is not None and schema_format.get("type") == "json_schema":
            # Without tools, `strict` can only mean the structured output's strictness.
            schema_format["json_schema"] = {**schema_format["json_schema"], "strict": self.strict}
        return kwargs
