"""ChatGPT sign-in (OAuth): GPT models billed to a ChatGPT plan.

litellm's `chatgpt/` route runs its own device-code sign-in and keeps the OAuth tokens in
a file of its own; Chinwag keeps secrets only in the OS keyring, so the provider is listed
with its models and settings but says plainly that it cannot be called in this version.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from chinwag.api import ModelSettings, Provider, RegisterProvider, hookimpl, model_lists

UNAVAILABLE = (
    "ChatGPT sign-in is not supported in this version: litellm stores its OAuth tokens in a "
    "plain file, and Chinwag keeps secrets only in the OS keyring. Use the OpenAI provider "
    "with an API key instead."
)


class ChatgptReasoning(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Letta's list for GPT-5.x and o-series over ChatGPT: no "minimal".
    reasoning_effort: Literal["none", "low", "medium", "high", "xhigh"] | None = None


class ChatgptOAuthModelSettings(ModelSettings):
    provider_type: Literal["chatgpt_oauth"] = "chatgpt_oauth"
    reasoning: ChatgptReasoning | None = None

    def to_litellm(self) -> dict[str, Any]:
        kwargs = super().to_litellm()
        if self.reasoning is not None and self.reasoning.reasoning_effort is not None:
            kwargs["reasoning_effort"] = self.reasoning.reasoning_effort
        return kwargs


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="chatgpt_oauth",
            display_name="ChatGPT (sign in)",
            settings_type=ChatgptOAuthModelSettings,
            litellm_prefix="chatgpt",
            needs_key=False,
            list_models=lambda: model_lists.from_litellm("chatgpt"),
            unavailable=UNAVAILABLE,
        )
    )
