"""What a call costs: the config's per-token prices where set, else litellm's price map.

An unknown price is None, never 0: a sum that silently counted it as free would lie.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from chinwag.core.conversations.compaction import estimate_tokens
from chinwag.core.llm.catalog import ResolvedModel
from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.litellm_import import import_litellm
from chinwag.core.store import Store
from chinwag.core.types import Usage


def price(config: LLMConfig, usage: Usage) -> float | None:
    """USD for a call with this usage; each per-token override wins over litellm's part."""
    input_rate, output_rate = config.input_cost_per_token, config.output_cost_per_token
    if input_rate is None or output_rate is None:
        try:
            prompt_cost, completion_cost = import_litellm().cost_per_token(
                model=config.model,
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                cache_read_input_tokens=usage.cache_read_tokens,
                cache_creation_input_tokens=usage.cache_write_tokens,
            )
        except Exception:  # litellm knows no price for this model
            return None
    if input_rate is not None:
        prompt_cost = usage.prompt_tokens * input_rate
    if output_rate is not None:
        completion_cost = usage.completion_tokens * output_rate
    return float(prompt_cost + completion_cost)


class Estimate(BaseModel):
    prompt_tokens: int
    cost: float | None  # USD for the prompt alone; None when no price is known

    def label(self) -> str:
        price_text = (
            "price unknown"
            if self.cost is None
            else ("free" if self.cost == 0 else f"${self.cost:.4f}")
        )
        return f"≈ {self.prompt_tokens:,} tokens · {price_text}"


def estimate_prompt(
    resolve: Callable[[str], ResolvedModel], handle: str | None, texts: list[str]
) -> Estimate:
    """A prompt's tokens (a high estimate, no tokenizer) and their price, before sending.

    Prices come from the provider's model list (litellm's map, read without importing
    litellm), so this is cheap enough for the UI thread.
    """
    tokens = sum(estimate_tokens(text) for text in texts if text)
    try:
        info = resolve(handle).info if handle else None
    except LookupError:
        info = None
    rate = info.input_cost_per_token if info is not None else None
    return Estimate(prompt_tokens=tokens, cost=None if rate is None else tokens * rate)


def estimate_next(
    store: Store,
    resolve: Callable[[str], ResolvedModel],
    handle: str | None,
    conversation_id: str | None,
    draft: str,
) -> Estimate:
    """The next request: the conversation's context (system prompt aside) and the draft."""
    texts = [draft]
    if conversation_id is not None:
        texts += [m.text for m in store.context_messages(conversation_id)]
    return estimate_prompt(resolve, handle, texts)
