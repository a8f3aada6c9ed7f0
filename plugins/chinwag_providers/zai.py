"""Z.ai (ZhipuAI): GLM models over an OpenAI-compatible API, with GLM thinking."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class ZaiThinking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["enabled", "disabled"] | None = None
    clear_thinking: bool | None = None


class ZaiModelSettings(ResponseFormatSettings):
    provider_type: Literal["zai"] = "zai"
    thinking: ZaiThinking | None = None

    def to_litellm(self) -> dict[str, Any]:
        kwargs = super().to_litellm()
        thinking = self.thinking.model_dump(exclude_none=True) if self.thinking else {}
        if thinking:
            # Z.ai's own request field; sent in the body as the API documents it.
            kwargs["extra_body"] = {"thinking": thinking}
        return kwargs


def live_models(source: ModelSource) -> list[ModelInfo]:
    return model_lists.openai_style(source, "zai")


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="zai",
            display_name="Z.ai (GLM)",
            settings_type=ZaiModelSettings,
            litellm_prefix="zai",
            key_name="zai",
            key_env_var="ZAI_API_KEY",
            base_url="https://api.z.ai/api/paas/v4",
            list_models=lambda: model_lists.from_litellm("zai"),
            live_models=live_models,
        )
    )
