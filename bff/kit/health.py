"""``/healthz`` (the process is alive) and ``/readyz`` (its services answer: send traffic).

``/readyz`` answers 200 with every check ``ok``, else 503 naming what failed, e.g.
``{"ready": false, "checks": {"kafka": "ok", "store": "error: ...", "redis": "ok"}}``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bff.kit.probes import OK, readiness
from bff.kit.services import services_of


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"alive": True})


async def readyz(request: Request) -> JSONResponse:
    checks = await readiness(services_of(request))
    ready = all(state == OK for state in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


routes = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
]
