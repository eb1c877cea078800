"""The app factory: one Starlette app per BFF, wired from its spec, settings and roles.

Routes: ``/graphql`` (HTTP and graphql-transport-ws), ``/healthz``, ``/readyz``,
``/metrics`` (``observability.serve``), the dev sign-in in local auth mode
(``/dev/signin``, ``/dev/token``), and the micro frontend's static files at ``/`` when
its folder exists. Without the ``api`` role only the health and metrics routes are
served. The lifespan creates the clients and runs the selected roles
(``bff.kit.runtime``); handlers find them in the typed lifespan state.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from typing import TypedDict

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from adapters.settings import Settings
from bff.kit import health, signin
from bff.kit.runtime import running
from bff.kit.services import Services
from bff.kit.spec import ROLE_NAMES, BffSpec
from bff.kit.view import GraphQLView
from observability import serve as metrics


class State(TypedDict):
    """The lifespan state every request sees as ``request.state``."""

    services: Services


def create_app(
    spec: BffSpec, settings: Settings, *, roles: Collection[str] = ROLE_NAMES
) -> Starlette:
    selected = frozenset(roles)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        async with running(spec, settings, selected) as services:
            yield {"services": services}

    return Starlette(routes=_routes(spec, settings, selected), lifespan=lifespan)


def _routes(spec: BffSpec, settings: Settings, roles: frozenset[str]) -> list[BaseRoute]:
    routes: list[BaseRoute] = [*health.routes, metrics.route()]  # /metrics: every role
    if "api" not in roles:
        return routes
    view = GraphQLView(spec.schema, graphiql=settings.auth_mode == "local")
    routes += [Route("/graphql", view), WebSocketRoute("/graphql", view)]
    if settings.auth_mode == "local":
        routes += signin.routes
    if spec.static_dir is not None and spec.static_dir.is_dir():
        routes.append(Mount("/", app=StaticFiles(directory=spec.static_dir, html=True)))
    return routes
