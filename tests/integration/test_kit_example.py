"""A tiny example BFF (for drivers) and the helpers the kit's integration tests share;
no tests of its own (``test_kit_http``, ``test_kit_websocket``).

The example has one query (``position``, read from its listener's view through a
per-request DataLoader), one mutation (``move``, an outbox write of a
``driver-location-changed`` event) and one subscription (``updates``, the live
notifications of the signed-in driver). HTTP goes through httpx's ASGI transport with the
lifespan run by the test; websockets go to a real uvicorn server on a free loopback port.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
import pytest
import strawberry
import uvicorn
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send
from strawberry.types import Info
from ulid import ULID
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from adapters.settings import Settings
from bff.kit.auth import Authenticator
from bff.kit.context import Context
from bff.kit.permissions import IsAuthenticated
from bff.kit.problems import InvalidInput, invalid_input
from bff.kit.schema import make_schema
from bff.kit.spec import BffSpec, Identity
from events import DriverLocationChanged, DriverPosition, GeoPoint
from listeners.rules import Listener, ViewWrite
from listeners.views import Views

# --- the example BFF -------------------------------------------------------------------


@strawberry.type
class Position:
    driver_id: str
    lat: float


@strawberry.type
class Update:
    type: str
    id: str | None


MoveResult = Annotated[Position | InvalidInput, strawberry.union("MoveResult")]


async def load_positions(info: Info[Context, None], ids: list[str]) -> list[Position | None]:
    views = info.context.db["positions"]
    docs = await asyncio.gather(*(views.find_one({"_id": i}) for i in ids))
    return [Position(driver_id=d["_id"], lat=d["lat"]) if d else None for d in docs]


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[IsAuthenticated])
    def me(self, info: Info[Context, None]) -> str:
        return info.context.me().name

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def position(self, info: Info[Context, None]) -> Position | None:
        loader = info.context.loader("positions", lambda ids: load_positions(info, ids))
        return await loader.load(info.context.me().id)

    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("internal detail")


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def move(self, info: Info[Context, None], lat: float) -> MoveResult:
        me = info.context.me()
        if not -90 <= lat <= 90:
            return invalid_input("latitude must be within -90..90", field="lat")
        position = DriverPosition(driver_id=me.id, location=GeoPoint(lat=lat, lng=13.4))
        event = DriverLocationChanged.record(
            position=position, source="kit-example", actor=me.scope
        )
        drivers = info.context.db["drivers"]
        await info.context.outbox.update(
            drivers, {"_id": me.id}, {"$set": {"lat": lat}}, [event], upsert=True
        )
        return Position(driver_id=me.id, lat=lat)


@strawberry.type
class Subscription:
    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def updates(self, info: Info[Context, None]) -> AsyncGenerator[Update, None]:
        async for message in info.context.live.subscribe(info.context.me().scope):
            yield Update(type=str(message.get("type")), id=message.get("id"))


SCHEMA = make_schema(query=Query, mutation=Mutation, subscription=Subscription)


async def on_moved(event: Any, views: Views) -> Sequence[ViewWrite]:
    position: DriverPosition = event.position
    return [
        ViewWrite(
            "positions",
            position.driver_id,
            set={"lat": position.location.lat},
            notify=[f"driver:{position.driver_id}"],
        )
    ]


# --- fixtures and helpers --------------------------------------------------------------


def new_driver_id() -> str:
    return f"d-{ULID()}".lower()


def example_spec(db_name: str, topic: str, driver_id: str, **options: Any) -> BffSpec:
    """The example BFF on its own database, consuming ``topic`` in its own group."""
    listener = Listener(
        name="kit-example",
        group=f"{topic}.kit-example",
        database=db_name,
        rules={DriverLocationChanged: on_moved},
        views={"positions": []},
    )
    return BffSpec(
        service=f"kit-example-{db_name}",
        role="driver",
        schema=SCHEMA,
        database=db_name,
        listener=listener,
        outbox_collections=["drivers"],
        identities=[Identity(driver_id, "Dora"), Identity("d-2", "Dan")],
        **options,
    )


def token_for(settings: Settings, role: str, actor_id: str, ttl: int | None = None) -> str:
    return Authenticator(settings, role).issue(actor_id, "Someone", ttl_seconds=ttl)


@asynccontextmanager
async def asgi_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling the app in process, its lifespan running around it."""
    async with app.router.lifespan_context(app) as state:

        async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
            await app({**scope, "state": dict(state or {})}, receive, send)

        transport = httpx.ASGITransport(app=with_state)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield client


@asynccontextmanager
async def uvicorn_serving(app: Starlette) -> AsyncIterator[str]:
    """The app behind a real uvicorn on a free loopback port; yields ``host:port``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, ws="websockets-sansio", lifespan="on", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(30):
            while not server.started:
                if task.done():
                    raise AssertionError("uvicorn did not start") from task.exception()
                await asyncio.sleep(0.05)
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)
        sock.close()


async def graphql(
    client: httpx.AsyncClient, query: str, token: str | None = None, **variables: Any
) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )


async def receive(ws: ClientConnection, seconds: float = 30) -> dict[str, Any]:
    async with asyncio.timeout(seconds):
        message: dict[str, Any] = json.loads(await ws.recv())
        return message


async def open_subscription(host: str, token: str) -> ClientConnection:
    ws = await connect(f"ws://{host}/graphql", subprotocols=["graphql-transport-ws"])
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    assert (await receive(ws))["type"] == "connection_ack"
    query = "subscription { updates { type id } }"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
    return ws


async def close_code(host: str, payload: dict[str, Any]) -> int | None:
    async with connect(f"ws://{host}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
    return closed.value.rcvd.code if closed.value.rcvd else None
