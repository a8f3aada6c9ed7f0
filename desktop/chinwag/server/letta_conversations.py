"""Letta Conversations: create / list / retrieve / update / delete / cancel / recompile."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import ValidationError

from chinwag.app import Services
from chinwag.core.llm.catalog import UnknownModel
from chinwag.core.types import Conversation
from chinwag.server import adapter, letta_convert
from chinwag.server.letta_schemas import (
    ConversationCreate,
    ConversationUpdate,
    LettaConversation,
    RecompileRequest,
)
from chinwag.server.runs import Runs

LIST_LIMIT_MAX = 1000


def unsupported(name: str, why: str = "Chinwag does not support it") -> HTTPException:
    return HTTPException(status_code=400, detail=f"parameter {name!r} is not supported: {why}")


def find_conversation(services: Services, conversation_id: str) -> Conversation:
    if conversation_id == "default" or conversation_id.startswith("agent-"):
        raise unsupported("conversation_id", "agent-direct mode; pass a conversation id")
    try:
        return services.conversations.get(conversation_id)
    except KeyError:
        raise HTTPException(
            status_code=404, detail=f"conversation not found: {conversation_id}"
        ) from None


def checked_model(
    services: Services, model: str | None, settings: dict[str, Any] | None, assistant_id: str
) -> dict[str, Any] | None:
    """The core's check of a model and its settings, as a 400 or a 422."""
    try:
        return services.conversations.checked_settings(settings, model, assistant_id)
    except UnknownModel as error:
        raise HTTPException(status_code=400, detail=f"model: {error}") from None
    except ValidationError as error:
        raise HTTPException(
            status_code=422,
            detail=[
                {"loc": ["body", "model_settings", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in error.errors(include_url=False, include_context=False)
            ],
        ) from None


def router(services: Services, runs: Runs) -> APIRouter:
    api = APIRouter(prefix="/v1/conversations", tags=["Conversations"])

    @api.post("/", response_model=LettaConversation)
    def create_conversation(
        body: ConversationCreate, agent_id: str = Query(description="The agent ID")
    ) -> LettaConversation:
        try:
            adapter.get_assistant(services, agent_id)
        except KeyError:
            raise HTTPException(status_code=404, detail=f"agent not found: {agent_id}") from None
        if body.context_window_limit is not None:
            raise unsupported("context_window_limit", "the model's own window is used")
        if body.hidden:
            raise unsupported("hidden", "every conversation is listed")
        settings = checked_model(services, body.model, body.model_settings, agent_id)
        created = services.conversations.create(
            agent_id,
            model=body.model,
            model_settings=settings,
            summary=body.summary,
            title=body.description,
        )
        return letta_convert.conversation(created)

    @api.get("/", response_model=list[LettaConversation])
    def list_conversations(
        after: str | None = None,
        agent_id: str | None = None,
        archive_status: Literal["unarchived", "archived", "all"] = "unarchived",
        limit: int = Query(50, ge=1, le=LIST_LIMIT_MAX),
        order: Literal["asc", "desc"] = "desc",
        order_by: Literal["created_at", "last_run_completion", "last_message_at"] = "created_at",
        summary_search: str | None = None,
    ) -> list[LettaConversation]:
        if order_by == "last_run_completion":
            raise unsupported("order_by=last_run_completion", "use created_at or last_message_at")
        found = services.conversations.find(include_archived=True, limit=1_000_000)
        if agent_id is not None:
            found = [c for c in found if c.agent_id == agent_id]
        if archive_status != "all":
            found = [c for c in found if c.archived == (archive_status == "archived")]
        if summary_search:
            needle = summary_search.casefold()
            found = [c for c in found if needle in (c.summary or "").casefold()]
        key = "created_at" if order_by == "created_at" else "updated_at"
        found.sort(key=lambda c: (getattr(c, key), c.id), reverse=order == "desc")
        if after is not None:
            ids = [c.id for c in found]
            if after not in ids:
                raise HTTPException(status_code=400, detail=f"after: unknown conversation {after}")
            found = found[ids.index(after) + 1 :]
        return [letta_convert.conversation(c) for c in found[:limit]]

    @api.get("/{conversation_id}", response_model=LettaConversation)
    def retrieve_conversation(conversation_id: str) -> LettaConversation:
        found = find_conversation(services, conversation_id)
        # list_conversations skips in-context ids; a single read has them
        return letta_convert.conversation(found)

    @api.patch("/{conversation_id}", response_model=LettaConversation)
    def update_conversation(conversation_id: str, body: ConversationUpdate) -> LettaConversation:
        current = find_conversation(services, conversation_id)
        given = body.model_fields_set
        if body.context_window_limit is not None:
            raise unsupported("context_window_limit", "the model's own window is used")
        if "last_message_at" in given:
            raise unsupported("last_message_at", "it is kept by Chinwag itself")
        fields: dict[str, Any] = {}
        if "archived" in given:
            fields["archived"] = bool(body.archived)
        if "description" in given:
            fields["title"] = body.description
        if "summary" in given:
            fields["summary"] = body.summary
        if "model" in given or "model_settings" in given:
            model = body.model if "model" in given else current.model
            settings = body.model_settings if "model_settings" in given else current.model_settings
            fields["model"] = model
            fields["model_settings"] = checked_model(services, model, settings, current.agent_id)
        if not fields:
            return letta_convert.conversation(current)
        updated = services.conversations.update(conversation_id, **fields)
        return letta_convert.conversation(updated)

    @api.delete("/{conversation_id}", response_model=None)
    def delete_conversation(conversation_id: str) -> None:
        find_conversation(services, conversation_id)
        for run in runs.active(conversation_id):
            run.cancel.set()
        services.conversations.delete(conversation_id)
        runs.forget(conversation_id)

    @api.post("/{conversation_id}/cancel", response_model=dict[str, Any])
    def cancel_conversation(conversation_id: str, agent_id: str | None = None) -> dict[str, Any]:
        """Cancel the runs generating replies in this conversation; maps run id to status."""
        find_conversation(services, conversation_id)
        cancelled: dict[str, Any] = {}
        for run in runs.active(conversation_id):
            run.cancel.set()
            cancelled[run.id] = "cancelled"
        return cancelled

    @api.post("/{conversation_id}/recompile", response_model=str)
    def recompile_conversation(
        conversation_id: str,
        body: RecompileRequest | None = None,
        dry_run: bool = False,
    ) -> str:
        find_conversation(services, conversation_id)
        if body is not None and body.compaction_settings is not None:
            raise unsupported("compaction_settings", "recompile does not compact here")
        return adapter.recompile(services, conversation_id, dry_run)

    return api
