"""Per-request DataLoaders of the driver's GraphQL layer (never module-level caches)."""

from __future__ import annotations

import asyncio
from typing import Any

from strawberry.types import Info

from bff.driver.api.context import DriverContext
from bff.driver.offers import DeliveryRecord, Offer


async def load_offer(info: Info[Any, Any], order_id: str) -> Offer | None:
    """The order's offer from the view, whatever its status (None: not offered)."""
    context: DriverContext = info.context

    async def load(order_ids: list[str]) -> list[Offer | None]:
        return list(await asyncio.gather(*(context.queries.offer(i) for i in order_ids)))

    return await context.loader("offers", load).load(order_id)


async def load_delivery(info: Info[Any, Any], order_id: str) -> DeliveryRecord | None:
    """The signed-in driver's delivery of the order (None: unknown, or another driver's)."""
    context: DriverContext = info.context
    driver_id = context.driver().id

    async def load(order_ids: list[str]) -> list[DeliveryRecord | None]:
        return await context.queries.deliveries_by_id(driver_id, order_ids)

    return await context.loader("deliveries", load).load(order_id)
