"""The ``/graphql`` endpoint: strawberry's ASGI view with the kit's context and auth.

- HTTP: ``Authorization: Bearer <token>``; no header means anonymous (fields guarded by
  ``IsAuthenticated`` answer an error); a bad token is refused with 401, a token of
  another role with 403, before anything runs.
- Websocket: only the ``graphql-transport-ws`` protocol (the legacy ``graphql-ws`` is
  off). The token comes in the ``connection_init`` payload as
  ``{"authorization": "Bearer <token>"}``; without a valid one of this BFF's role the
  connection is closed with 4403 (Forbidden) and no operation runs.
- GraphiQL is served only in local auth mode.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema.base import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from bff.kit.auth import AuthError
from bff.kit.context import Context
from bff.kit.services import services_of

log = logging.getLogger(__name__)


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, schema: BaseSchema, *, graphiql: bool) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=20,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except AuthError as exc:
            code = "FORBIDDEN" if exc.status == 403 else "UNAUTHENTICATED"
            body = {"errors": [{"message": str(exc), "extensions": {"code": code}}]}
            headers = {"www-authenticate": "Bearer"} if exc.status == 401 else None
            response = JSONResponse(body, status_code=exc.status, headers=headers)
            await response(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        services = services_of(request)
        actor = None
        if isinstance(request, Request):
            # an AuthError here is answered by __call__, before anything ran
            actor = await services.auth.from_authorization(request.headers.get("authorization"))
        return services.spec.context_factory(
            request=request, response=response, services=services, actor=actor
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        try:
            actor = await context.services.auth.from_authorization(params.get("authorization"))
        except AuthError as exc:
            log.info("websocket refused: %s", exc)
            raise ConnectionRejectionError() from exc
        if actor is None:
            log.info("websocket refused: no authorization in connection_init")
            raise ConnectionRejectionError()
        context.actor = actor
        return {"actor": {"id": actor.id, "role": actor.role, "name": actor.name}}
