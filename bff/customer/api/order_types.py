"""GraphQL types of the customer's orders (from ``bff.customer.tracking``)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from bff.customer.api.loaders import load_position
from bff.customer.tracking import STEPS, Position, TrackedOrder
from bff.kit.geo import distance_km
from bff.kit.snapshots import OrderLine
from bff.kit.values import Address, EpochMs, GeoPoint, Money, maybe_ms
from events import GeoPoint as WireGeoPoint
from events import Order as WireOrder
from events import OrderCancelled


@strawberry.enum(description="Where an order is in its life.")
class OrderStatus(Enum):
    PLACED = "placed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    READY = "ready"
    PICKED_UP = "picked-up"
    DELIVERED = "delivered"


@strawberry.enum(name="OrderStepName", description="A step an order reached.")
class StepName(Enum):
    PLACED = "placed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    READY = "ready"
    DRIVER_ASSIGNED = "driverAssigned"
    PICKED_UP = "pickedUp"
    DELIVERED = "delivered"


assert {s.value for s in StepName} == set(STEPS)


@strawberry.type(description="A step the order reached, and when.")
class OrderStep:
    step: StepName
    at: EpochMs


@strawberry.type(description="The driver bringing the order.")
class Driver:
    id: strawberry.ID
    name: str
    vehicle: str


@strawberry.type(description="Where the driver is, as last reported.")
class DriverPosition:
    location: GeoPoint
    at: EpochMs = strawberry.field(description="when the driver's phone reported it")
    distance_km: float = strawberry.field(description="straight-line km to the drop-off")

    @classmethod
    def from_view(cls, position: Position, drop_off: WireGeoPoint) -> DriverPosition:
        return cls(
            location=GeoPoint.from_wire(position.location),
            at=EpochMs(position.at),
            distance_km=round(distance_km(position.location, drop_off), 2),
        )


@strawberry.type(description="One of your orders, as it stands now.")
class Order:
    id: strawberry.ID
    restaurant_id: strawberry.ID
    restaurant_name: str
    status: OrderStatus
    items: list[OrderLine]
    subtotal: Money
    delivery_fee: Money
    total: Money
    delivery_address: Address
    note: str | None
    placed_at: EpochMs
    prep_minutes: int | None
    estimated_ready_at: EpochMs | None = strawberry.field(
        description="when the kitchen expects the food to be ready"
    )
    pickup_address: Address | None
    reject_reason: str | None
    cancel_reason: str | None
    driver: Driver | None
    timeline: list[OrderStep] = strawberry.field(description="the steps reached, oldest first")
    can_cancel: bool = strawberry.field(description="true while the kitchen has not decided")
    updated_at: EpochMs = strawberry.field(description="when the last event happened")
    tracked: strawberry.Private[bool]
    drop_off: strawberry.Private[WireGeoPoint]

    @strawberry.field(description="The driver's last position while the order is on its way.")
    async def driver_position(self, info: Info[Any, None]) -> DriverPosition | None:
        if not self.tracked or self.driver is None:
            return None
        position = await load_position(info, str(self.id))
        return DriverPosition.from_view(position, self.drop_off) if position else None

    @classmethod
    def from_view(cls, tracked: TrackedOrder) -> Order:
        order, driver = tracked.order, tracked.driver
        return cls(
            **_snapshot_fields(order),
            status=OrderStatus(tracked.status),
            prep_minutes=tracked.prep_minutes,
            estimated_ready_at=maybe_ms(tracked.estimated_ready_at),
            pickup_address=Address.from_wire(tracked.pickup_address)
            if tracked.pickup_address
            else None,
            reject_reason=tracked.reject_reason,
            cancel_reason=tracked.cancel_reason,
            driver=Driver(id=strawberry.ID(driver.id), name=driver.name, vehicle=driver.vehicle)
            if driver
            else None,
            timeline=[
                OrderStep(step=StepName(step), at=EpochMs(at)) for step, at in tracked.timeline()
            ],
            can_cancel=tracked.can_cancel,
            updated_at=EpochMs(tracked.last_event_ms or tracked.placed_at),
            tracked=tracked.is_tracked,
        )

    @classmethod
    def just_placed(cls, order: WireOrder) -> Order:
        """An order the command placed a moment ago (before the view has it)."""
        return cls(
            **_snapshot_fields(order),
            status=OrderStatus.PLACED,
            prep_minutes=None,
            estimated_ready_at=None,
            pickup_address=None,
            reject_reason=None,
            cancel_reason=None,
            driver=None,
            timeline=[OrderStep(step=StepName.PLACED, at=EpochMs(order.placed_at))],
            can_cancel=True,
            updated_at=EpochMs(order.placed_at),
            tracked=False,
        )

    @classmethod
    def just_cancelled(cls, event: OrderCancelled) -> Order:
        """An order the command cancelled a moment ago (before the view has it)."""
        order = event.order
        placed = OrderStep(step=StepName.PLACED, at=EpochMs(order.placed_at))
        return cls(
            **_snapshot_fields(order),
            status=OrderStatus.CANCELLED,
            prep_minutes=None,
            estimated_ready_at=None,
            pickup_address=None,
            reject_reason=None,
            cancel_reason=event.reason,
            driver=None,
            timeline=[placed, OrderStep(step=StepName.CANCELLED, at=EpochMs(event.timestamp))],
            can_cancel=False,
            updated_at=EpochMs(event.timestamp),
            tracked=False,
        )


def _snapshot_fields(order: WireOrder) -> dict[str, Any]:
    return {
        "id": strawberry.ID(order.id),
        "restaurant_id": strawberry.ID(order.restaurant_id),
        "restaurant_name": order.restaurant_name,
        "items": [OrderLine.from_wire(item) for item in order.items],
        "subtotal": Money.from_wire(order.subtotal),
        "delivery_fee": Money.from_wire(order.delivery_fee),
        "total": Money.from_wire(order.total),
        "delivery_address": Address.from_wire(order.delivery_address),
        "note": order.note,
        "placed_at": EpochMs(order.placed_at),
        "drop_off": order.delivery_address.location,
    }


@strawberry.type(description="A page of your orders, newest first.")
class OrderPage:
    items: list[Order]
    next_cursor: str | None = strawberry.field(description="pass as `after` for the next page")
