"""Every BFF's command line: ``python -m bff.<name> [--roles api,listener,trigger] [--port N]``.

A BFF's ``__main__.py`` is one line: ``raise SystemExit(run(spec))``. With the ``api``
role the process serves HTTP with uvicorn on ``FD_BIND_HOST`` (127.0.0.1 by default) and
the port from ``--port``, else ``FD_HTTP_PORT``, else the spec's own, metrics included
(``/metrics``); without it the process runs its background roles only, with no HTTP
server, until SIGINT or SIGTERM, and serves its metrics on 127.0.0.1 at
``FD_METRICS_PORT`` when that is set. Logging is ``bff.kit.logs.setup_logging``: INFO and
above, uvicorn's access lines included (without query strings), tokens redacted, each
line with its story's correlation id and trace id.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Collection, Sequence

import uvicorn

from adapters.settings import Settings
from bff.kit.app import create_app
from bff.kit.logs import LOG_FORMAT as LOG_FORMAT  # bench/graphql_read.py logs alike
from bff.kit.logs import setup_logging
from bff.kit.runtime import parse_roles, running
from bff.kit.spec import ROLE_NAMES, BffSpec
from observability.serve import serve_metrics


def run(spec: BffSpec, argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=f"python -m bff.{spec.service}", description=f"The {spec.service} BFF."
    )
    parser.add_argument(
        "--roles",
        default=",".join(ROLE_NAMES),
        help="comma-separated roles to run: api, listener, trigger (default: all three)",
    )
    parser.add_argument(
        "--port", type=int, help=f"HTTP port (default: FD_HTTP_PORT, then {spec.port})"
    )
    args = parser.parse_args(argv)
    try:
        roles = parse_roles(args.roles)
    except ValueError as exc:
        parser.error(str(exc))
    setup_logging()  # INFO; tokens redacted, no query strings in access lines
    settings = Settings()
    if "api" not in roles:
        serve_metrics()  # FD_METRICS_PORT, on 127.0.0.1
        asyncio.run(serve_background(spec, settings, roles))
        return 0
    config = uvicorn.Config(
        create_app(spec, settings, roles=roles),
        host=settings.bind_host,
        port=args.port or settings.http_port or spec.port,
        ws="websockets-sansio",  # without a websocket library every upgrade is answered 400
        lifespan="on",
        timeout_graceful_shutdown=5,
        log_config=None,
    )
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 3


async def serve_background(spec: BffSpec, settings: Settings, roles: Collection[str]) -> None:
    """Run roles without HTTP until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(spec, settings, roles):
        await stop.wait()
