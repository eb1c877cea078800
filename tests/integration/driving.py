"""The driver BFF served for a test, with the kitchens' and customers' events simulated on
the hub: the ``driving`` fixture, GraphQL documents the driver tests share, offers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from websockets.asyncio.client import ClientConnection

from adapters.settings import Settings
from adapters.store import Document
from bff.driver.demo import DRIVERS
from bff.driver.spec import SPEC
from bff.restaurant.demo import RESTAURANTS
from events import Event, Order, OrderAccepted
from tests.integration.listening import wait_for
from tests.support import upstream
from tests.support.served import PROBLEM, ServedBff, next_push, serving

#: a point in Kreuzberg, a few hundred metres from the demo trattoria
HERE = {"lat": 52.4995, "lng": 13.4180}
DELIVERY_FIELDS = """id status restaurantName customerName canPickUp canDeliver ready
  earnings { amount currency } pickupAddress { line1 } dropOff { line1 } acceptedAt
  pickedUpAt deliveredAt itemCount tripKm"""
ME_FIELDS = f"""id name status vehicle location {{ lat lng }}
  activeDelivery {{ {DELIVERY_FIELDS} }}"""
OFFER_FIELDS = """id status restaurantName distanceKm tripKm ready fee { amount }
  pickupAddress { line1 } dropOff { line1 } itemCount estimatedReadyAt"""
ME = f"{{ me {{ {ME_FIELDS} }} }}"
OFFERS = f"query($near: GeoPointInput) {{ offers(near: $near) {{ {OFFER_FIELDS} }} }}"
TODAY = f"{{ today {{ delivered earnings {{ amount }} deliveries {{ {DELIVERY_FIELDS} }} }} }}"
GO_ONLINE = f"""mutation($location: GeoPointInput!, $vehicle: Vehicle) {{
  goOnline(location: $location, vehicle: $vehicle) {{ {PROBLEM} ... on Me {{ {ME_FIELDS} }} }}
}}"""
GO_OFFLINE = f"mutation {{ goOffline {{ {PROBLEM} ... on Me {{ {ME_FIELDS} }} }} }}"
REPORT = f"""mutation($location: GeoPointInput!) {{
  reportLocation(location: $location) {{ {PROBLEM} ... on Me {{ {ME_FIELDS} }} }}
}}"""
ACCEPT, PICK_UP, DELIVER = (
    f"""mutation($id: ID!) {{
  {verb}(orderId: $id) {{ {PROBLEM} ... on Delivery {{ {DELIVERY_FIELDS} }} }}
}}"""
    for verb in ("acceptDelivery", "markPickedUp", "markDelivered")
)
OFFER_UPDATES = f"""subscription {{
  offers {{ kind eventType orderId offer {{ {OFFER_FIELDS} }} }}
}}"""
SHIFT_UPDATES = f"""subscription {{
  shift {{ kind eventType me {{ {ME_FIELDS} }} delivery {{ {DELIVERY_FIELDS} }} }}
}}"""


class Driving(ServedBff):
    """One test driver's BFF; ``offer`` simulates a kitchen accepting a customer's order."""

    @property
    def driver_id(self) -> str:
        return self.actor_id

    async def go_online(self, token: str | None = "", **location: float) -> dict[str, Any]:
        found = await self.data(GO_ONLINE, token, location=location or HERE)
        result: dict[str, Any] = found["goOnline"]
        return result

    async def act(self, verb: str, order_id: str, token: str | None = "") -> dict[str, Any]:
        """acceptDelivery / markPickedUp / markDelivered of ``order_id``: its result."""
        document = {"acceptDelivery": ACCEPT, "markPickedUp": PICK_UP, "markDelivered": DELIVER}
        found = await self.data(document[verb], token, id=order_id)
        result: dict[str, Any] = found[verb]
        return result

    async def offer(self, restaurant: int = 0) -> tuple[Order, OrderAccepted]:
        """A new order from a demo restaurant, placed and accepted by its kitchen (on the
        hub, as the customer and restaurant BFFs would), and open in this BFF's view."""
        demo = RESTAURANTS[restaurant]
        order = upstream.order_from_menu(demo.restaurant.id, demo.restaurant.name, demo.items)
        placed = upstream.placed(order)
        accept = upstream.accepted(order, pickup_address=demo.restaurant.address, caused_by=placed)
        await self.publish(placed, accept)
        await self.wait_for_offer(order.id, lambda offer: offer["status"] == "open")
        return order, accept

    async def ready(self, order: Order, caused_by: Event | None = None) -> None:
        """The kitchen marks the order ready (on the hub); returns once the view has it."""
        await self.publish(upstream.ready(order, caused_by))
        await self.wait_for_offer(order.id, lambda offer: bool(offer.get("ready")))

    async def wait_for_offer(self, order_id: str, wanted: Callable[[Document], bool]) -> None:
        async def seen() -> bool:
            doc = await self.db["offers"].find_one({"_id": order_id})
            return doc is not None and "status" in doc and wanted(doc)

        await wait_for(f"offer {order_id} in the view", seen, 30)

    async def subscribe_offers(self, token: str | None = None) -> ClientConnection:
        return await self.subscribe(OFFER_UPDATES, token)

    async def subscribe_shift(self, token: str | None = None) -> ClientConnection:
        return await self.subscribe(SHIFT_UPDATES, token)


async def next_offer_update(
    ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool], seconds: float = 30
) -> dict[str, Any]:
    return await next_push(ws, "offers", wanted, seconds)


async def next_shift_update(
    ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool], seconds: float = 30
) -> dict[str, Any]:
    return await next_push(ws, "shift", wanted, seconds)


def offer_is(order_id: str, kind: str) -> Callable[[dict[str, Any]], bool]:
    def check(update: dict[str, Any]) -> bool:
        return bool(update.get("orderId") == order_id and update.get("kind") == kind)

    return check


def delivery_is(order_id: str, status: str) -> Callable[[dict[str, Any]], bool]:
    def check(update: dict[str, Any]) -> bool:
        delivery = update.get("delivery") or {}
        return bool(delivery.get("id") == order_id and delivery.get("status") == status)

    return check


@asynccontextmanager
async def open_driving(
    settings: Settings, topic: str, db: AsyncDatabase[Document], driver_id: str, name: str
) -> AsyncIterator[Driving]:
    """The driver BFF (all roles) served for ``driver_id``."""
    async with serving(SPEC, settings, topic, db, actor_id=driver_id, actor_name=name) as bff:
        yield bff.as_(Driving)


@pytest.fixture(name="driving")
async def driving_fixture(
    settings: Settings, topic: str, db: AsyncDatabase[Document]
) -> AsyncIterator[Driving]:
    """Jonas (a demo driver on a bicycle), offline, on a fresh database and topic."""
    jonas = DRIVERS[0]
    async with open_driving(settings, topic, db, jonas.id, jonas.name) as driving:
        yield driving
