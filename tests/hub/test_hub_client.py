"""Searching the Hub and listing a repo's GGUF files, against a local Hub."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from chinwag.core.hub.client import GatedRepo, HubClient, HubError, NotFound, quantisation
from chinwag.core.hub.download import download
from tests.hub.conftest import FILE, GATED, GRANTED, HOSTILE, PLAIN, UNGRANTED
from tests.support.hub_server import BUILT_IN, BUILT_IN_SHA256, HubServer


def test_search_finds_gguf_repos_most_downloaded_first(hub: HubServer) -> None:
    found = HubClient().search("chinwag-test")
    assert [r.id for r in found] == [PLAIN, "chinwag-test/Corrupt-GGUF", GATED]
    assert found[0].downloads == 5000
    (call,) = [s for s in hub.seen if s.path == "/api/models"]
    assert call.method == "GET" and not call.authorized


def test_search_honours_hf_endpoint_and_finds_nothing_for_nonsense(hub: HubServer) -> None:
    assert HubClient().search("no-such-model-anywhere") == []
    assert HubClient().endpoint == hub.url


def test_files_have_size_quantisation_and_the_lfs_sha256(hub: HubServer) -> None:
    (file,) = HubClient().files(PLAIN)
    assert (file.path, file.size, file.sha256) == (FILE, BUILT_IN.stat().st_size, BUILT_IN_SHA256)
    assert file.quantisation == "Q4_1"


def test_files_follow_the_trees_pages(hub: HubServer) -> None:
    hub.tree_page = 1  # .gitattributes, README.md, then the GGUF: three pages
    assert [f.path for f in HubClient().files(PLAIN)] == [FILE]
    assert len([s for s in hub.seen if s.path.endswith("/tree/main")]) == 3


@pytest.mark.parametrize(
    ("name", "quant"),
    [
        ("Qwen2.5-7B-Instruct-Q4_K_M.gguf", "Q4_K_M"),
        ("llama-3.2-1b-instruct-q8_0.gguf", "Q8_0"),
        ("Phi-3-mini-4k-instruct-fp16.gguf", None),
        ("gemma-2-2b-it-F16.gguf", "F16"),
        ("model.BF16.gguf", "BF16"),
        ("Mistral-7B-Instruct-v0.3.IQ4_XS.gguf", "IQ4_XS"),
        ("DeepSeek-R1-UD-Q2_K_XL.gguf", "Q2_K_XL"),
        ("SmolLM2-135M-Instruct.Q4_1.gguf", "Q4_1"),
        ("tinyllama.gguf", None),
    ],
)
def test_quantisation_is_read_from_the_file_name(name: str, quant: str | None) -> None:
    assert quantisation(name) == quant


def test_an_unknown_repo_is_not_found(hub: HubServer) -> None:
    with pytest.raises(NotFound, match="no repo nobody/nothing on the Hub"):
        HubClient().files("nobody/nothing")
    with pytest.raises(NotFound, match="not a Hub repo id"):
        HubClient().files("../../etc")


def test_file_names_that_would_leave_the_models_folder_are_not_offered(hub: HubServer) -> None:
    assert [f.path for f in HubClient().files(HOSTILE)] == ["fine-Q4_0.gguf"]


def test_an_expired_cdn_link_is_a_resumable_error(hub: HubServer, tmp_path: Path) -> None:
    hub.cdn_refuses = True
    client = HubClient()
    with pytest.raises(HubError, match="answered 403; run it again to resume"):
        download(client, client.file(PLAIN, FILE), tmp_path)


def test_a_gated_repo_without_a_token_says_how_to_get_in(hub: HubServer) -> None:
    client = HubClient()
    (file,) = client.files(GATED)  # its listing is public, as on the Hub
    with pytest.raises(GatedRepo) as refused:
        client.resolve(file)
    assert str(refused.value) == (
        f"{GATED} is gated: accept its terms on the Hub and add a token with "
        "`chinwag keys set huggingface`"
    )


def test_a_token_without_access_is_told_where_to_accept_the_terms(hub: HubServer) -> None:
    client = HubClient(token=SecretStr(UNGRANTED))
    (file,) = client.files(GATED)
    with pytest.raises(GatedRepo, match="your token has no access to it yet"):
        client.resolve(file)
    assert hub.seen[-1].authorized


def test_a_granted_token_gets_the_file_and_never_goes_to_the_cdn(
    hub: HubServer, tmp_path: Path
) -> None:
    client = HubClient(token=SecretStr(GRANTED))
    (file,) = client.files(GATED)
    path = download(client, file, tmp_path)
    assert path.name == "gated-Q4_K_M.gguf"
    resolve = [s for s in hub.seen if "/resolve/" in s.path]
    cdn = [s for s in hub.seen if s.path.startswith("/cdn/")]
    assert resolve and all(s.authorized for s in resolve)
    assert cdn and not any(s.authorized for s in cdn)
