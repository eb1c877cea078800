"""Per-request DataLoaders of the restaurant's GraphQL layer (never module-level caches)."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from bff.restaurant.api.context import KitchenContext
from bff.restaurant.tickets import Ticket


async def load_ticket(info: Info[Any, Any], order_id: str) -> Ticket | None:
    """The signed-in restaurant's ticket, batched with the request's other ticket reads."""
    context: KitchenContext = info.context
    restaurant_id = context.restaurant_id()

    async def load(order_ids: list[str]) -> list[Ticket | None]:
        return await context.queries.tickets_by_id(restaurant_id, order_ids)

    return await context.loader("tickets", load).load(order_id)
