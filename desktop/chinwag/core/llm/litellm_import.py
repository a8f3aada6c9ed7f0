"""litellm, imported once, lazily and offline: its own module so that anything needing
litellm (the backend, pricing, model info) can reach it without importing the others.

The import takes seconds and hundreds of MB: never at module level, never on the UI thread.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

_import_lock = threading.Lock()


def import_litellm() -> Any:
    """Import litellm once, offline: its cost map comes from the package, never the network."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_LOG", "ERROR")  # quiet import; levels are set below
    with _import_lock:
        import litellm

        litellm.telemetry = False
        litellm.suppress_debug_info = True
        # Its cost logging counts tokens, and for some models (llama 3 on Together) would
        # fetch a tokenizer from Hugging Face mid-call: no traffic the user did not ask for.
        litellm.disable_hf_tokenizer_download = True
        # Its loggers print to our stdout (breaking `--json`); send them to our log file,
        # at our level.
        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.propagate = True
            logger.setLevel(logging.getLogger().getEffectiveLevel())
        # Per chunk, litellm otherwise hands its logging callbacks to a thread that starts
        # a new asyncio loop: ~2 ms of CPU per token for callbacks Chinwag never registers
        # (benchmarks/stream_rate.py). Usage and cost come from the stream itself.
        litellm.disable_streaming_logging = True
        _skip_pricing_streams_at_the_call(litellm)
        return litellm


def _skip_pricing_streams_at_the_call(litellm: Any) -> None:
    """litellm prices every call as it returns; for a stream, before any usage exists, that
    means counting the prompt's tokens with tiktoken: 40 MB of encoding tables loaded on the
    first call and CPU on every call, for a figure nobody reads (Chinwag prices a reply from
    the usage at the stream's end, `price`). Other calls are priced as before."""
    from litellm.litellm_core_utils.streaming_handler import CustomStreamWrapper

    original = litellm.response_cost_calculator
    if getattr(original, "skips_streams", False):
        return

    def calculator(**kwargs: Any) -> Any:
        if isinstance(kwargs.get("response_object"), CustomStreamWrapper):
            return None
        return original(**kwargs)

    calculator.skips_streams = True  # type: ignore[attr-defined]
    litellm.response_cost_calculator = calculator
