"""The restaurant BFF served for a test, and the simulated world around it: the
``console`` fixture, GraphQL documents the tests share, and waiting for pushed updates."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection

from adapters.settings import Settings
from adapters.store import Document
from bff.kit.doclock import DocumentLocks
from bff.kit.outbox import Outbox
from bff.restaurant.commands import RestaurantCommands
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.names import BFF_NAME
from bff.restaurant.spec import SPEC
from events import Order
from tests.support import upstream
from tests.support.served import PROBLEM, ServedBff, next_push, serving

TICKET_FIELDS = "orderId status column customerName itemCount prepMinutes driver { name vehicle }"
KITCHEN_UPDATES = f"subscription {{ kitchen {{ kind eventType ticket {{ {TICKET_FIELDS} }} }} }}"
ACCEPT = f"""mutation($id: ID!, $prep: Int!) {{
  acceptOrder(orderId: $id, prepMinutes: $prep) {{
    {PROBLEM} ... on KitchenDecision {{ orderId status prepMinutes estimatedReadyAt }}
  }}
}}"""
REJECT = f"""mutation($id: ID!, $reason: String!) {{
  rejectOrder(orderId: $id, reason: $reason) {{
    {PROBLEM} ... on KitchenDecision {{ status reason }}
  }}
}}"""
READY = f"""mutation($id: ID!) {{
  markOrderReady(orderId: $id) {{ {PROBLEM} ... on KitchenDecision {{ status readyAt }} }}
}}"""


class Console(ServedBff):
    """One test restaurant's BFF, served, and the simulated world around it."""

    @property
    def restaurant_id(self) -> str:
        return self.actor_id

    def order(self, restaurant_id: str | None = None) -> Order:
        demo = RESTAURANTS[0]
        return upstream.order_from_menu(
            restaurant_id or self.restaurant_id, demo.restaurant.name, demo.items
        )

    async def subscribe(
        self, query: str = KITCHEN_UPDATES, token: str | None = None
    ) -> ClientConnection:
        return await super().subscribe(query, token)


async def next_update(
    ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool], seconds: float = 30
) -> dict[str, Any]:
    """The first pushed kitchen update that ``wanted`` accepts (earlier ones skipped)."""
    return await next_push(ws, "kitchen", wanted, seconds)


def ticket_is(order_id: str, status: str) -> Callable[[dict[str, Any]], bool]:
    def check(update: dict[str, Any]) -> bool:
        ticket = update.get("ticket") or {}
        return bool(ticket.get("orderId") == order_id and ticket.get("status") == status)

    return check


async def register(db: AsyncDatabase[Document], redis: Redis, restaurant_id: str) -> None:
    """The test restaurant, registered through the BFF's own command (demo menu); the
    write wakes the served BFF's relay over Redis (its service is named after the test's
    database: ``tests.support.served.spec_for_test``), as any other process's write does."""
    locks = DocumentLocks(redis)
    outbox = Outbox(f"{BFF_NAME}-{db.name}", locks=locks, redis=redis)
    commands = RestaurantCommands.create(db, outbox, locks)
    demo = RESTAURANTS[0]
    restaurant = demo.restaurant.model_copy(update={"id": restaurant_id})
    await commands.profile.register_restaurant(restaurant, demo.items)


@pytest.fixture(name="console")
async def console_fixture(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[Console]:
    restaurant_id = upstream.unique("r")
    await register(db, redis, restaurant_id)
    name = RESTAURANTS[0].restaurant.name
    async with serving(SPEC, settings, topic, db, actor_id=restaurant_id, actor_name=name) as bff:
        yield bff.as_(Console)
