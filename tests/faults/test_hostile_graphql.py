"""Hostile GraphQL input: thousands of malformed, oversized, deeply nested and wrongly
typed requests to each BFF, served for real (uvicorn on loopback, the real Kafka,
FerretDB and Redis), mostly with a valid token of the BFF's role (hostile but signed in:
the requests reach the resolvers and the commands), some with none or with garbage.

Every answer is a structured refusal or an answer (never a 5xx, never a hang, never the
masked "Unexpected error."), a mutation with a bad value never writes (the database and
the hub are the same after each batch of examples as before), and the depth, alias and
token limits hold: an operation over one is refused with an error naming it, unrun.

Hypothesis draws the requests (``tests.faults.hostile``); its tests are synchronous, so
each batch runs in a worker thread with a blocking ``httpx.Client`` while the server keeps
serving on the test's event loop. The examples are derandomized (the same every run; a
failure prints the request). ``FD_FAULTS_LONG=1`` sends about twenty times as many.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import hypothesis
import pytest
from graphql import Lexer, Source, TokenKind
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect
from websockets.typing import Subprotocol

from adapters.settings import Settings
from adapters.store import Document
from bff.kit.view import MAX_BODY_BYTES
from tests.faults import hostile
from tests.faults.hostile import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, Attempt, Refusal, Target
from tests.faults.matrix import RootField, World, selection, world
from tests.faults.scale import scaled_int
from tests.support.serving import token_for

#: each BFF's test: under a minute at the short scale, about ten at the long one
pytestmark = pytest.mark.timeout(scaled_int(300, 3600))

#: examples per BFF and strategy: ~1,000 requests in all at the short scale
EXAMPLES = {
    "transport": scaled_int(70, 1_400),
    "broken documents": scaled_int(50, 1_000),
    "operations": scaled_int(170, 3_400),
    "over limits": scaled_int(40, 800),
    "socket messages": scaled_int(30, 600),
}
#: how long a hostile conversation listens for answers once it has said everything (an
#: operation's answer that comes later goes unchecked; nothing waits for it)
QUIET_SECONDS = 0.3
#: the messages that end an operation over graphql-transport-ws
ENDS = ("complete", "error")
HYPOTHESIS = hypothesis.settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
#: requests sent, by BFF (printed at the end of each test)
SENT: dict[str, int] = {}


def examples_of(strategy: str) -> hypothesis.settings:
    return hypothesis.settings(HYPOTHESIS, max_examples=EXAMPLES[strategy])


class Hostile:
    """A blocking client to one served BFF that sends ``Attempt``s and counts them."""

    def __init__(self, world: World) -> None:
        bff = world.bff
        self.role = world.role
        self.token = token_for(bff.settings, bff.role, bff.actor_id)
        self.client = httpx.Client(base_url=f"http://{bff.host}", timeout=60)
        self.sent = 0

    def send(self, attempt: Attempt) -> httpx.Response:
        headers = {"accept": "application/json"}
        if attempt.content_type is not None:
            headers["content-type"] = attempt.content_type
        authorization = {"actor": f"Bearer {self.token}", "none": ""}.get(
            attempt.token, attempt.token.strip()
        )
        if authorization:
            headers["authorization"] = authorization
        self.sent += 1
        return self.client.request(
            attempt.method,
            "/graphql",
            content=attempt.content,
            params=dict(attempt.params) if attempt.params else None,
            headers=headers,
        )

    def converse(
        self, conversation: hostile.Conversation, then: str | None = None
    ) -> tuple[list[Any], int | None]:
        """Says ``conversation`` on a connection initialised with the actor's token (and
        then subscribes to ``then``): what came back, and the close code (None: still
        open). Each query or mutation gets its answer before the next message (so none is
        cut off mid-way: pymongo 4.20's async pool leaks the socket of a connection it
        was opening when the task is cancelled). A connection left open must still
        answer a ping: one whose handler died would neither answer nor close (a hang)."""
        self.sent += 1
        url = str(self.client.base_url).replace("http://", "ws://").rstrip("/") + "/graphql"
        protocols = [Subprotocol("graphql-transport-ws")]
        received: list[Any] = []
        with ws_connect(url, subprotocols=protocols, open_timeout=60) as ws:
            init = {"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}
            ws.send(json.dumps(init))
            assert json.loads(ws.recv(timeout=60))["type"] == "connection_ack"
            try:
                answered = conversation.answered or (None,) * len(conversation.messages)
                for message, operation_id in zip(conversation.messages, answered, strict=True):
                    ws.send(message)
                    while operation_id is not None:  # its answer, before saying more
                        reply = json.loads(ws.recv(timeout=60))
                        received.append(reply)
                        if reply.get("id") == operation_id and reply["type"] in ENDS:
                            operation_id = None
                if then is not None:
                    payload = {"query": then}
                    ws.send(json.dumps({"id": "then", "type": "subscribe", "payload": payload}))
                    received.append(json.loads(ws.recv(timeout=60)))
                with contextlib.suppress(TimeoutError):
                    while True:
                        received.append(json.loads(ws.recv(timeout=QUIET_SECONDS)))
                ws.send(json.dumps({"type": "ping"}))
                while (answer := json.loads(ws.recv(timeout=60)))["type"] != "pong":
                    received.append(answer)
            except TimeoutError:
                raise AssertionError(f"no answer and no close: {received}") from None
            except ConnectionClosed as closed:
                # no close frame: the server dropped the connection (1006, abnormal)
                return received, closed.rcvd.code if closed.rcvd else 1006
        return received, None

    def check(self, attempt: Attempt) -> dict[str, Any]:
        """Sends ``attempt`` and asserts the properties of its answer."""
        answer = self.send(attempt)
        try:
            hostile.check(attempt, answer.status_code, answer.content)
        except AssertionError as exc:
            raise AssertionError(f"{self.role}: {exc}\n{attempt!r}") from None
        found: dict[str, Any] = answer.json()
        return found


def target_of(world: World) -> Target:
    effective = [(document, variables) for _, document, variables in world.operations("mutation")]
    known = {name: [value] for name, value in world.values.items()}
    return Target(world.role, world.schema, known, effective)


async def unchanged_by(world: World, run: Callable[[], None]) -> None:
    """Runs the blocking ``run`` in a worker thread; the BFF's database and the hub must
    be as they were before."""
    before = await world.snapshot()
    await asyncio.to_thread(run)
    assert await world.snapshot() == before, "a hostile request changed something"


#: requests that answered 500 before the kit's view refused them (kept as examples)
REGRESSIONS = [
    Attempt("json string", Refusal.GRAPHQL, content=b'"hello"'),
    Attempt("json number", Refusal.GRAPHQL, content=b"42"),
    Attempt("json null", Refusal.GRAPHQL, content=b"null"),
    Attempt("not utf-8", Refusal.GRAPHQL, content=b'{"query": "{ me { id } }\xff"}'),
    Attempt("deep json", Refusal.GRAPHQL, content=b"[" * 100_000 + b"]" * 100_000),
    Attempt(
        "deep variables",
        Refusal.GRAPHQL,
        content=b'{"query": "{ __typename }", "variables": {"a": '
        + b"[" * 5_000
        + b"]" * 5_000
        + b"}}",
    ),
]


def transport_batch(client: Hostile, target: Target) -> Callable[[], None]:
    @examples_of("transport")
    @given(hostile.transport(target))
    @examples(REGRESSIONS)
    def run(attempt: Attempt) -> None:
        client.check(attempt)

    return run


def examples(attempts: list[Attempt]) -> Callable[[Any], Any]:
    """``@example`` for each of ``attempts``."""

    def decorate(test: Any) -> Any:
        for attempt in attempts:
            test = example(attempt)(test)
        return test

    return decorate


def documents_batch(client: Hostile, target: Target) -> Callable[[], None]:
    @examples_of("broken documents")
    @given(hostile.broken_documents(target))
    def run(attempt: Attempt) -> None:
        client.check(attempt)

    return run


def operations_batch(client: Hostile, target: Target) -> Callable[[], None]:
    @examples_of("operations")
    @given(hostile.operations(target))
    def run(attempt: Attempt) -> None:
        client.check(attempt)

    return run


def limits_batch(client: Hostile, target: Target) -> Callable[[], None]:
    @examples_of("over limits")
    @given(hostile.over_limits(target))
    def run(case: tuple[str, Attempt]) -> None:
        words, attempt = case
        answer = client.check(attempt)
        messages = [error["message"] for error in answer.get("errors", [])]
        assert any(words in message for message in messages), (words, messages)
        assert answer.get("data") is None, answer

    return run


def within_limits(client: Hostile) -> None:
    """The positive controls: at the limits, an operation runs."""
    at_aliases = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES))
    answer = client.check(hostile.post("at aliases", Refusal.NONE, f"{{ {at_aliases} }}"))
    assert answer.get("errors") is None and len(answer["data"]) == MAX_ALIASES, answer
    # depth: no schema nests as deep as the limit, so unknown fields count the levels
    for depth, over in ((MAX_DEPTH, False), (MAX_DEPTH + 1, True)):
        nested = "__typename"
        for _ in range(depth):
            nested = f"x {{ {nested} }}"
        answer = client.check(hostile.post("depth", Refusal.GRAPHQL, f"{{ {nested} }}"))
        named = [e for e in answer["errors"] if "maximum operation depth" in e["message"]]
        assert bool(named) is over, (depth, answer)
    padding = " ".join(f"t{i}: __typename" for i in range(10))
    answer = client.check(hostile.post("few tokens", Refusal.NONE, f"{{ {padding} }}"))
    assert answer.get("errors") is None, answer
    # at the token limit: parsed (refused for its repeated directive, not for its size)
    at_limit = "{ __typename " + "@skip(if: false) " * ((MAX_TOKENS - 3) // 7) + "}"
    assert MAX_TOKENS - 7 < token_count(at_limit) <= MAX_TOKENS
    answer = client.check(hostile.post("at tokens", Refusal.GRAPHQL, at_limit))
    assert not any("tokens" in e["message"] for e in answer["errors"]), answer


def token_count(document: str) -> int:
    """How many tokens GraphQL counts in ``document`` (what the token limit limits)."""
    lexer = Lexer(Source(document))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


def oversized_bodies(client: Hostile, target: Target) -> None:
    """A 5 MB body, declared or chunked, is refused with 413 before it is read whole; a
    body under the limit is read."""
    mutation, variables = target.effective[0]
    filler = "x" * (5 * 1024 * 1024)
    big = json.dumps({"query": mutation, "variables": {**variables, "pad": filler}}).encode()
    declared = client.send(Attempt("5 MB", Refusal.GRAPHQL, content=big))
    assert declared.status_code == 413, declared.text[:300]
    hostile.check(Attempt("5 MB", Refusal.GRAPHQL), declared.status_code, declared.content)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    headers = {
        "content-type": "application/json",
        "authorization": f"Bearer {client.token}",
    }
    chunked = client.client.post("/graphql", content=chunks(), headers=headers)
    client.sent += 1
    assert chunked.status_code == 413, chunked.text[:300]
    under = MAX_BODY_BYTES - 1024
    padded = json.dumps({"query": "{ __typename }", "extensions": {"pad": "x" * under}})
    answer = client.check(hostile.post("under the limit", Refusal.NONE, "{ __typename }"))
    assert answer["data"] == {"__typename": "Query"}
    read = client.send(Attempt("just under", Refusal.NONE, content=padded.encode()))
    assert read.status_code == 200 and read.json()["data"] == {"__typename": "Query"}
    for size in (100_000, 1_000_000):  # GET: past what httpx sends, so by hand
        status = raw_get(client, "/graphql?query=" + "%7B" * (size // 3))
        assert status < 500, (size, status)
        client.sent += 1


def raw_get(client: Hostile, target: str) -> int:
    """The status of a GET of ``target`` (any length), sent on a plain socket."""
    host, port = str(client.client.base_url.host), client.client.base_url.port
    with socket.create_connection((host, port or 80), timeout=60) as conn:
        request = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        conn.sendall(request.encode())
        head = conn.recv(64).decode("latin-1")
    return int(head.split(" ", 2)[1])


def sockets_batch(client: Hostile, target: Target) -> Callable[[], None]:
    @examples_of("socket messages")
    @given(hostile.socket_messages(target))
    @example(hostile.Conversation(("[1, 2]",)))
    @example(hostile.Conversation(('{"type": "subscribe", "id": [1], "payload": {}}',)))
    @example(hostile.Conversation(('{"type": "subscribe", "id": "1", "payload": "q"}',)))
    def run(conversation: hostile.Conversation) -> None:
        received, code = client.converse(conversation)
        try:
            hostile.check_socket(received, code)
        except AssertionError as exc:
            raise AssertionError(f"{client.role}: {exc}\n{conversation!r}") from None

    def then_still_serving() -> None:
        run()
        received, code = client.converse(hostile.Conversation(()), "{ __typename }")
        assert code is None and received[0]["payload"] == {"data": {"__typename": "Query"}}

    return then_still_serving


def subscriptions_over_http(client: Hostile, target: Target) -> None:
    """A subscription sent over HTTP is refused (it ran its resolver as a plain field
    once, which failed: "Unexpected error." and a logged traceback per request)."""
    for root in (f for f in target.fields if f.operation == "subscription"):
        document = base_subscription(root)
        for method in ("POST", "GET"):
            params = {"query": document} if method == "GET" else None
            content = None if params else json.dumps({"query": document}).encode()
            attempt = Attempt("subscription", Refusal.GRAPHQL, method, content, params)
            answer = client.send(attempt)
            hostile.check(attempt, answer.status_code, answer.content)
            assert answer.status_code == 400, (method, answer.text)
            assert "subscriptions are not allowed" in answer.text, answer.text


def base_subscription(root: RootField) -> str:
    return f"subscription {{ {root.name} {selection(root.field.type, 1)} }}"


def unpaired_surrogates(client: Hostile, target: Target) -> None:
    """Text no store can take (``"\\ud800"``, which JSON can carry, or its UTF-8 bytes,
    which json.loads decodes) is refused at the door: it reached a resolver once and
    came back "Unexpected error." (bson cannot encode it). Every field with an ID or
    String argument is tried."""
    tried = 0
    for root in target.fields:
        for name, arg in root.field.args.items():
            if str(arg.type).rstrip("!") not in ("ID", "String"):
                continue
            call = f"{root.name}({name}: $v) {{ __typename }}"
            document = f"{root.operation}($v: {arg.type}) {{ {call} }}"
            escaped = hostile.post("surrogate", Refusal.GRAPHQL, document, {"v": "a\ud800"})
            # the same as UTF-8 bytes (invalid UTF-8, which json.loads would decode)
            assert escaped.content is not None
            encoded = replace(escaped, content=escaped.content.replace(b"\\ud800", b"\xed\xa0\x80"))
            for attempt, reason in ((escaped, "surrogate"), (encoded, "UnicodeDecodeError")):
                answer = client.send(attempt)
                hostile.check(attempt, answer.status_code, answer.content)
                assert answer.status_code == 400 and reason in answer.text, answer.text
            tried += 1
    assert tried > 0


async def attack(world: World) -> None:
    client = Hostile(world)
    target = target_of(world)
    started = time.monotonic()
    try:
        batches = (transport_batch, documents_batch, operations_batch, limits_batch, sockets_batch)
        for batch in batches:
            await unchanged_by(world, batch(client, target))
        await unchanged_by(world, lambda: within_limits(client))
        await unchanged_by(world, lambda: oversized_bodies(client, target))
        await unchanged_by(world, lambda: unpaired_surrogates(client, target))
        await unchanged_by(world, lambda: subscriptions_over_http(client, target))
    finally:
        client.client.close()
    SENT[world.role] = client.sent
    print(
        f"\n{world.role}: {client.sent} hostile requests in {time.monotonic() - started:.1f} s;"
        f" {sum(SENT.values())} so far ({', '.join(f'{k} {v}' for k, v in SENT.items())})"
    )
    assert client.sent >= sum(EXAMPLES.values()), client.sent


#: the served BFF draws on ``random`` (ids, jitter) on the event loop's thread while
#: hypothesis draws examples in the worker thread: hypothesis sees the global state move
#: and takes it for a strategy using ``random``, which none of ours does
SERVER_USES_RANDOM = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies"
    ":hypothesis.errors.HypothesisDeprecationWarning"
)


@SERVER_USES_RANDOM
@pytest.mark.parametrize("role", ["customer", "restaurant", "driver"])
async def test_hostile_requests_are_refused_and_change_nothing(
    role: str,
    settings: Settings,
    topic: str,
    db: AsyncDatabase[Document],
    redis: Redis,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with world(role, settings, topic, db, redis) as opened:
        with capsys.disabled():
            await attack(opened)


def test_the_strategies_draw_every_kind_of_request() -> None:
    """The strategies reach each kind they promise (so a refactoring cannot quietly
    narrow them): drawn offline, without a server."""
    from tests.faults.matrix import SCHEMAS, operation, root_fields

    schema = SCHEMAS["restaurant"]
    effective = [operation(f) for f in root_fields(schema) if f.operation == "mutation"]
    target = Target("restaurant", schema, {"orderId": ["o-1"]}, effective)
    seen: set[str] = set()

    @hypothesis.settings(HYPOTHESIS, max_examples=400)
    @given(st.one_of(hostile.transport(target), hostile.operations(target)))
    def draw(attempt: Attempt) -> None:
        seen.add(attempt.what)

    draw()
    assert {"batch", "get mutation", "deep json", "not utf-8", "content type"} <= seen
    assert {"query", "mutation", "subscription"} <= seen
