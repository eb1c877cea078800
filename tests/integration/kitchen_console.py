"""The restaurant BFF served for a test, and the simulated world around it: the
``console`` fixture, GraphQL documents the tests share, and waiting for pushed updates."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection

from adapters.hub import EventPublisher
from adapters.settings import Settings
from adapters.store import Document
from bff.kit.app import create_app
from bff.kit.doclock import DocumentLocks
from bff.kit.outbox import Outbox
from bff.kit.spec import BffSpec, Identity
from bff.restaurant.commands import RestaurantCommands
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.listener import KITCHEN
from bff.restaurant.names import BFF_NAME
from bff.restaurant.spec import SPEC
from events import Event, Order
from tests.integration.listening import for_test
from tests.support import upstream
from tests.support.serving import receive, subscribe, token_for, uvicorn_serving

TICKET_FIELDS = "orderId status column customerName itemCount prepMinutes driver { name vehicle }"
KITCHEN_UPDATES = f"subscription {{ kitchen {{ kind eventType ticket {{ {TICKET_FIELDS} }} }} }}"
PROBLEM = "__typename ... on Problem { code message } ... on InvalidInput { field }"
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


@dataclass
class Console:
    """One test restaurant's BFF, served, and the simulated world around it."""

    host: str
    restaurant_id: str
    settings: Settings
    db: AsyncDatabase[Document]
    hub: EventPublisher

    @property
    def token(self) -> str:
        return token_for(self.settings, "restaurant", self.restaurant_id)

    async def gql(self, query: str, token: str | None = "", **variables: Any) -> httpx.Response:
        bearer = self.token if token == "" else token
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        async with httpx.AsyncClient(base_url=f"http://{self.host}") as client:
            return await client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        answer = await self.gql(query, **variables)
        body: dict[str, Any] = answer.json()
        assert answer.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def order(self, restaurant_id: str | None = None) -> Order:
        demo = RESTAURANTS[0]
        return upstream.order_from_menu(
            restaurant_id or self.restaurant_id, demo.restaurant.name, demo.items
        )

    async def publish(self, *events: Event) -> None:
        await self.hub.publish_many(list(events))

    async def subscribe(self, token: str | None = None) -> ClientConnection:
        return await subscribe(self.host, token or self.token, KITCHEN_UPDATES)


async def next_update(
    ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool], seconds: float = 30
) -> dict[str, Any]:
    """The first pushed update that ``wanted`` accepts (earlier ones are skipped)."""
    while True:
        message = await receive(ws, seconds)
        assert message["type"] == "next", message
        update: dict[str, Any] = message["payload"]["data"]["kitchen"]
        if wanted(update):
            return update


def ticket_is(order_id: str, status: str) -> Callable[[dict[str, Any]], bool]:
    def check(update: dict[str, Any]) -> bool:
        ticket = update.get("ticket") or {}
        return bool(ticket.get("orderId") == order_id and ticket.get("status") == status)

    return check


async def register(db: AsyncDatabase[Document], redis: Redis, restaurant_id: str) -> None:
    """The test restaurant, registered through the BFF's own command (demo menu)."""
    locks = DocumentLocks(redis)
    commands = RestaurantCommands.create(db, Outbox(BFF_NAME, locks=locks), locks)
    demo = RESTAURANTS[0]
    restaurant = demo.restaurant.model_copy(update={"id": restaurant_id})
    await commands.profile.register_restaurant(restaurant, demo.items)


def restaurant_spec(db: AsyncDatabase[Document], topic: str, restaurant_id: str) -> BffSpec:
    """The real spec on the test's database and topic; the dev sign-in offers the test
    restaurant."""
    return dataclasses.replace(
        SPEC,
        service=f"restaurant-{db.name}",
        database=db.name,
        listener=for_test(KITCHEN, topic, db),
        identities=[Identity(restaurant_id, RESTAURANTS[0].restaurant.name)],
    )


@pytest.fixture(name="console")
async def console_fixture(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[Console]:
    restaurant_id = upstream.unique("r")
    await register(db, redis, restaurant_id)
    app_settings = settings.model_copy(update={"kafka_topic": topic})
    app = create_app(restaurant_spec(db, topic, restaurant_id), app_settings)
    async with (
        uvicorn_serving(app) as host,
        EventPublisher(settings.kafka_bootstrap, topic) as hub,
    ):
        yield Console(host, restaurant_id, app_settings, db, hub)
