"""The LLMConfig fields that shape a request, applied the way each provider accepts them.

`litellm_backend.call_kwargs` is the only caller: every model call passes through here, so
a field set in settings means the same for a chat reply, a title or a gateway call. What
each field does per provider is written down in docs/llm-settings.md.
"""

from __future__ import annotations

import copy
from typing import Any

from chinwag.core.llm.config import LLMConfig

EPHEMERAL = {"type": "ephemeral"}
SAMPLING = frozenset({"temperature", "top_p", "top_k"})
# Anthropic refuses a thinking budget under this many tokens.
MIN_THINKING_BUDGET = 1024


def sampling(config: LLMConfig, reasoning: bool) -> dict[str, Any]:
    """temperature, top_p, top_k as set; an unset temperature is 0 except on reasoning models,
    which get the provider's default (several refuse any other value)."""
    out: dict[str, Any] = {}
    if config.temperature is not None:
        out["temperature"] = config.temperature
    elif not reasoning:
        out["temperature"] = 0
    if config.top_p is not None and config.top_p != 1:  # 1 keeps every token: the default
        out["top_p"] = config.top_p
    if config.top_k is not None:
        out["top_k"] = int(config.top_k) if float(config.top_k).is_integer() else config.top_k
    return out


def clip(text: str, limit: int) -> str:
    """`text` cut to its head and tail around a marker saying how much was cut."""
    if len(text) <= limit:
        return text
    head = limit - limit // 2
    tail = limit // 2
    cut = len(text) - head - tail
    return f"{text[:head]}\n[... {cut} characters cut ...]\n{text[len(text) - tail :]}"


def clip_messages(messages: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Each text content part longer than `max_message_chars` clipped; others untouched."""
    out = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, str) and len(content) > limit:
            message = message | {"content": clip(content, limit)}
        elif isinstance(content, list):
            parts = [
                part | {"text": clip(part["text"], limit)}
                if isinstance(part, dict) and isinstance(part.get("text"), str)
                else part
                for part in content
            ]
            message = message | {"content": parts}
        out.append(message)
    return out


def is_image(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type") in ("image_url", "image")


def without_images(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The messages with every image part dropped, and how many were dropped."""
    out, dropped = [], 0
    for message in messages:
        content = message.get("content")
        if isinstance(content, list) and any(is_image(p) for p in content):
            kept = [p for p in content if not is_image(p)]
            dropped += len(content) - len(kept)
            message = message | {"content": kept or ""}
        out.append(message)
    return out, dropped


def is_claude(model: str) -> bool:
    """Anthropic's models, called directly or through Bedrock / Vertex."""
    return "claude" in model.lower()


def reasoning_kwargs(config: LLMConfig, max_tokens: int | None) -> dict[str, Any]:
    """Claude: `thinking` with `extended_thinking_budget` kept under `max_tokens` (the call's
    output limit; Anthropic requires the budget below it); other reasoning models:
    `reasoning_effort`. "none" turns both off."""
    if config.reasoning_effort in (None, "none"):
        return {}
    if not is_claude(config.model):
        return {"reasoning_effort": config.reasoning_effort}
    if not config.extended_thinking_budget:
        return {}
    budget = config.extended_thinking_budget
    if max_tokens is not None:
        budget = min(budget, max_tokens - 1)
    if budget < MIN_THINKING_BUDGET:
        return {}  # no room to think within the output limit
    out: dict[str, Any] = {"thinking": {"type": "enabled", "budget_tokens": budget}}
    if max_tokens is not None:
        out["max_tokens"] = max_tokens
    return out


def with_cache_points(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Anthropic prompt caching: `cache_control` on the system prompt and the last user turn
    (litellm passes a content block's `cache_control` through to the Messages API)."""
    out = copy.deepcopy(messages)
    marked = [m for m in out if m.get("role") == "system"][:1]
    users = [m for m in out if m.get("role") == "user"]
    marked += users[-1:]
    for message in marked:
        content = message.get("content")
        if isinstance(content, str):
            message["content"] = [{"type": "text", "text": content, "cache_control": EPHEMERAL}]
        elif isinstance(content, list) and content and isinstance(content[-1], dict):
            content[-1]["cache_control"] = EPHEMERAL
    return out


def openrouter_headers(config: LLMConfig) -> dict[str, str]:
    """OpenRouter's attribution headers from the config, in place of litellm's own."""
    return {"HTTP-Referer": config.openrouter_site_url, "X-Title": config.openrouter_app_name}
