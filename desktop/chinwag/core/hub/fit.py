"""Will this model run here? Weights + KV cache + compute buffers against free memory.

The figures, and which of them are approximations, are part of the answer: a memory
estimate that turns out wrong is the complaint this exists to avoid.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

from chinwag.core.hub.gguf import ModelShape
from chinwag.core.hub.machine import Memory

# What the built-in server allocates (plugins/chinwag_local/server.py): two slots of
# CHINWAG_LOCAL_N_CTX tokens each share one KV cache.
DEFAULT_CONTEXT = 2 * int(os.environ.get("CHINWAG_LOCAL_N_CTX", "4096"))
BATCH = 512  # llama.cpp's default logical batch: its scratch buffers scale with it
FALLBACK_VOCABULARY = 32_000
TIGHT_SHARE = 0.8  # more than this share of free memory leaves too little for the rest


class Verdict(StrEnum):
    FITS = "fits"
    TIGHT = "tight"
    TOO_BIG = "too big"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Fit:
    verdict: Verdict
    context: int
    weights: int  # bytes: the file, memory-mapped whole
    kv_cache: int
    overhead: int
    available: int | None  # the memory it was weighed against
    where: str  # "RAM" or the GPU's name
    notes: tuple[str, ...]

    @property
    def needed(self) -> int:
        return self.weights + self.kv_cache + self.overhead

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict.value,
            "context": self.context,
            "needed": self.needed,
            "weights": self.weights,
            "kv_cache": self.kv_cache,
            "overhead": self.overhead,
            "available": self.available,
            "where": self.where,
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        have = f"{gib(self.available)} free {self.where}" if self.available else "free: unknown"
        return (
            f"{self.verdict.value}: needs {gib(self.needed)} (weights {gib(self.weights)} + "
            f"KV cache {gib(self.kv_cache)} at {self.context} tokens + buffers "
            f"{gib(self.overhead)}), {have}"
        )


def gib(size: int | None) -> str:
    return "?" if size is None else f"{size / 2**30:.2f} GiB"


def estimate(
    file_size: int, shape: ModelShape | None, machine: Memory, context: int = DEFAULT_CONTEXT
) -> Fit:
    notes: list[str] = []
    if shape is not None:
        kv = shape.kv_bytes_per_token() * context
        vocabulary = shape.vocabulary or FALLBACK_VOCABULARY
        embedding = shape.embedding
        if context > shape.trained_context:
            notes.append(
                f"the model was trained on {shape.trained_context} tokens of context: "
                "past that its answers degrade"
            )
    else:
        # Without the header: a stated guess, about an eighth of the weights per 4k tokens.
        kv = file_size // 8 * context // 4096
        vocabulary, embedding = FALLBACK_VOCABULARY, 4096
        notes.append("KV cache approximated (the file's header could not be read)")
    # Compute buffers (approximation): logits and activations for one batch, in f32.
    overhead = BATCH * 4 * (vocabulary + 8 * embedding) + 64 * 2**20
    notes.append("buffers are an approximation: one 512-token batch plus 64 MiB")
    needed = file_size + kv + overhead
    available: int | None
    if machine.gpu_free is not None and machine.gpu_name and needed <= machine.gpu_free:
        where, available = machine.gpu_name, machine.gpu_free
    else:
        where, available = "RAM", machine.ram_available
        if machine.gpu_name:
            notes.append(f"too big for {machine.gpu_name} alone: weighed against RAM")
    if available is None:
        verdict = Verdict.UNKNOWN
    elif needed <= available * TIGHT_SHARE:
        verdict = Verdict.FITS
    elif needed <= available:
        verdict = Verdict.TIGHT
    else:
        verdict = Verdict.TOO_BIG
    return Fit(verdict, context, file_size, kv, overhead, available, where, tuple(notes))
