"""The customer BFF served for a test, with one simulated restaurant on the hub: the
``shop`` fixture, GraphQL documents the customer tests share, waiting for pushes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from websockets.asyncio.client import ClientConnection

from adapters.settings import Settings
from adapters.store import Document
from bff.customer.demo import CUSTOMERS
from bff.customer.spec import SPEC
from bff.restaurant.demo import RESTAURANTS
from events import Order, Restaurant
from tests.integration.listening import wait_for
from tests.support import upstream
from tests.support.served import PROBLEM, ServedBff, next_push, serving

ORDER_FIELDS = """id status canCancel restaurantName total { amount } deliveryFee { amount }
  estimatedReadyAt rejectReason cancelReason driver { name vehicle } timeline { step at }
  driverPosition { distanceKm location { lat lng } }"""
MY_ORDERS = f"subscription {{ myOrders {{ kind eventType order {{ {ORDER_FIELDS} }} }} }}"
PLACE = f"""mutation($order: PlaceOrderInput!) {{
  placeOrder(order: $order) {{ {PROBLEM} ... on Order {{ {ORDER_FIELDS} }} }}
}}"""
CANCEL = f"""mutation($id: ID!, $reason: String!) {{
  cancelOrder(id: $id, reason: $reason) {{ {PROBLEM} ... on Order {{ {ORDER_FIELDS} }} }}
}}"""
ORDER = f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"
HOME = CUSTOMERS[0].home
MARGHERITA, DIAVOLA = RESTAURANTS[0].items[0].id, RESTAURANTS[0].items[1].id


class Shop(ServedBff):
    """One test customer's BFF, with a simulated restaurant ``restaurant`` on the hub."""

    restaurant: Restaurant

    @property
    def customer_id(self) -> str:
        return self.actor_id

    def cart(self, *lines: tuple[str, int], **changes: Any) -> dict[str, Any]:
        """A PlaceOrderInput for the test restaurant, delivered to Lena's home."""
        address = {
            "line1": HOME.line1,
            "city": HOME.city,
            "postcode": HOME.postcode,
            "lat": HOME.location.lat,
            "lng": HOME.location.lng,
        }
        return {
            "restaurantId": self.restaurant.id,
            "items": [{"menuItemId": item, "quantity": n} for item, n in lines],
            "deliveryAddress": address,
            **changes,
        }

    async def place(self, *lines: tuple[str, int], **changes: Any) -> dict[str, Any]:
        placed = await self.data(PLACE, order=self.cart(*lines, **changes))
        result: dict[str, Any] = placed["placeOrder"]
        return result

    async def order_snapshot(self, order_id: str) -> Order:
        """The order as this BFF recorded it (to simulate the other services' events)."""
        doc = await self.db["orders"].find_one({"_id": order_id})
        assert doc is not None
        return Order.model_validate(doc["order"])

    async def subscribe_orders(self, token: str | None = None) -> ClientConnection:
        return await self.subscribe(MY_ORDERS, token)


async def next_order_update(
    ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool], seconds: float = 30
) -> dict[str, Any]:
    return await next_push(ws, "myOrders", wanted, seconds)


def order_is(order_id: str, status: str) -> Callable[[dict[str, Any]], bool]:
    def check(update: dict[str, Any]) -> bool:
        order = update.get("order") or {}
        return bool(order.get("id") == order_id and order.get("status") == status)

    return check


@asynccontextmanager
async def open_shop(
    settings: Settings, topic: str, db: AsyncDatabase[Document], customer_id: str, name: str
) -> AsyncIterator[Shop]:
    """The customer BFF served for ``customer_id``, with a simulated restaurant listed."""
    async with serving(SPEC, settings, topic, db, actor_id=customer_id, actor_name=name) as bff:
        shop = bff.as_(Shop)
        demo = RESTAURANTS[0]
        shop.restaurant = demo.restaurant.model_copy(update={"id": upstream.unique("r")})
        await shop.publish(
            upstream.restaurant_updated(shop.restaurant),
            upstream.menu_updated(shop.restaurant.id, demo.items),
        )

        async def listed() -> bool:
            found = await shop.data(
                "query($id: ID!) { restaurant(id: $id) { menu { category } } }",
                id=shop.restaurant.id,
            )
            return bool(found["restaurant"] and found["restaurant"]["menu"])

        await wait_for("the simulated restaurant in the catalog", listed, 30)
        yield shop


@pytest.fixture(name="shop")
async def shop_fixture(
    settings: Settings, topic: str, db: AsyncDatabase[Document]
) -> AsyncIterator[Shop]:
    """A new customer (no address yet) and one simulated restaurant."""
    async with open_shop(settings, topic, db, upstream.unique("c"), CUSTOMERS[0].name) as shop:
        yield shop
