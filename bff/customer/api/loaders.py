"""Per-request DataLoaders of the customer's GraphQL layer (never module-level caches)."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from bff.customer.api.context import ShopContext
from bff.customer.tracking import Position, TrackedOrder


async def load_order(info: Info[Any, Any], order_id: str) -> TrackedOrder | None:
    """The signed-in customer's order from the view (None: unknown, or someone else's)."""
    context: ShopContext = info.context
    customer_id = context.customer().id

    async def load(order_ids: list[str]) -> list[TrackedOrder | None]:
        return await context.queries.orders_by_id(customer_id, order_ids)

    return await context.loader("orders", load).load(order_id)


async def load_position(info: Info[Any, Any], order_id: str) -> Position | None:
    """The driver's last position on the customer's order, batched per request."""
    context: ShopContext = info.context
    customer_id = context.customer().id

    async def load(order_ids: list[str]) -> list[Position | None]:
        return await context.queries.positions_by_order(customer_id, order_ids)

    return await context.loader("positions", load).load(order_id)
