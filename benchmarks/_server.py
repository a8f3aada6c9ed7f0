"""Host the built-in llama.cpp server in its own process, so the benchmark process's CPU
time and memory are the client's alone. Prints {"base_url", "key"}; stops when stdin closes."""

from __future__ import annotations

import json
import sys

from benchmarks._common import model_path


def main() -> None:
    from chinwag_local.server import LocalServer

    server = LocalServer()
    endpoint = server.endpoint(model_path())
    assert endpoint.api_key is not None
    key = endpoint.api_key.get_secret_value()
    print(json.dumps({"base_url": endpoint.base_url, "key": key}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
