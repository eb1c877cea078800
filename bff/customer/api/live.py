"""The app's subscriptions.

- ``myOrders``: the signed-in customer's orders as they change (``customer:<id>``: the
  listener's writes to ``orders_view`` and ``positions``), each with the order as the view
  holds it now.
- ``catalog``: restaurants opening, closing, changing their menus (``customers:catalog``),
  each with the restaurant as the view holds it now.

``RESYNC`` means updates may have been lost (Redis reconnected, or the store was
unavailable when an update was read): refetch.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from bff.customer.api.catalog_types import Restaurant
from bff.customer.api.context import ShopContext
from bff.customer.api.loaders import load_order
from bff.customer.api.order_types import Order
from bff.customer.names import CATALOG_SCOPE, MENUS, ORDERS_VIEW, POSITIONS, RESTAURANTS, scope
from bff.kit.permissions import IsAuthenticated


@strawberry.enum(description="What changed.")
class UpdateKind(Enum):
    ORDER = "order"
    POSITION = "position"
    RESTAURANT = "restaurant"
    RESYNC = "resync"


@strawberry.type(description="A change to one of your orders, pushed live.")
class OrderUpdate:
    kind: UpdateKind
    event_type: str | None
    order: Order | None


@strawberry.type(description="A change to a restaurant or its menu, pushed live.")
class CatalogUpdate:
    kind: UpdateKind
    event_type: str | None
    restaurant: Restaurant | None


@strawberry.type(name="Subscription")
class ShopSubscription:
    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def my_orders(self, info: Info[ShopContext, None]) -> AsyncGenerator[OrderUpdate, None]:
        """Live changes to your orders (status, driver, the driver's position)."""
        customer_id = info.context.customer().id
        # updates: a message unreadable while the store is down becomes a RESYNC
        async for update in info.context.live.updates(
            scope(customer_id), lambda message: order_update(info, message)
        ):
            if update is not None:
                yield update

    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def catalog(self, info: Info[ShopContext, None]) -> AsyncGenerator[CatalogUpdate, None]:
        """Live changes to the restaurants and their menus."""
        info.context.customer()
        async for update in info.context.live.updates(
            CATALOG_SCOPE, lambda message: catalog_update(info, message)
        ):
            if update is not None:
                yield update


def _event_type(message: Mapping[str, Any]) -> str | None:
    value = message.get("type")
    return value if isinstance(value, str) else None


async def order_update(info: Info[Any, Any], message: Mapping[str, Any]) -> OrderUpdate | None:
    if message.get("type") == "resync":
        return OrderUpdate(kind=UpdateKind.RESYNC, event_type=None, order=None)
    kind = {ORDERS_VIEW: UpdateKind.ORDER, POSITIONS: UpdateKind.POSITION}.get(
        str(message.get("view"))
    )
    order_id = message.get("id")
    if kind is None or not isinstance(order_id, str):
        return None
    found = await load_order(info, order_id)
    if found is None:  # not a whole order yet, or not this customer's
        return None
    return OrderUpdate(kind=kind, event_type=_event_type(message), order=Order.from_view(found))


async def catalog_update(
    info: Info[ShopContext, Any], message: Mapping[str, Any]
) -> CatalogUpdate | None:
    if message.get("type") == "resync":
        return CatalogUpdate(kind=UpdateKind.RESYNC, event_type=None, restaurant=None)
    restaurant_id = message.get("id")
    if str(message.get("view")) not in (RESTAURANTS, MENUS) or not isinstance(restaurant_id, str):
        return None
    found = await info.context.queries.restaurant(restaurant_id)
    if found is None:
        return None
    return CatalogUpdate(
        kind=UpdateKind.RESTAURANT,
        event_type=_event_type(message),
        restaurant=Restaurant.from_view(found),
    )
