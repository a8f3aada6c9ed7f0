"""Just enough of a GGUF file's header to size its KV cache: layers, heads, widths.

The header is read as a stream and left as soon as the model's shape is known (the
architecture keys come before the tokenizer's large arrays), so sizing a file on the Hub
costs one small Range request, not its vocabulary.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Protocol

MAGIC = b"GGUF"
# GGUF value types: id -> struct format of a fixed-size scalar.
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?"}
SCALARS |= {10: "<Q", 11: "<q", 12: "<d"}
STRING, ARRAY = 8, 9
SHAPE_KEYS = ("block_count", "embedding_length", "attention.head_count", "context_length")


class Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


class NotGGUF(ValueError):
    pass


@dataclass(frozen=True)
class ModelShape:
    """What the KV cache depends on, as the file's own metadata states it."""

    architecture: str
    layers: int
    embedding: int
    heads: int
    kv_heads: int
    key_width: int  # per head
    value_width: int
    trained_context: int
    vocabulary: int | None  # None when only the tokenizer (not read) would have said

    def kv_bytes_per_token(self, element_bytes: int = 2) -> int:
        """K and V for one token across all layers (llama.cpp keeps them in f16: 2 bytes)."""
        return self.layers * self.kv_heads * (self.key_width + self.value_width) * element_bytes


class _Reader:
    def __init__(self, stream: Readable) -> None:
        self.stream = stream

    def take(self, size: int) -> bytes:
        data = self.stream.read(size)
        while len(data) < size:  # a network stream may hand back less than asked
            more = self.stream.read(size - len(data))
            if not more:
                raise NotGGUF("the header ends early")
            data += more
        return data

    def scalar(self, fmt: str) -> int | float | bool:
        value: int | float | bool = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
        return value

    def string(self) -> str:
        length = int(self.scalar("<Q"))
        if length > 1 << 24:
            raise NotGGUF("a metadata string is implausibly long")
        return self.take(length).decode("utf-8", "replace")

    def value(self, kind: int) -> object:
        """A value; arrays come back as their length only (all we need of the vocabulary)."""
        if kind in SCALARS:
            return self.scalar(SCALARS[kind])
        if kind == STRING:
            return self.string()
        if kind == ARRAY:
            item_kind, count = int(self.scalar("<I")), int(self.scalar("<Q"))
            if item_kind in SCALARS:
                self.take(struct.calcsize(SCALARS[item_kind]) * count)
            else:
                for _ in range(count):
                    self.value(item_kind)
            return count
        raise NotGGUF(f"unknown metadata type {kind}")


def read_shape(stream: Readable) -> ModelShape:
    """The model's shape from the start of a GGUF file (local, or a response body)."""
    reader = _Reader(stream)
    if reader.take(4) != MAGIC:
        raise NotGGUF("not a GGUF file")
    version = int(reader.scalar("<I"))
    if version < 2:
        raise NotGGUF(f"GGUF version {version} is too old")
    reader.scalar("<Q")  # tensor count
    pairs = int(reader.scalar("<Q"))
    found: dict[str, object] = {}
    architecture = ""
    for _ in range(pairs):
        key = reader.string()
        value = reader.value(int(reader.scalar("<I")))
        found[key] = value
        if key == "general.architecture":
            architecture = str(value)
        if key == "tokenizer.ggml.tokens":
            found["vocabulary"] = value
        if architecture and _complete(found, architecture) and key.startswith("tokenizer."):
            break  # the rest is the tokenizer: megabytes we do not need
    if not architecture or not _complete(found, architecture):
        raise NotGGUF("the header does not say the model's shape")
    return _shape(found, architecture)


def _complete(found: dict[str, object], architecture: str) -> bool:
    return all(f"{architecture}.{key}" in found for key in SHAPE_KEYS)


def _shape(found: dict[str, object], arch: str) -> ModelShape:
    def number(key: str, default: int | None = None) -> int:
        value = found.get(f"{arch}.{key}", default)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if value is None:
            raise NotGGUF(f"{arch}.{key} is missing")
        raise NotGGUF(f"{arch}.{key} is not a number (per-layer values are not supported)")

    embedding, heads = number("embedding_length"), number("attention.head_count")
    head_width = embedding // heads if heads else 0
    vocabulary = found.get(f"{arch}.vocab_size", found.get("vocabulary"))
    return ModelShape(
        architecture=arch,
        layers=number("block_count"),
        embedding=embedding,
        heads=heads,
        kv_heads=number("attention.head_count_kv", heads),
        key_width=number("attention.key_length", head_width),
        value_width=number("attention.value_length", head_width),
        trained_context=number("context_length"),
        vocabulary=vocabulary if isinstance(vocabulary, int) else None,
    )
