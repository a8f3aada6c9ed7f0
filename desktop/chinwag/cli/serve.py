"""`chinwag serve`: the local API on 127.0.0.1, until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import UsageError
from chinwag.core.system.keys import KeyringUnavailable


def add_parser(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve", help="serve the Letta, OpenHands and OpenAI-compatible API on 127.0.0.1"
    )
    serve.add_argument("--port", type=int, default=8283, help="TCP port (0: any free port)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind (nothing else is accepted)"
    )
    serve.set_defaults(handler=run)


def run(services: Services, args: argparse.Namespace) -> int:
    from chinwag.server.app import create_app
    from chinwag.server.auth import server_token
    from chinwag.server.run import NotLoopback, bind, server

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a TCP port")
    try:
        sock = bind(args.port, args.host)
    except NotLoopback as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None
    try:
        token = server_token(services.keys)
    except KeyringUnavailable as error:
        sock.close()
        raise UsageError(f"the server keeps its token in the keyring: {error}") from None
    host, port = sock.getsockname()[:2]
    print(f"url: http://{host}:{port}", flush=True)
    print(f"token: {token.get_secret_value()}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server(create_app(services, token), sock).run(sockets=[sock])
    print("chinwag: server stopped", file=sys.stderr)
    return 0
