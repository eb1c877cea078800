"""Offers and deliveries: the open offers near you, taking one, picking it up once the
kitchen marked it ready, delivering it, and the day's deliveries with their earnings.

Only an available driver (online, not delivering) sees open offers; a delivery is only
ever read or moved by the driver who took it.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from bff.driver.api.context import DriverContext
from bff.driver.api.loaders import load_delivery, load_offer
from bff.driver.api.types import DeliveryType, OfferType, Today
from bff.driver.offers import DeliveryRecord
from bff.driver.queries import MAX_LIMIT
from bff.kit import problems
from bff.kit.outcomes import attempt
from bff.kit.permissions import IsAuthenticated
from bff.kit.values import GeoPointInput
from events import GeoPoint as WireGeoPoint

Driving = Info[DriverContext, None]
GUARDED: list[type[BasePermission]] = [IsAuthenticated]

DeliveryResult = Annotated[
    DeliveryType
    | problems.NotFound
    | problems.NotAllowed
    | problems.Conflict
    | problems.InvalidInput,
    strawberry.union("DeliveryResult"),
]


def point_of(near: GeoPointInput | None) -> WireGeoPoint | None:
    if near is None:
        return None
    try:
        return WireGeoPoint.model_validate(near.to_wire_fields())
    except ValueError:
        raise problems.ExpectedError("near: not a point on the map") from None


@strawberry.type
class DeliveriesQuery:
    @strawberry.field(
        permission_classes=GUARDED,
        description=(
            f"Open offers, nearest pickup first, `first` (1-{MAX_LIMIT}) of them; measured "
            "from `near`, else from your last location. Empty unless you are available."
        ),
    )
    async def offers(
        self, info: Driving, first: int = 20, near: GeoPointInput | None = None
    ) -> list[OfferType]:
        driver = info.context.driver()
        point = point_of(near)
        if not 1 <= first <= MAX_LIMIT:
            raise problems.ExpectedError(f"first must be 1 to {MAX_LIMIT}")
        found = await info.context.queries.driver(driver.id)
        if found is None or found.driver.status != "available":
            return []
        here = point or found.driver.location
        if here is None:  # pragma: no cover (an available driver always has a location)
            return []
        nearby = await info.context.queries.open_offers(here, limit=first)
        return [OfferType.from_view(n.offer, here) for n in nearby]

    @strawberry.field(
        permission_classes=GUARDED,
        description="One offer: an open one, or one you took (null otherwise).",
    )
    async def offer(self, info: Driving, id: strawberry.ID) -> OfferType | None:
        driver = info.context.driver()
        offer = await load_offer(info, str(id))
        if offer is None or not (offer.is_open or offer.taken_by == driver.id):
            return None
        found = await info.context.queries.driver(driver.id)
        here = found.driver.location if found is not None else None
        return OfferType.from_view(offer, here)

    @strawberry.field(permission_classes=GUARDED, description="One of your deliveries.")
    async def delivery(self, info: Driving, id: strawberry.ID) -> DeliveryType | None:
        record = await load_delivery(info, str(id))
        return await DeliveryType.build(info, record) if record is not None else None

    @strawberry.field(
        permission_classes=GUARDED,
        description="Your deliveries since local midnight, and what they earned.",
    )
    async def today(self, info: Driving) -> Today:
        driver = info.context.driver()
        return await Today.build(info, await info.context.queries.deliveries_today(driver.id))


@strawberry.type
class DeliveriesMutation:
    @strawberry.mutation(
        permission_classes=GUARDED,
        description="Take an open offer. Exactly one driver wins: the others get TAKEN.",
    )
    async def accept_delivery(self, info: Driving, order_id: strawberry.ID) -> DeliveryResult:
        command = info.context.commands.accept_delivery(info.context.driver(), str(order_id))
        result = await _moved(info, command, "delivery-accepted")
        if isinstance(result, DeliveryType):
            await info.context.tell_available(str(order_id), "delivery-accepted")
        return result

    @strawberry.mutation(
        permission_classes=GUARDED,
        description="You collected the order (once the kitchen marked it ready).",
    )
    async def mark_picked_up(self, info: Driving, order_id: strawberry.ID) -> DeliveryResult:
        command = info.context.commands.mark_picked_up(info.context.driver(), str(order_id))
        return await _moved(info, command, "order-picked-up")

    @strawberry.mutation(
        permission_classes=GUARDED,
        description="You handed the order to the customer: you are available again.",
    )
    async def mark_delivered(self, info: Driving, order_id: strawberry.ID) -> DeliveryResult:
        command = info.context.commands.mark_delivered(info.context.driver(), str(order_id))
        return await _moved(info, command, "order-delivered")


async def _moved(
    info: Driving, command: Awaitable[DeliveryRecord], event_type: str
) -> DeliveryResult:
    record = await attempt(command)
    if not isinstance(record, DeliveryRecord):
        return record
    await info.context.tell_driver(event_type, record.order_id)
    return await DeliveryType.build(info, record)
