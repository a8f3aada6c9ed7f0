"""The fit estimate, from the real built-in GGUF's header."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from chinwag.core.hub.client import HubClient
from chinwag.core.hub.fit import Verdict, estimate
from chinwag.core.hub.gguf import ModelShape, NotGGUF, read_shape
from chinwag.core.hub.machine import Memory, memory
from tests.hub.conftest import PLAIN
from tests.support.hub_server import BUILT_IN, HubServer

GIB = 2**30


def shape_of_file(path: Path) -> ModelShape:
    with path.open("rb") as stream:
        return read_shape(stream)


def test_the_header_gives_smollm2s_shape() -> None:
    shape = shape_of_file(BUILT_IN)
    # SmolLM2-135M: 30 layers, 9 query heads sharing 3 KV heads of 64, 576 wide.
    assert (shape.architecture, shape.layers, shape.embedding) == ("llama", 30, 576)
    assert (shape.heads, shape.kv_heads, shape.key_width, shape.value_width) == (9, 3, 64, 64)
    assert shape.trained_context == 8192
    assert shape.kv_bytes_per_token() == 30 * 3 * (64 + 64) * 2  # f16 K and V


def test_the_header_is_read_without_the_tokenizer() -> None:
    read = 0

    class Counting(io.FileIO):
        def read(self, size: int = -1, /) -> bytes:
            nonlocal read
            data = super().read(size)
            read += len(data)
            return data

    with Counting(BUILT_IN) as stream:
        read_shape(stream)
    assert read < 4096  # the file is 98 MB; its vocabulary alone is ~1 MB


def test_a_file_that_is_not_gguf_or_cut_short_is_said_so() -> None:
    with pytest.raises(NotGGUF, match="not a GGUF file"):
        read_shape(io.BytesIO(b"PK\x03\x04 not a model"))
    with pytest.raises(NotGGUF, match="ends early"):
        read_shape(io.BytesIO(BUILT_IN.read_bytes()[:500]))


def test_the_shape_of_a_file_on_the_hub_costs_one_small_range(hub: HubServer) -> None:
    client = HubClient()
    (file,) = client.files(PLAIN)
    assert client.shape(file) == shape_of_file(BUILT_IN)
    assert hub.ranges() == ["bytes=0-4194303"]


def test_the_estimate_adds_weights_kv_cache_and_buffers() -> None:
    size = BUILT_IN.stat().st_size
    fit = estimate(size, shape_of_file(BUILT_IN), Memory(16 * GIB, 8 * GIB), context=8192)
    assert fit.weights == size
    assert fit.kv_cache == 8192 * 23040  # 180 MiB at 8k tokens
    assert fit.needed == size + fit.kv_cache + fit.overhead
    assert fit.verdict is Verdict.FITS and fit.where == "RAM"
    assert "fits: needs 0." in fit.summary() and "8.00 GiB free RAM" in fit.summary()


@pytest.mark.parametrize(
    ("free_gib", "verdict"),
    [(1.0, Verdict.FITS), (0.45, Verdict.TIGHT), (0.2, Verdict.TOO_BIG), (None, Verdict.UNKNOWN)],
)
def test_the_verdict_weighs_the_need_against_free_memory(
    free_gib: float | None, verdict: Verdict
) -> None:
    free = None if free_gib is None else int(free_gib * GIB)
    fit = estimate(BUILT_IN.stat().st_size, shape_of_file(BUILT_IN), Memory(None, free), 8192)
    assert fit.needed == pytest.approx(0.4 * GIB, rel=0.15)  # the figures behind the verdicts
    assert fit.verdict is verdict


def test_a_context_longer_than_the_model_was_trained_on_is_noted() -> None:
    shape = shape_of_file(BUILT_IN)
    size = BUILT_IN.stat().st_size
    assert not [n for n in estimate(size, shape, Memory(None, GIB), 8192).notes if "trained" in n]
    (note,) = [n for n in estimate(size, shape, Memory(None, GIB), 16384).notes if "trained" in n]
    assert note.startswith("the model was trained on 8192 tokens of context")


def test_a_gpu_that_holds_the_model_is_where_it_fits() -> None:
    machine = Memory(16 * GIB, 1 * GIB, gpu_name="RTX 4090", gpu_free=20 * GIB)
    fit = estimate(10 * GIB, None, machine, context=4096)
    assert (fit.where, fit.verdict, fit.available) == ("RTX 4090", Verdict.FITS, 20 * GIB)
    assert fit.kv_cache == 10 * GIB // 8  # the stated approximation without a header
    assert any("approximated" in note for note in fit.notes)


def test_a_model_too_big_for_the_gpu_is_weighed_against_ram() -> None:
    machine = Memory(64 * GIB, 48 * GIB, gpu_name="RTX 3060", gpu_free=6 * GIB)
    fit = estimate(20 * GIB, None, machine, context=4096)
    assert (fit.where, fit.verdict) == ("RAM", Verdict.FITS)


def test_this_machine_reports_its_ram() -> None:
    here = memory()
    assert here.ram_total and here.ram_available
    assert 0 < here.ram_available <= here.ram_total
