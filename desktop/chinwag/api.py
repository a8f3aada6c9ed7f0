"""The public plugin surface: everything a plugin imports from Chinwag, in one place.

Re-exports only, so the names stay put while the modules behind them move; the rest of
`chinwag` is internal. An import-linter contract holds the first-party plugins to this
module and `chinwag.hookspecs`; docs/plugins.md shows the names in use.
"""

from chinwag.core.conversations.compaction import (
    CompactionSettings,
    Complete,
    ContextWindow,
    Summarizer,
    SummaryRequest,
    last_boundary,
    sliding_window_cut,
)
from chinwag.core.llm import model_lists
from chinwag.core.llm.backend import (
    Backend,
    Cancel,
    ChatRequest,
    Done,
    Notice,
    ReasoningDelta,
    Retrying,
    StreamError,
    StreamEvent,
    TextDelta,
    UsageEvent,
)
from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.provider import (
    Endpoint,
    ModelInfo,
    ModelSettings,
    ModelSource,
    Provider,
    ProviderOptions,
    Reasoning,
    ResponseFormat,
    response_format_kwargs,
)
from chinwag.core.llm.routing import (
    RouterFactory,
    RouterLLM,
    RouterSpec,
    RoutingContext,
    RoutingError,
    has_images,
)
from chinwag.core.system.paths import models_dirs
from chinwag.core.types import Message, Role, Usage
from chinwag.hookspecs import (
    BackendFactory,
    RegisterBackend,
    RegisterProvider,
    RegisterRouter,
    RegisterSummarizer,
    hookimpl,
)

__all__ = [
    "Backend",
    "BackendFactory",
    "Cancel",
    "ChatRequest",
    "CompactionSettings",
    "Complete",
    "ContextWindow",
    "Done",
    "Endpoint",
    "LLMConfig",
    "Message",
    "ModelInfo",
    "ModelSettings",
    "ModelSource",
    "Notice",
    "Provider",
    "ProviderOptions",
    "Reasoning",
    "ReasoningDelta",
    "RegisterBackend",
    "RegisterProvider",
    "RegisterRouter",
    "RegisterSummarizer",
    "ResponseFormat",
    "Retrying",
    "Role",
    "RouterFactory",
    "RouterLLM",
    "RouterSpec",
    "RoutingContext",
    "RoutingError",
    "StreamError",
    "StreamEvent",
    "Summarizer",
    "SummaryRequest",
    "TextDelta",
    "Usage",
    "UsageEvent",
    "has_images",
    "hookimpl",
    "last_boundary",
    "model_lists",
    "models_dirs",
    "response_format_kwargs",
    "sliding_window_cut",
]
