"""Which models exist and how to call one: model handles ("provider/model") to LLM configs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chinwag.core.keys import KeyStore
from chinwag.core.llm_config import LLMConfig
from chinwag.core.provider import ModelInfo, Provider
from chinwag.core.settings import Settings


class UnknownModel(LookupError):
    pass


class MissingKey(LookupError):
    pass


@dataclass(frozen=True)
class ResolvedModel:
    handle: str
    provider: Provider
    info: ModelInfo


def split_handle(handle: str) -> tuple[str, str]:
    provider_id, sep, model = handle.partition("/")
    if not sep or not provider_id or not model:
        raise UnknownModel(f"model {handle!r} is not of the form provider/model-name")
    return provider_id, model


class Catalog:
    def __init__(self, providers: dict[str, Provider], keys: KeyStore, settings: Settings) -> None:
        self.providers = providers
        self.keys = keys
        self.settings = settings

    def has_key(self, provider: Provider) -> bool:
        if not provider.needs_key:
            return True
        return bool(provider.key_name and self.keys.get(provider.key_name, provider.key_env_var))

    def models(self) -> list[ResolvedModel]:
        """Every model of every provider that can be called now (keyless or with a key)."""
        found = []
        for provider in self.providers.values():
            if not self.has_key(provider):
                continue
            for info in provider.list_models():
                found.append(ResolvedModel(provider.handle(info.name), provider, info))
        return found

    def resolve(self, handle: str) -> ResolvedModel:
        provider_id, name = split_handle(handle)
        provider = self.providers.get(provider_id)
        if provider is None:
            known = ", ".join(sorted(self.providers)) or "none"
            raise UnknownModel(f"no provider {provider_id!r} (known: {known})")
        info = next((m for m in provider.list_models() if m.name == name), ModelInfo(name=name))
        return ResolvedModel(handle, provider, info)

    def default_handle(self) -> str:
        """The user's default, else the first local model, else the first callable model."""
        if self.settings.default_model:
            return self.settings.default_model
        models = self.models()
        local = [m for m in models if not m.provider.needs_key]
        candidates = local or models
        if not candidates:
            raise UnknownModel(
                "no model is available: add a .gguf file to the models folder or set a key"
            )
        return candidates[0].handle

    def config_for(self, handle: str, usage_id: str = "chat", **overrides: Any) -> LLMConfig:
        """A ready-to-call config: route, key or local endpoint, base URL and prices."""
        resolved = self.resolve(handle)
        provider, info = resolved.provider, resolved.info
        options = dict(self.settings.provider_options.get(provider.id, {}))
        api_key = None
        if provider.key_name:
            api_key = self.keys.get(provider.key_name, provider.key_env_var)
            if api_key is None and provider.needs_key:
                where = f" or set {provider.key_env_var}" if provider.key_env_var else ""
                raise MissingKey(
                    f"{provider.display_name} needs an API key: add it in Settings"
                    f" (or `chinwag keys set {provider.id}`){where}"
                )
        base_url = options.pop("base_url", None) or provider.base_url
        if provider.endpoint is not None:
            endpoint = provider.endpoint(info.name)
            base_url, api_key = endpoint.base_url, endpoint.api_key
        fields: dict[str, Any] = {
            "model": f"{provider.litellm_prefix}/{info.name}",
            "api_key": api_key,
            "base_url": base_url,
            "usage_id": usage_id,
            "input_cost_per_token": info.input_cost_per_token,
            "output_cost_per_token": info.output_cost_per_token,
        }
        known = set(LLMConfig.model_fields)
        fields.update({k: v for k, v in options.items() if k in known})
        fields.update(overrides)
        return LLMConfig(**fields)
