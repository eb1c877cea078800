"""The ``/graphql`` endpoint: strawberry's ASGI view with the kit's context and auth.

- HTTP: ``Authorization: Bearer <token>``; no header means anonymous (fields guarded by
  ``IsAuthenticated`` answer an error); a bad token is refused with 401, a token of
  another role with 403, before anything runs.
- Websocket: only the ``graphql-transport-ws`` protocol (the legacy ``graphql-ws`` is
  off). The token comes in the ``connection_init`` payload as
  ``{"authorization": "Bearer <token>"}``; without a valid one of this BFF's role the
  connection is closed with 4403 (Forbidden) and no operation runs. A message that is
  not JSON, or not shaped as the protocol says, closes it with 4400.
- GraphiQL is served only in local auth mode.
- Subscriptions run only over the websocket: over HTTP (GET or POST) one is refused with
  400 (strawberry would run its resolver as a plain field, which fails, masked, and logs
  a traceback for every such request).
- Every refusal is JSON, ``{"errors": [{"message": ...}]}``, whatever went wrong. A body
  that is not JSON (or not UTF-8, nested past the parser's depth, or with text no store
  can take: an unpaired surrogate such as ``"\\ud800"``), JSON that is not an object, an
  unsupported content type, a batch (batching is off), a mutation sent with GET: 400
  (strawberry's reasons, as JSON). A body over ``max_body_bytes`` (1 MiB; an app's
  largest request, a cart, is a few KB): 413, before it is read whole. Never a 500 for
  a client's mistake (``tests/faults/test_hostile_graphql.py``).
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
import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UnsetType

from bff.kit.auth import Actor, AuthError
from bff.kit.context import Context
from bff.kit.services import services_of

log = logging.getLogger(__name__)

#: the largest request body ``/graphql`` reads (documents over 2000 tokens are refused
#: anyway; the largest request an app sends, a cart, is a few KB)
MAX_BODY_BYTES = 1 << 20


class BodyTooLarge(Exception):
    """The request body is longer than the view reads (HTTP 413)."""


def error_response(
    message: str, status: int, *, code: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A refusal in GraphQL's error shape: ``{"errors": [{"message", "extensions"?}]}``."""
    error: dict[str, Any] = {"message": message}
    if code is not None:
        error["extensions"] = {"code": code}
    return JSONResponse({"errors": [error]}, status_code=status, headers=headers)


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length, if it sent a readable one."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def limited(receive: Receive, max_bytes: int) -> Receive:
    """``receive``, raising ``BodyTooLarge`` once the body passes ``max_bytes`` (counted
    as it arrives: a chunked body declares no length)."""
    seen = 0

    async def receive_limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > max_bytes:
                raise BodyTooLarge()
        return message

    return receive_limited


#: a UTF-16 surrogate written as a JSON escape: paired (an emoji, as many encoders write
#: it) or unpaired, which no store or encoder can take
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads(data: str | bytes) -> object:
    """``json.loads``, with every way a body can fail to be JSON (not UTF-8, nested past
    the parser's depth, text with an unpaired surrogate) as the ``JSONDecodeError``
    strawberry answers. Bytes are strict UTF-8, a BOM allowed (``json.loads`` would take
    UTF-16 and 32, and decode an encoded surrogate, ``\\xed\\xa0\\x80``, with
    ``surrogatepass``); only a text that escapes a surrogate (``\\ud800``) is searched
    for an unpaired one."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise json.JSONDecodeError(f"not JSON: {type(exc).__name__}", "", 0) from None
    if SURROGATE_ESCAPE.search(text) is not None and not unicode_throughout(value):
        raise json.JSONDecodeError("text with an unpaired surrogate is not Unicode", "", 0)
    return value


def protocol_message(message: object) -> bool:
    """True for an object with a string ``type`` whose ``subscribe`` and ``complete``
    carry a string ``id``, and whose ``subscribe`` carries a payload with a string
    ``query`` (``variables`` and ``extensions`` objects, ``operationName`` text, if any)."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return False
    if message["type"] not in ("subscribe", "complete"):
        return True
    if not isinstance(message.get("id"), str):
        return False
    if message["type"] == "complete":
        return True
    payload = message.get("payload")
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("query"), str)
        and isinstance(payload.get("variables"), dict | None)
        and isinstance(payload.get("extensions"), dict | None)
        and isinstance(payload.get("operationName"), str | None)
    )


def unicode_throughout(value: object) -> bool:
    """True when every string in a JSON value (keys too) is valid Unicode."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


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
    def __init__(
        self, schema: BaseSchema, *, graphiql: bool, max_body_bytes: int = MAX_BODY_BYTES
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            max_subscriptions_per_connection=20,
        )
        self.recent_tokens = RecentTokens()
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response: Response
        try:
            if (declared_length(scope) or 0) > self.max_body_bytes:
                raise BodyTooLarge()
            response = await self.run(Request(scope, limited(receive, self.max_body_bytes)))
        except AuthError as exc:
            code = "FORBIDDEN" if exc.status == 403 else "UNAUTHENTICATED"
            headers = {"www-authenticate": "Bearer"} if exc.status == 401 else None
            response = error_response(str(exc), exc.status, code=code, headers=headers)
        except HTTPException as exc:
            response = error_response(exc.reason, exc.status_code)
        except BodyTooLarge:
            message = f"the request body is over {self.max_body_bytes} bytes"
            response = error_response(message, 413)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        """A websocket message: JSON, and shaped as graphql-transport-ws says (strawberry
        reads a subscribe's id and payload unchecked, and an exception there ended the
        connection's handler without a close). Anything else closes the socket with
        4400, as a message that is not JSON does."""
        message = loads(data)
        if not protocol_message(message):
            raise json.JSONDecodeError("not a graphql-transport-ws message", "", 0)
        return message

    def parse_json(self, data: str | bytes) -> Any:
        """The JSON of a POST body: an object (or a list: a batch, refused while batching
        is off); anything else is a 400, not the 500 strawberry would answer."""
        value = self._parse(data)
        if not isinstance(value, dict | list):
            raise HTTPException(400, "The request body must be a JSON object")
        return value

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        """A GET request's parameters, ``variables`` and ``extensions`` as JSON (of any
        kind: strawberry refuses what is not an object)."""
        found = dict(params)
        for name in ("variables", "extensions"):
            if found.get(name):
                found[name] = self._parse(found[name])
        return found

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's, with subscriptions refused: over HTTP they would only stream with
        a multipart or SSE transport, which this view does not offer."""
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from exc
        except InvalidOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason(request_adapter.method)) from exc
        except MissingQueryError as exc:
            raise HTTPException(400, "No GraphQL query found in the request") from exc

    @staticmethod
    def _parse(data: object) -> object:
        if not isinstance(data, str | bytes):
            raise HTTPException(400, "Unable to parse request body as JSON")
        try:
            return loads(data)
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"Unable to parse request body as JSON ({exc.msg})") from exc

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
