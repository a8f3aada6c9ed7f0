"""The core's import paths before its folders were laid out, kept working for one release.

`import chinwag.core.catalog` still gives the module (now `chinwag.core.llm.catalog`),
with a DeprecationWarning that names the new path; plugins should import `chinwag.api`.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from types import ModuleType

MOVED = {
    "models": "types",
    "llm_config": "llm.config",
    "backend": "llm.backend",
    "catalog": "llm.catalog",
    "provider": "llm.provider",
    "litellm_backend": "llm.litellm_backend",
    "retry": "llm.retry",
    "routing": "llm.routing",
    "model_lists": "llm.model_lists",
    "budgets": "usage.budgets",
    "ledger": "usage.ledger",
    "metering": "usage.metering",
    "metrics": "usage.metrics",
    "pricing": "usage.pricing",
    "completion_log": "usage.completion_log",
    "assistants": "conversations.assistants",
    "branches": "conversations.branches",
    "chat": "conversations.chat",
    "compaction": "conversations.compaction",
    "compactor": "conversations.compactor",
    "titles": "conversations.titles",
    "export": "conversations.export",
    "markdown_export": "conversations.markdown_export",
    "paths": "system.paths",
    "settings": "system.settings",
    "keys": "system.keys",
    "logs": "system.logs",
    "crash_report": "system.crash_report",
    "store_watch": "store.watch",
}
PREFIX = "chinwag.core."


class _Alias(importlib.abc.Loader):
    def __init__(self, new_name: str) -> None:
        self.new_name = new_name

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} is deprecated: import {self.new_name} (plugins: chinwag.api)",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(self.new_name)

    def exec_module(self, module: ModuleType) -> None:
        """The module is the new one, already run."""


class _OldPaths(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        old = fullname.removeprefix(PREFIX)
        if not fullname.startswith(PREFIX) or old not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(PREFIX + MOVED[old]))


def install() -> None:
    if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
        sys.meta_path.append(_OldPaths())
