"""Talking to a BFF as its app does: GraphQL over HTTP (``GraphQL``) and subscriptions over
graphql-transport-ws with reconnects (``Subscription``).

Anything a healthy system should not answer (HTTP errors, GraphQL ``errors``, a broken
websocket) raises ``Unexpected`` or is reported through ``on_problem``; the expected
outcomes of a mutation (its result type or one of the ``Problem`` types) come back as an
``Outcome``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.typing import Subprotocol

#: every mutation result asks for these (all problem types implement ``Problem``)
PROBLEM = "__typename ... on Problem { code message }"
PROBLEM_TYPES = frozenset({"NotFound", "NotAllowed", "Conflict", "InvalidInput"})
SUBPROTOCOL = Subprotocol("graphql-transport-ws")
#: how often a ``BUSY`` conflict ("try again") is tried again
BUSY_RETRIES = 4

Problem = Callable[[str, str], None]
#: told each call's operation (its first root field) and seconds taken
Observe = Callable[[str, float], None]
FIRST_FIELD = re.compile(r"\{\s*(\w+)")


class Unexpected(Exception):
    """An answer a healthy system does not give; ``kind`` groups them in the summary."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Outcome:
    """A mutation's result: its type name and fields (a problem has code and message)."""

    typename: str
    fields: dict[str, Any]

    @classmethod
    def of(cls, value: object) -> Outcome:
        if not isinstance(value, dict) or not isinstance(value.get("__typename"), str):
            raise Unexpected("graphql", f"a mutation result without __typename: {value!r}")
        return cls(value["__typename"], value)

    @property
    def problem(self) -> bool:
        return self.typename in PROBLEM_TYPES

    @property
    def code(self) -> str | None:
        code = self.fields.get("code")
        return code if self.problem and isinstance(code, str) else None

    def is_conflict(self, code: str | None = None) -> bool:
        return self.typename == "Conflict" and (code is None or self.code == code)

    def describe(self) -> str:
        if self.problem:
            return f"{self.typename} {self.code}: {self.fields.get('message')}"
        return self.typename


def graphql_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/graphql"


def websocket_url(base_url: str) -> str:
    url = graphql_url(base_url)
    if url.startswith("https://"):
        return "wss://" + url[len("https://") :]
    if url.startswith("http://"):
        return "ws://" + url[len("http://") :]
    return url


class GraphQL:
    """One actor's GraphQL over HTTP to one BFF (``http`` is shared by all actors)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: str,
        *,
        retries: int = 2,
        pause: float = 0.05,
        observe: Observe | None = None,
    ) -> None:
        self._http = http
        self._url = graphql_url(base_url)
        self._headers = {"authorization": f"Bearer {token}"}
        self._retries = retries
        self._pause = pause
        self._observe = observe

    async def query(self, document: str, **variables: Any) -> dict[str, Any]:
        """The answer's ``data``; a query is tried again after a transport error."""
        return await self._post(document, variables, self._retries)

    async def mutate(
        self, field: str, document: str, *, idempotent: bool = False, **variables: Any
    ) -> Outcome:
        """The result of mutation ``field``. ``BUSY`` conflicts are tried again; transport
        errors only when the mutation is ``idempotent`` (a request key)."""
        for attempt in range(BUSY_RETRIES + 1):
            data = await self._post(document, variables, self._retries if idempotent else 0)
            outcome = Outcome.of(data.get(field))
            if not outcome.is_conflict("BUSY") or attempt == BUSY_RETRIES:
                return outcome
            await asyncio.sleep(self._pause * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _post(self, document: str, variables: dict[str, Any], retries: int) -> dict[str, Any]:
        payload = {"query": document, "variables": variables}
        for attempt in range(retries + 1):
            try:
                started = time.monotonic()
                response = await self._http.post(self._url, json=payload, headers=self._headers)
                if self._observe is not None:
                    self._observe(operation(document), time.monotonic() - started)
                break
            except httpx.TransportError as exc:
                if attempt == retries:
                    raise Unexpected("http", f"{type(exc).__name__}: {exc} ({self._url})") from exc
                await asyncio.sleep(4 * self._pause * (attempt + 1))
        return read_answer(response.status_code, response.text)


def operation(document: str) -> str:
    """The first root field a document asks for (``placeOrder``), naming the call."""
    found = FIRST_FIELD.search(document)
    return found.group(1) if found else "?"


def read_answer(status: int, text: str) -> dict[str, Any]:
    """The ``data`` of a GraphQL HTTP answer; Unexpected for an error status, ``errors``
    or a body that is not a GraphQL answer."""
    if status != 200:
        raise Unexpected("http", f"HTTP {status}: {text[:200]}")
    try:
        body = json.loads(text)
    except ValueError:
        raise Unexpected("http", f"not JSON: {text[:200]}") from None
    if not isinstance(body, dict):
        raise Unexpected("graphql", f"not a GraphQL answer: {text[:200]}")
    errors = body.get("errors")
    if errors:
        first = errors[0] if isinstance(errors, list) and errors else errors
        message = first.get("message") if isinstance(first, dict) else first
        raise Unexpected("graphql", str(message))
    data = body.get("data")
    if not isinstance(data, dict):
        raise Unexpected("graphql", f"no data: {text[:200]}")
    return data


@dataclass(frozen=True, slots=True)
class Reconnected:
    """The subscription is (again) in place: refetch what a push may have missed.
    ``first`` is the first connection of the subscription."""

    first: bool


#: what ``Subscription.next`` hands out: a (re)connection, or one pushed payload (the
#: subscription field's value, e.g. ``{"kind": "TICKET", "ticket": {...}}``)
Push = Reconnected | dict[str, Any]


@dataclass(frozen=True, slots=True)
class ServerMessage:
    """One graphql-transport-ws message from the server, as the client must treat it."""

    kind: str  # "push", "ping", "error", "complete", "ignore"
    payload: dict[str, Any] | None = None
    detail: str = ""


def is_ack(raw: str | bytes) -> bool:
    try:
        message = json.loads(raw)
    except ValueError:
        return False
    return isinstance(message, dict) and message.get("type") == "connection_ack"


def read_message(raw: str | bytes, field: str) -> ServerMessage:
    """What a server message means for a subscription to ``field`` (always id "1")."""
    try:
        message = json.loads(raw)
    except ValueError:
        return ServerMessage("error", detail=f"not JSON: {raw[:200]!r}")
    if not isinstance(message, dict):
        return ServerMessage("error", detail=f"not a message: {raw[:200]!r}")
    kind = message.get("type")
    if kind == "ping":
        return ServerMessage("ping")
    if kind in ("pong", "connection_ack"):
        return ServerMessage("ignore")
    if kind == "complete":
        return ServerMessage("complete", detail="the server completed the subscription")
    if kind == "error":
        return ServerMessage("error", detail=f"subscription error: {message.get('payload')}")
    if kind != "next":
        return ServerMessage("error", detail=f"unknown message type {kind!r}")
    payload = message.get("payload")
    if not isinstance(payload, dict):
        return ServerMessage("error", detail="a next message without payload")
    if payload.get("errors"):
        return ServerMessage("error", detail=f"errors in a push: {payload['errors']}")
    value = (payload.get("data") or {}).get(field)
    if not isinstance(value, dict):
        return ServerMessage("error", detail=f"a push without {field}: {payload}")
    return ServerMessage("push", value)


class Subscription:
    """One graphql-transport-ws subscription, kept up until the context exits: pushes
    and (re)connections queue up for ``next``. A dropped connection is reported as a
    problem and reconnected with backoff; each connection starts with a ``Reconnected``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        document: str,
        field: str,
        *,
        on_problem: Problem,
        variables: dict[str, Any] | None = None,
        backoff: tuple[float, float] = (0.2, 5.0),
    ) -> None:
        self._url = websocket_url(base_url)
        self._token = token
        self._subscribe = json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": document, "variables": variables or {}},
            }
        )
        self._field = field
        self._on_problem = on_problem
        self._backoff = backoff
        self._queue: asyncio.Queue[Push] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    async def __aenter__(self) -> Subscription:
        self._task = asyncio.create_task(self._run(), name=f"subscription {self._field}")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def wait_connected(self, seconds: float) -> bool:
        try:
            async with asyncio.timeout(seconds):
                await self.connected.wait()
        except TimeoutError:
            return False
        return True

    async def next(self, within: float | None = None) -> Push | None:
        """The next push or reconnection; None if ``within`` seconds passed without one."""
        try:
            async with asyncio.timeout(within):
                return await self._queue.get()
        except TimeoutError:
            return None

    async def _run(self) -> None:
        first = True
        delay = self._backoff[0]
        while True:
            try:
                async with connect(
                    self._url, subprotocols=[SUBPROTOCOL], proxy=None, open_timeout=10
                ) as ws:
                    await self._handshake(ws)
                    self.connected.set()
                    self._queue.put_nowait(Reconnected(first))
                    first, delay = False, self._backoff[0]
                    await self._pump(ws)
            except (ConnectionClosed, InvalidHandshake, InvalidURI, OSError, TimeoutError) as exc:
                self._on_problem("websocket", f"{self._field}: {type(exc).__name__}: {exc}")
            except Unexpected as exc:
                self._on_problem(exc.kind, f"{self._field}: {exc.detail}")
            self.connected.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff[1])

    async def _handshake(self, ws: ClientConnection) -> None:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {self._token}"}}
        await ws.send(json.dumps(init))
        async with asyncio.timeout(10):
            while True:
                raw = await ws.recv()
                if is_ack(raw):
                    break
                message = read_message(raw, self._field)
                if message.kind == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif message.kind != "ignore":
                    raise Unexpected("websocket", f"no connection_ack: {message.detail}")
        await ws.send(self._subscribe)

    async def _pump(self, ws: ClientConnection) -> None:
        async for raw in ws:
            message = read_message(raw, self._field)
            if message.kind == "push" and message.payload is not None:
                self._queue.put_nowait(message.payload)
            elif message.kind == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif message.kind in ("error", "complete"):
                raise Unexpected("subscription", message.detail)
        raise Unexpected("websocket", "closed by the server")
