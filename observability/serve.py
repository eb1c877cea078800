"""Serving the metrics: ``/metrics`` on an API's own port (``route``), or, in a process
without HTTP (a listener, a relay, the lake writer), a small server on 127.0.0.1 at
``FD_METRICS_PORT`` (``serve_metrics``). Both answer in the Prometheus text format, or in
OpenMetrics (with the exemplars) when the scraper's ``Accept`` asks for
``application/openmetrics-text``.
"""

from __future__ import annotations

import logging

from prometheus_client import REGISTRY, start_http_server
from prometheus_client.exposition import choose_encoder
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from observability.settings import observability_settings

log = logging.getLogger(__name__)

#: the only address the metrics server listens on
LOOPBACK = "127.0.0.1"


async def metrics(request: Request) -> Response:
    """The process's metrics, in the format the ``Accept`` header asks for."""
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(REGISTRY), headers={"content-type": content_type})


def route() -> Route:
    """``GET /metrics`` for an app's routes."""
    return Route("/metrics", metrics, methods=["GET"])


def serve_metrics(port: int | None = None) -> int | None:
    """Serve ``/metrics`` on 127.0.0.1 at ``port`` (default ``FD_METRICS_PORT``) from a
    daemon thread; returns the port, or None when none is set. A port taken by another
    process is logged, not fatal: the process's work matters more than its metrics."""
    chosen = port if port is not None else observability_settings().metrics_port
    if chosen is None:
        return None
    try:
        start_http_server(chosen, addr=LOOPBACK)
    except OSError as exc:
        log.warning("metrics not served: %s:%d is not available (%s)", LOOPBACK, chosen, exc)
        return None
    log.info("metrics on http://%s:%d/metrics", LOOPBACK, chosen)
    return chosen
