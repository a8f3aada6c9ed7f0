"""One real API server per module: uvicorn on a loopback thread, the real keyring and model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from chinwag.app import Services, build
from chinwag.server.app import create_app
from chinwag.server.auth import server_token
from chinwag.server.run import ServerThread


@dataclass
class Api:
    url: str
    token: str
    services: Services

    def client(self, token: str | None = None) -> httpx.Client:
        given = self.token if token is None else token
        headers = {"Authorization": f"Bearer {given}"} if given else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[Api]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHINWAG_HOME", str(tmp_path_factory.mktemp("api-home")))
        patch.setenv("CHINWAG_MODELS_PATH", str(model_dir))
        patch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        services = build()
        token = server_token(services.keys)
        thread = ServerThread(create_app(services, token)).start()
        try:
            yield Api(thread.url, token.get_secret_value(), services)
        finally:
            thread.stop()
            services.close()


@pytest.fixture
def http(api: Api) -> Iterator[httpx.Client]:
    with api.client() as client:
        yield client
