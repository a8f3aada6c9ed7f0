"""The public plugin API. Plugins import only from here and from `chinwag.core`.

A plugin module defines functions decorated with `hookimpl`; each receives a `register`
callback and calls it once per thing it contributes. Entry-point group: "chinwag".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

from chinwag.core.provider import Provider

hookspec = pluggy.HookspecMarker("chinwag")
hookimpl = pluggy.HookimplMarker("chinwag")

RegisterProvider = Callable[[Provider], None]
RegisterBackend = Callable[[str, Callable[[], Any]], None]
RegisterSummarizer = Callable[[Any], None]


@hookspec
def register_providers(register: RegisterProvider) -> None:
    """Register each `chinwag.core.provider.Provider` this plugin supplies."""


@hookspec
def register_backends(register: RegisterBackend) -> None:
    """Register `(name, factory)`; the factory returns an object with
    `stream(request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]`."""


@hookspec
def register_summarizers(register: RegisterSummarizer) -> None:
    """Register a summarizer for a compaction mode."""
