"""The hooks a plugin implements. Plugins import only `chinwag.api` (which re-exports the
`hookimpl` marker and the `Register*` types below) and this module.

A plugin is a module (or object) named by an entry point in the group "chinwag". It
defines functions decorated with `hookimpl`; each receives a `register` callback and calls
it once per thing it contributes. Each hook of each plugin is called on its own, on its
own thread with a deadline (see chinwag.plugin_calls): if it raises (SystemExit and
KeyboardInterrupt too), hangs, or registers something invalid (a wrong type, an id another
plugin or Chinwag itself owns), that plugin is disabled whole and shown as failed; the
other plugins are unaffected.

Everything registered is a core type (pydantic models, plain callables), never a Qt type:
the settings dialog renders a provider's `settings_type` and `options_type` from their
JSON schema, so a provider plugin needs no UI code. See docs/plugins.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

from chinwag.core.llm.backend import Backend
from chinwag.core.llm.provider import Provider
from chinwag.core.llm.routing import RouterSpec

hookspec = pluggy.HookspecMarker("chinwag")
hookimpl = pluggy.HookimplMarker("chinwag")

RegisterProvider = Callable[[Provider], None]
"""register(provider): one `chinwag.api.Provider` per call; ids are unique."""

BackendFactory = Callable[[], Backend]
RegisterBackend = Callable[[str, BackendFactory], None]
"""register(name, factory): the factory builds an object with
`stream(request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]`
(see `chinwag.api.Backend`). A provider picks it with `Provider.backend = name`."""

RegisterSummarizer = Callable[[Any], None]
"""register(summarizer): an object with a `mode` name, used by compaction."""

RegisterRouter = Callable[[RouterSpec], None]
"""register(RouterSpec(name, description, build)): `build(context)` returns a
`chinwag.api.RouterLLM`; conversations use it as the model `router/<name>`."""


@hookspec
def register_providers(register: RegisterProvider) -> None:
    """Register each `Provider` this plugin supplies: its id, display name, ModelSettings
    subclass (`settings_type`, one per Letta provider_type), non-secret options
    (`options_type`), key name and environment variable, litellm route and model lists."""


@hookspec
def register_backends(register: RegisterBackend) -> None:
    """Register `(name, factory)` for a backend other than the built-in "litellm" one."""


@hookspec
def register_summarizers(register: RegisterSummarizer) -> None:
    """Register a summarizer for a compaction mode."""


@hookspec
def register_routers(register: RegisterRouter) -> None:
    """Register a router (a `RouterSpec`): several LLMs behind one handle, `select_llm`
    choosing one per request."""
