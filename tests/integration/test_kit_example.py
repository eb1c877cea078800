"""A tiny example BFF (for drivers) that the kit's integration tests serve;
no tests of its own (``test_kit_http``, ``test_kit_websocket``).

The example has one query (``position``, read from its listener's view through a
per-request DataLoader), one mutation (``move``, an outbox write of a
``driver-location-changed`` event) and one subscription (``updates``, the live
notifications of the signed-in driver). HTTP goes through httpx's ASGI transport with the
lifespan run by the test; websockets go to a real uvicorn server on a free loopback port.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Sequence
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from ulid import ULID
from websockets.asyncio.client import ClientConnection

from bff.kit.context import Context
from bff.kit.permissions import IsAuthenticated
from bff.kit.problems import InvalidInput, invalid_input
from bff.kit.schema import make_schema
from bff.kit.spec import BffSpec, Identity
from events import DriverLocationChanged, DriverPosition, GeoPoint
from listeners.rules import Listener, ViewWrite
from listeners.views import Views
from tests.support.serving import subscribe

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


async def open_subscription(host: str, token: str) -> ClientConnection:
    return await subscribe(host, token, "subscription { updates { type id } }")
