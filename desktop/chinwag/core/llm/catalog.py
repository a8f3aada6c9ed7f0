"""Which models exist and how to call one: model handles ("provider/model") to LLM configs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.provider import ModelInfo, ModelSource, Provider, ProviderOptions
from chinwag.core.system.keys import KeyStore
from chinwag.core.system.settings import Settings

log = logging.getLogger(__name__)


class UnknownModel(LookupError):
    pass


class ProviderNotReady(LookupError):
    """A provider that cannot be called: an option is missing, or this version can't."""


class MissingKey(ProviderNotReady):
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
        # The first-party plugins' provider ids, set by the composition root; empty: all.
        self.built_in: set[str] = set()

    def has_key(self, provider: Provider) -> bool:
        if not provider.needs_key:
            return True
        return bool(provider.key_name and self.keys.get(provider.key_name, provider.key_env_var))

    def options_for(self, provider: Provider) -> tuple[ProviderOptions, dict[str, Any]]:
        """The provider's options from settings, and any LLM config fields set there too."""
        raw = dict(self.settings.provider_options.get(provider.id, {}))
        own = {k: raw.pop(k) for k in list(raw) if k in provider.options_type.model_fields}
        unknown = sorted(k for k in raw if k not in LLMConfig.model_fields)
        if unknown:
            raise ProviderNotReady(f"{provider.display_name}: unknown option(s) {unknown}")
        return provider.options_type.model_validate(own), raw

    def not_ready(self, provider: Provider) -> str | None:
        """Why this provider cannot be called now, or None when it can."""
        problem = self.readiness(provider)
        return None if problem is None else str(problem)

    def readiness(self, provider: Provider) -> ProviderNotReady | None:
        if provider.unavailable:
            return ProviderNotReady(provider.unavailable)
        try:
            options, _ = self.options_for(provider)
        except ProviderNotReady as error:
            return error
        except ValueError as error:
            return ProviderNotReady(f"{provider.display_name}: {error}")
        missing = [name for name in provider.required_options if not getattr(options, name)]
        if missing:
            settings = ", ".join(missing)
            return ProviderNotReady(
                f"{provider.display_name} needs {settings} in its settings (provider_options)"
            )
        if not self.has_key(provider):
            where = f" or set {provider.key_env_var}" if provider.key_env_var else ""
            return MissingKey(
                f"{provider.display_name} needs an API key: add it in Settings"
                f" (or `chinwag keys set {provider.id}`){where}"
            )
        return None

    def model_source(self, provider: Provider) -> ModelSource | None:
        """Where a live listing asks, or None when the provider has no address yet."""
        options, _ = self.options_for(provider)
        base_url = options.base_url or provider.base_url
        if base_url is None:
            return None
        api_key = (
            self.keys.get(provider.key_name, provider.key_env_var) if provider.key_name else None
        )
        return ModelSource(base_url=base_url, api_key=api_key, options=options.model_dump())

    def models(
        self, live: bool = False, everything: bool = False, problems: list[str] | None = None
    ) -> list[ResolvedModel]:
        """Every model of every provider that can be called now (or of all, `everything`).

        `live` also asks each ready provider's models endpoint (network: explicit only);
        a listing that fails adds a line to `problems` and the known models still show.
        """
        found = []
        for provider in self.providers.values():
            ready = self.not_ready(provider) is None
            if not ready and not everything:
                continue
            infos = {m.name: m for m in provider.list_models()}
            source = self.model_source(provider) if live and ready else None
            if source is not None and provider.live_models is not None:
                try:
                    live_infos = provider.live_models(source)
                except Exception as error:
                    if problems is not None:
                        problems.append(f"{provider.display_name}: live listing failed: {error}")
                    live_infos = []
                for info in live_infos:
                    infos.setdefault(info.name, info)
            for info in infos.values():
                found.append(ResolvedModel(provider.handle(info.name), provider, info))
        return found

    def resolve(self, handle: str) -> ResolvedModel:
        """A provider's model; `router/<name>` handles are the call builder's (Calls.resolve)."""
        provider_id, name = split_handle(handle)
        provider = self.providers.get(provider_id)
        if provider is None:
            known = ", ".join(sorted(self.providers)) or "none"
            raise UnknownModel(f"no provider {provider_id!r} (known: {known})")
        info = next((m for m in provider.list_models() if m.name == name), ModelInfo(name=name))
        return ResolvedModel(handle, provider, info)

    def default_handle(self) -> str:
        """The user's default, else the first local model, else the first callable model.

        Only a built-in provider's model is picked for the user: installing a plugin never
        changes which model answers; a plugin's model is the default once the user picks it.
        """
        if self.settings.default_model:
            return self.settings.default_model
        models = [m for m in self.models() if not self.built_in or m.provider.id in self.built_in]
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
        problem = self.readiness(provider)
        if problem is not None:
            raise problem
        options, config_overrides = self.options_for(provider)
        api_key = None
        if provider.key_name:
            api_key = self.keys.get(provider.key_name, provider.key_env_var)
        base_url = options.base_url or provider.base_url
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
        fields.update(config_overrides)
        fields.update(overrides)
        config = LLMConfig(**fields)
        log.debug("call config for %s: %s", handle, config.model_dump(exclude_none=True))
        return config

    def call_extra(
        self, provider: Provider, model_settings: dict[str, Any] | None
    ) -> dict[str, Any]:
        """litellm keyword arguments from the model settings and the provider's options.

        Settings written for another provider type (the conversation switched model) are
        set aside rather than failing the call: their fields mean nothing here.
        """
        wanted = provider.settings_type.model_fields["provider_type"].default
        given = (model_settings or {}).get("provider_type", wanted)
        if given != wanted:
            log.info("ignoring %s settings for a %s model", given, wanted)
            model_settings = None
        settings = provider.settings_type.model_validate(model_settings or {})
        options, _ = self.options_for(provider)
        return options.to_litellm() | settings.to_litellm()
