"""Token, loopback, limits and secrets: what keeps the local API local and private."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from chinwag.server.run import NotLoopback, check_host
from tests.api.conftest import Api

ROUTES = [
    ("GET", "/openapi.json"),
    ("GET", "/v1/models"),
    ("POST", "/v1/chat/completions"),
    ("GET", "/v1/agents/"),
    ("GET", "/v1/conversations/"),
    ("POST", "/v1/conversations/?agent_id=assistant-default"),
    ("GET", "/v1/conversations/x/messages"),
    ("POST", "/api/conversations/00000000-0000-4000-8000-000000000000/generate_title"),
]


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_every_route_wants_the_token(api: Api, token: str | None) -> None:
    with api.client(token=token or "") as client:
        for method, path in ROUTES:
            response = client.request(method, path, json={})
            assert response.status_code == 401, (method, path)
            assert response.json()["detail"].startswith("missing or wrong bearer token")
            assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_in_another_scheme_is_refused(api: Api) -> None:
    response = httpx.get(f"{api.url}/v1/models", headers={"Authorization": f"Basic {api.token}"})
    assert response.status_code == 401


def test_the_token_lives_in_the_keyring(api: Api) -> None:
    from chinwag.server.auth import TOKEN_NAME

    stored = api.services.keys.get(TOKEN_NAME)
    assert stored is not None and stored.get_secret_value() == api.token
    home = os.environ["CHINWAG_HOME"]
    for root, _, files in os.walk(home):
        for name in files:
            with open(os.path.join(root, name), "rb") as file:
                assert api.token.encode() not in file.read()


def test_the_server_listens_on_loopback_only(api: Api) -> None:
    port = int(api.url.rsplit(":", 1)[1])
    assert api.url.startswith("http://127.0.0.1:")
    others = {
        info[4][0]
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not info[4][0].startswith("127.")
    }
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:  # a UDP "connect" sends nothing; it names the address outbound traffic would use
        probe.connect(("10.255.255.255", 9))
        others.add(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    others.discard("0.0.0.0")
    others = {a for a in others if not a.startswith("127.")}
    for address in others:
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
            pass
    for host in ("0.0.0.0", "192.168.1.10", "::", "localhost.example"):
        with pytest.raises(NotLoopback):
            check_host(host)
    assert check_host("127.0.0.1") == "127.0.0.1"


def test_errors_are_json_and_bodies_are_limited(http: httpx.Client) -> None:
    missing = http.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    huge = http.post(
        "/v1/chat/completions",
        content=b"{" + b" " * (9 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413 and "larger than" in huge.json()["detail"]


def test_no_cross_origin_access(http: httpx.Client) -> None:
    preflight = http.options(
        "/v1/models",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    plain = http.get("/v1/models", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in plain.headers


def test_no_provider_key_appears_in_any_response(api: Api, http: httpx.Client) -> None:
    handle = next(m.handle for m in api.services.catalog.models() if m.handle.startswith("local/"))
    key = api.services.catalog.config_for(handle).api_key
    assert key is not None
    secret = key.get_secret_value()
    short = {"provider_type": "local", "max_output_tokens": 16}
    conversation = http.post(
        "/v1/conversations/?agent_id=assistant-default", json={"model_settings": short}
    ).json()
    responses = [
        http.get("/v1/models"),
        http.get("/v1/agents/"),
        http.get("/v1/agents/assistant-default"),
        http.get("/openapi.json"),
        http.post(
            "/v1/chat/completions",
            json={
                "model": handle,
                "messages": [{"role": "user", "content": "hi"}],
                "max_tokens": 4,
            },
        ),
        http.post(
            "/v1/chat/completions",
            json={"model": "local/no-such-model", "messages": [{"role": "user", "content": "hi"}]},
        ),
        http.post(
            f"/v1/conversations/{conversation['id']}/messages",
            json={"input": "hi", "streaming": False},
        ),
        http.get(f"/v1/conversations/{conversation['id']}/messages"),
        http.get(f"/v1/conversations/{conversation['id']}"),
    ]
    for response in responses:
        assert response.status_code < 500, response.text
        assert secret not in response.text
        assert all(secret not in value for value in response.headers.values())


def test_chinwag_serve_prints_url_and_token_then_serves_until_interrupted(api: Api) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert server.stdout is not None
        url_line, token_line = server.stdout.readline(), server.stdout.readline()
        assert url_line.startswith("url: http://127.0.0.1:")
        assert token_line == f"token: {api.token}\n"  # the one token, kept in the keyring
        url = url_line.split(" ", 1)[1].strip()
        assert httpx.get(f"{url}/v1/models").status_code == 401
        models = httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {api.token}"})
        assert models.status_code == 200 and models.json()["object"] == "list"
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr
    assert api.token not in stderr


def test_chinwag_serve_refuses_a_non_loopback_host(cli: object) -> None:
    run = cli("serve", "--host", "0.0.0.0", "--port", "0")  # type: ignore[operator]
    assert run.code == 2
    assert "not a loopback address" in run.stderr
    assert "token:" not in run.stdout
