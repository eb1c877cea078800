"""The driver app's subscriptions.

- ``offers``: offers opening, becoming ready, being taken or withdrawn
  (``drivers:available``: the listener's offer writes, and the accept mutation's word
  that an order was taken, which arrives before the listener has seen the event). Only
  pushed while the driver is available: each message re-reads the driver's status, so
  going offline or taking a delivery stops the offers at once, and going online again
  resumes them (refetch ``offers`` then).
- ``shift``: everything about the driver (``driver:<id>``): their status changing (from
  any of their devices), their delivery's steps, the kitchen marking it ready.

``RESYNC`` means updates may have been lost (Redis reconnected, or the store was
unavailable when an update was read): refetch.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from bff.driver.api.context import DriverContext
from bff.driver.api.deliveries import point_of
from bff.driver.api.loaders import load_delivery
from bff.driver.api.shift import me
from bff.driver.api.types import DeliveryType, Me, OfferType
from bff.driver.names import AVAILABLE_SCOPE, DRIVERS, scope
from bff.kit.permissions import IsAuthenticated
from bff.kit.values import GeoPointInput
from events import GeoPoint as WireGeoPoint


@strawberry.enum(description="What changed.")
class UpdateKind(Enum):
    OPEN = "open"
    CLOSED = "closed"
    DRIVER = "driver"
    DELIVERY = "delivery"
    RESYNC = "resync"


@strawberry.type(description="An offer changed: OPEN (show or update it) or CLOSED (drop it).")
class OfferUpdate:
    kind: UpdateKind
    event_type: str | None
    order_id: strawberry.ID | None
    offer: OfferType | None = strawberry.field(description="the offer as it is now (OPEN)")


@strawberry.type(description="You or your delivery changed, pushed live.")
class ShiftUpdate:
    kind: UpdateKind
    event_type: str | None
    me: Me | None = strawberry.field(description="you, as you are now")
    delivery: DeliveryType | None = strawberry.field(description="the delivery that changed")


@strawberry.type(name="Subscription")
class DriverSubscription:
    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def offers(
        self, info: Info[DriverContext, None], near: GeoPointInput | None = None
    ) -> AsyncGenerator[OfferUpdate, None]:
        """Offers changing, while you are available; distances from `near`, else from
        your last location."""
        driver_id = info.context.driver().id
        point = point_of(near)
        # updates: a message unreadable while the store is down becomes a RESYNC
        async for update in info.context.live.updates(
            AVAILABLE_SCOPE, lambda message: offer_update(info, driver_id, point, message)
        ):
            if update is not None:
                yield update

    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def shift(self, info: Info[DriverContext, None]) -> AsyncGenerator[ShiftUpdate, None]:
        """You and your deliveries changing (status, the kitchen's ready, each step)."""
        driver_id = info.context.driver().id
        async for update in info.context.live.updates(
            scope(driver_id), lambda message: shift_update(info, message)
        ):
            yield update


def _event_type(message: Mapping[str, Any]) -> str | None:
    value = message.get("type")
    return value if isinstance(value, str) else None


async def offer_update(
    info: Info[DriverContext, Any],
    driver_id: str,
    near: WireGeoPoint | None,
    message: Mapping[str, Any],
) -> OfferUpdate | None:
    if message.get("type") == "resync":
        return OfferUpdate(kind=UpdateKind.RESYNC, event_type=None, order_id=None, offer=None)
    order_id = message.get("id")
    if not isinstance(order_id, str):
        return None
    queries = info.context.queries
    found = await queries.driver(driver_id)
    if found is None or found.driver.status != "available":
        return None  # offline or delivering: no offers
    offer = await queries.offer(order_id)
    if offer is None:  # not a whole offer yet
        return None
    event_type, oid = _event_type(message), strawberry.ID(order_id)
    if not offer.is_open or await queries.taken_by(order_id) is not None:
        return OfferUpdate(kind=UpdateKind.CLOSED, event_type=event_type, order_id=oid, offer=None)
    here = near or found.driver.location
    return OfferUpdate(
        kind=UpdateKind.OPEN,
        event_type=event_type,
        order_id=oid,
        offer=OfferType.from_view(offer, here),
    )


async def shift_update(info: Info[DriverContext, Any], message: Mapping[str, Any]) -> ShiftUpdate:
    if message.get("type") == "resync":
        return ShiftUpdate(kind=UpdateKind.RESYNC, event_type=None, me=None, delivery=None)
    # the API's own word names the order as orderId; the listener's writes are offers
    order_id = message.get("orderId") if message.get("view") == DRIVERS else message.get("id")
    record = await load_delivery(info, order_id) if isinstance(order_id, str) else None
    delivery = await DeliveryType.build(info, record) if record is not None else None
    kind = UpdateKind.DELIVERY if delivery is not None else UpdateKind.DRIVER
    return ShiftUpdate(
        kind=kind, event_type=_event_type(message), me=await me(info), delivery=delivery
    )
