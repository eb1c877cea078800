"""The ``/graphql`` endpoint: strawberry's ASGI view with the kit's context and auth.

- HTTP: ``Authorization: Bearer <token>``; no header means anonymous (fields guarded by
  ``IsAuthenticated`` answer an error); a bad token is refused with 401, a token of
  another role with 403, before anything runs.
- Websocket: only the ``graphql-transport-ws`` protocol (the legacy ``graphql-ws`` is
  off). The token comes in the ``connection_init`` payload as
  ``{"authorization": "Bearer <token>"}``; without a valid one of this BFF's role the
  connection is closed with 4403 (Forbidden) and no operation runs.
- GraphiQL is served only in local auth mode.
- An HTTP bearer token that verified is remembered (``RecentTokens``): an app sends the
  same one with every request, and checking its signature again each time cost about 5%
  of a small query's server time (``bench/graphql_read.py``). It is used until its
  ``exp``, and verified again after at most a minute (so a rotated issuer key takes
  effect within a minute).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from collections.abc import Callable
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

from bff.kit.auth import Actor, AuthError
from bff.kit.context import Context
from bff.kit.services import services_of

log = logging.getLogger(__name__)


class RecentTokens:
    """Authorization header values that verified lately, with the actor each named.

    Bounded (the oldest entry goes first when ``max_entries`` are held). An entry is used
    until its token's ``exp`` and at most ``max_age`` seconds after it was verified; tokens
    that did not verify are never kept, so a bad one costs a verification every time.
    """

    def __init__(
        self,
        *,
        max_entries: int = 4096,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._clock = clock
        self._entries: dict[str, tuple[Actor, float]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, authorization: str) -> Actor | None:
        """The actor of a value verified lately and not expired since; None otherwise."""
        entry = self._entries.get(authorization)
        if entry is None:
            return None
        actor, until = entry
        if self._clock() >= until:
            self._entries.pop(authorization, None)
            return None
        return actor

    def put(self, authorization: str, actor: Actor) -> None:
        """Remember a value that verified just now as naming ``actor``."""
        expires = token_expiry(authorization)
        if expires is None:
            return
        until = min(expires, self._clock() + self.max_age)
        self._entries.pop(authorization, None)
        while len(self._entries) >= self.max_entries:
            self._entries.pop(next(iter(self._entries)))
        self._entries[authorization] = (actor, until)


def token_expiry(authorization: str) -> float | None:
    """The ``exp`` claim (epoch seconds) of a ``Bearer <JWT>`` value, read without any
    check (for a token that was verified); None when it has none."""
    token = authorization.strip().partition(" ")[2].strip()
    try:
        segment = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    return float(exp)


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, schema: BaseSchema, *, graphiql: bool) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=20,
        )
        self.recent_tokens = RecentTokens()

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
            authorization = request.headers.get("authorization")
            actor = self.recent_tokens.get(authorization) if authorization else None
            if actor is None:
                # an AuthError here is answered by __call__, before anything ran
                actor = await services.auth.from_authorization(authorization)
                if actor is not None and authorization:
                    self.recent_tokens.put(authorization, actor)
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
