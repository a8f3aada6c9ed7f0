"""RouterLLM rules and the built-in routers' choices, without calling a model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from chinwag import app
from chinwag.core.llm.catalog import UnknownModel
from chinwag.core.llm.routing import RouterLLM, RoutingContext, RoutingError, has_images
from chinwag.core.system import settings as settings_file
from chinwag_routers import BudgetFallbackRouter, VisionRouter

IMAGE_MESSAGE = {"role": "user", "content": [
    {"type": "text", "text": "what is this?"},
    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
]}  # fmt: skip
TEXT_MESSAGE = {"role": "user", "content": "hello"}


@pytest.fixture
def services(home: Path) -> Iterator[app.Services]:
    built = app.build()
    yield built
    built.close()


def context(services: app.Services, **options: Any) -> RoutingContext:
    return RoutingContext(
        catalog=services.catalog,
        budgets=services.budgets,
        options=options,
        default_handle="local/small",
    )


class Fixed(RouterLLM):
    def select_llm(self, messages: list[dict[str, Any]]) -> str:
        return "elsewhere"


def test_a_router_needs_models_and_not_other_routers(services: app.Services) -> None:
    with pytest.raises(ValidationError, match="at least one LLM"):
        Fixed(router_name="f", llms_for_routing={}, context=context(services))
    with pytest.raises(ValidationError, match="not to other routers"):
        Fixed(router_name="f", llms_for_routing={"a": "router/x"}, context=context(services))
    ctx = context(services)
    router = Fixed(router_name="f", llms_for_routing={"a": "local/small"}, context=ctx)
    with pytest.raises(RoutingError, match="does not hold"):
        router.route([TEXT_MESSAGE])  # select_llm named a key the router lacks


def test_vision_router_picks_by_images(services: app.Services) -> None:
    router = VisionRouter.build(context(services, vision_model="openai/gpt-4o"))
    assert router.llms_for_routing == {"default": "local/small", "vision": "openai/gpt-4o"}
    assert has_images([IMAGE_MESSAGE]) and not has_images([TEXT_MESSAGE])
    assert router.route([TEXT_MESSAGE]) == "local/small"
    assert router.route([TEXT_MESSAGE, IMAGE_MESSAGE]) == "openai/gpt-4o"
    assert router.active_llm == "openai/gpt-4o"
    assert router.primary == "local/small"


def test_vision_router_without_a_vision_model_says_what_to_set(services: app.Services) -> None:
    router = VisionRouter.build(context(services))  # no key anywhere: no vision model is ready
    assert list(router.llms_for_routing) == ["default"]
    assert router.route([TEXT_MESSAGE]) == "local/small"
    with pytest.raises(RoutingError, match=r"routers\.vision\.vision_model"):
        router.route([IMAGE_MESSAGE])


def test_budget_fallback_router_follows_the_budget(services: app.Services) -> None:
    conversation_id = services.store.create_conversation().id
    ctx = context(services, primary="openai/gpt-4o", fallback="local/small")
    ctx.conversation_id = conversation_id
    router = BudgetFallbackRouter.build(ctx)
    assert router.route([TEXT_MESSAGE]) == "openai/gpt-4o"
    services.store.usage.set_budget(conversation_id, 0.0)  # nothing may be spent
    assert router.route([TEXT_MESSAGE]) == "local/small"


def test_router_handles_resolve_and_unknown_ones_are_refused(services: app.Services) -> None:
    assert {"router/vision", "router/budget_fallback"} <= set(services.routers.handles())
    with pytest.raises(UnknownModel, match="no router 'nope'"):
        services.routers.build("router/nope")
    with pytest.raises(UnknownModel):
        services.calls.resolve("router/nope")
    handle, router = services.routers.route("openai/gpt-4o", [TEXT_MESSAGE], None)
    assert (handle, router) == ("openai/gpt-4o", None)  # a plain model is not routed


def test_a_router_handle_stands_for_its_primary_model_outside_a_request(home: Path) -> None:
    settings, _ = settings_file.load()
    settings.default_model = "openai/gpt-4o-mini"  # a router needs a model to fall back on
    settings.routers = {"budget_fallback": {"primary": "openai/gpt-4o"}}
    settings_file.save(settings)
    services = app.build()
    try:
        resolved = services.calls.resolve("router/budget_fallback")
        window = services.calls.context_window("router/budget_fallback")
        with pytest.raises(UnknownModel, match="no provider 'router'"):
            services.catalog.resolve("router/budget_fallback")  # the catalog knows providers
    finally:
        services.close()
    assert resolved.handle == "openai/gpt-4o"
    assert window == resolved.info.context_window == 128_000
