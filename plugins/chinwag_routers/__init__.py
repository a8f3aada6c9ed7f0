"""The built-in routers: `router/vision` and `router/budget_fallback`.

Options live in settings.json under `routers.<name>`:
- vision: `default` (else the app's default model), `vision_model` (else the first ready
  model that can read images).
- budget_fallback: `primary` (else the app's default model), `fallback` (else the local
  model).
"""

from __future__ import annotations

from typing import Any

from chinwag.api import (
    RegisterRouter,
    RouterLLM,
    RouterSpec,
    RoutingContext,
    RoutingError,
    has_images,
    hookimpl,
)


class VisionRouter(RouterLLM):
    """Messages with images go to a vision-capable model, the others to the default."""

    def select_llm(self, messages: list[dict[str, Any]]) -> str:
        if not has_images(messages):
            return "default"
        if "vision" not in self.llms_for_routing:
            raise RoutingError(
                "router/vision: the message has an image but no ready model can read images; "
                "set routers.vision.vision_model in the settings"
            )
        return "vision"

    @classmethod
    def build(cls, context: RoutingContext) -> VisionRouter:
        default = context.options.get("default") or context.default_handle
        # The providers' model lists say which models read images (litellm's map).
        vision = context.options.get("vision_model") or next(
            (m.handle for m in context.catalog.models() if m.info.supports_vision), None
        )
        llms = {"default": default} | ({"vision": vision} if vision else {})
        return cls(router_name="vision", llms_for_routing=llms, context=context)


class BudgetFallbackRouter(RouterLLM):
    """The primary model until a budget stops it, then a cheaper one (the local model)."""

    def select_llm(self, messages: list[dict[str, Any]]) -> str:
        primary = self.llms_for_routing["primary"]
        problem = self.context.budgets.problem(primary, self.context.conversation_id)
        if problem is None or "fallback" not in self.llms_for_routing:
            return "primary"  # with no fallback, the budget check itself says why it stops
        return "fallback"

    @classmethod
    def build(cls, context: RoutingContext) -> BudgetFallbackRouter:
        primary = context.options.get("primary") or context.default_handle
        fallback = context.options.get("fallback") or context.budgets.local_model()
        llms = {"primary": primary} | ({"fallback": fallback} if fallback else {})
        return cls(router_name="budget_fallback", llms_for_routing=llms, context=context)


@hookimpl
def register_routers(register: RegisterRouter) -> None:
    vision = "images to a vision model, the rest to the default"
    register(RouterSpec("vision", vision, VisionRouter.build))
    fallback = "the primary model until a budget is reached, then the fallback (local)"
    register(RouterSpec("budget_fallback", fallback, BudgetFallbackRouter.build))
