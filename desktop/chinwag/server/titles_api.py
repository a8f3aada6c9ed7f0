"""OpenHands `POST /api/conversations/{conversation_id}/generate_title`.

The title is returned, not stored: the caller decides (PATCH the conversation to keep it),
as in OpenHands.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from chinwag.app import Services
from chinwag.core.llm.config import LLMConfig
from chinwag.server import adapter

# Where a call goes and with which credentials is Chinwag's business, not the caller's.
REFUSED_LLM_FIELDS = {
    "api_key", "base_url", "api_version", "aws_access_key_id", "aws_secret_access_key",
    "aws_region_name", "ollama_base_url", "extra_headers", "litellm_extra_body",
    "log_completions", "log_completions_folder", "custom_tokenizer",
}  # fmt: skip
# The generation settings a caller may change for the title call.
APPLIED_LLM_FIELDS = {
    "temperature", "top_p", "top_k", "max_output_tokens", "seed", "timeout", "num_retries",
    "retry_multiplier", "retry_min_wait", "retry_max_wait", "reasoning_effort",
}  # fmt: skip


class GenerateTitleRequest(BaseModel):
    """Payload to generate a title for a conversation."""

    model_config = ConfigDict(extra="forbid")

    max_length: int = Field(50, ge=1, le=200, description="Maximum length of the generated title")
    llm: LLMConfig | None = Field(
        None,
        description="Optional LLM to use for title generation; `model` is a Chinwag model "
        "handle (provider/model-name), credentials and endpoints come from Chinwag",
    )


class GenerateTitleResponse(BaseModel):
    """Response containing the generated conversation title."""

    title: str = Field(description="The generated title for the conversation")


def _llm_choice(llm: LLMConfig | None) -> tuple[str | None, dict[str, Any]]:
    if llm is None:
        return None, {}
    given = llm.model_fields_set
    defaults = LLMConfig()
    refused = sorted(
        name for name in given & REFUSED_LLM_FIELDS if getattr(llm, name) != getattr(defaults, name)
    )
    if refused:
        raise HTTPException(
            status_code=422,
            detail=[
                {
                    "loc": ["body", "llm", name],
                    "msg": "not accepted: Chinwag supplies keys and endpoints itself",
                    "type": "value_error",
                }
                for name in refused
            ],
        )
    model = llm.model if "model" in given else None
    overrides = {name: getattr(llm, name) for name in given & APPLIED_LLM_FIELDS}
    return model, overrides


def router(services: Services) -> APIRouter:
    api = APIRouter(tags=["Conversations"])

    @api.post(
        "/api/conversations/{conversation_id}/generate_title",
        response_model=GenerateTitleResponse,
        responses={404: {"description": "Item not found"}},
    )
    def generate_title(
        conversation_id: uuid.UUID, body: GenerateTitleRequest
    ) -> GenerateTitleResponse:
        """Generate a title for the conversation using LLM."""
        try:
            conversation = services.conversations.get(str(conversation_id))
        except KeyError:
            raise HTTPException(status_code=404, detail="conversation not found") from None
        model, overrides = _llm_choice(body.llm)
        title = adapter.generate_title(
            services, conversation, body.max_length, overrides=overrides, model=model
        )
        return GenerateTitleResponse(title=title)

    return api
