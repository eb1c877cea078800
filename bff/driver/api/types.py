"""GraphQL types of the driver's app: the driver, an offer, a delivery, the day."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from bff.driver.api.loaders import load_delivery, load_offer
from bff.driver.demo import vehicle_of
from bff.driver.offers import DayOfDeliveries, DeliveryRecord, DriverState, Offer
from bff.kit.geo import distance_km
from bff.kit.snapshots import OrderLine
from bff.kit.values import Address, EpochMs, GeoPoint, Money, maybe_ms
from events import GeoPoint as WireGeoPoint
from events import Order as WireOrder


@strawberry.enum(description="Whether the driver gets offers.")
class DriverStatus(Enum):
    OFFLINE = "offline"
    AVAILABLE = "available"
    BUSY = "busy"


@strawberry.enum(description="What the driver delivers with.")
class Vehicle(Enum):
    BICYCLE = "bicycle"
    SCOOTER = "scooter"
    CAR = "car"


@strawberry.enum(description="Where a delivery is.")
class DeliveryStatus(Enum):
    ACCEPTED = "accepted"
    PICKED_UP = "picked-up"
    DELIVERED = "delivered"


@strawberry.enum(description="Where an offer is: open to every available driver, or not.")
class OfferStatus(Enum):
    OPEN = "open"
    TAKEN = "taken"
    PICKED_UP = "picked-up"
    DELIVERED = "delivered"
    GONE = "gone"


def _trip_km(order: WireOrder, pickup: WireGeoPoint) -> float:
    return round(distance_km(pickup, order.delivery_address.location), 2)


def _item_count(order: WireOrder) -> int:
    return sum(item.quantity for item in order.items)


@strawberry.type(name="Offer", description="An order a kitchen accepted, as a delivery job.")
class OfferType:
    id: strawberry.ID = strawberry.field(description="the order's id")
    restaurant_id: strawberry.ID
    restaurant_name: str
    pickup_address: Address
    drop_off: Address
    items: list[OrderLine]
    item_count: int
    estimated_ready_at: EpochMs = strawberry.field(description="when the food should be ready")
    accepted_at: EpochMs = strawberry.field(description="when the kitchen accepted the order")
    fee: Money = strawberry.field(description="what delivering it earns")
    status: OfferStatus
    ready: bool = strawberry.field(description="the kitchen marked the food ready")
    ready_at: EpochMs | None
    gone_reason: str | None = strawberry.field(description="why the offer was withdrawn")
    distance_km: float | None = strawberry.field(
        description="straight-line km from you to the pickup (null: your location is unknown)"
    )
    trip_km: float = strawberry.field(description="straight-line km from pickup to drop-off")

    @classmethod
    def from_view(cls, offer: Offer, near: WireGeoPoint | None) -> OfferType:
        pickup = offer.pickup_address.location
        return cls(
            id=strawberry.ID(offer.order_id),
            restaurant_id=strawberry.ID(offer.restaurant_id),
            restaurant_name=offer.restaurant_name,
            pickup_address=Address.from_wire(offer.pickup_address),
            drop_off=Address.from_wire(offer.drop_off),
            items=[OrderLine.from_wire(i) for i in offer.order.items],
            item_count=_item_count(offer.order),
            estimated_ready_at=EpochMs(offer.estimated_ready_at),
            accepted_at=EpochMs(offer.accepted_at),
            fee=Money(amount=offer.fee_cents, currency=offer.currency),
            status=OfferStatus(offer.status),
            ready=offer.ready,
            ready_at=maybe_ms(offer.ready_at),
            gone_reason=offer.gone_reason,
            distance_km=round(distance_km(near, pickup), 2) if near is not None else None,
            trip_km=_trip_km(offer.order, pickup),
        )


@strawberry.type(name="Delivery", description="An order you took on, from pickup to drop-off.")
class DeliveryType:
    id: strawberry.ID = strawberry.field(description="the order's id")
    status: DeliveryStatus
    restaurant_id: strawberry.ID
    restaurant_name: str
    customer_name: str
    pickup_address: Address
    drop_off: Address
    items: list[OrderLine]
    item_count: int
    note: str | None = strawberry.field(description="the customer's note")
    earnings: Money = strawberry.field(description="what this delivery earns")
    accepted_at: EpochMs
    picked_up_at: EpochMs | None
    delivered_at: EpochMs | None
    trip_km: float = strawberry.field(description="straight-line km from pickup to drop-off")
    ready: bool = strawberry.field(description="the kitchen marked the food ready")
    ready_at: EpochMs | None
    estimated_ready_at: EpochMs | None = strawberry.field(
        description="when the kitchen expects the food to be ready"
    )
    can_pick_up: bool = strawberry.field(description="accepted, and the food is ready")
    can_deliver: bool = strawberry.field(description="picked up, not delivered yet")

    @classmethod
    async def build(cls, info: Info[Any, Any], delivery: DeliveryRecord) -> DeliveryType:
        """The delivery, with the kitchen's progress from the offers view."""
        offer = await load_offer(info, delivery.order_id)
        ready = offer is not None and offer.ready
        order = delivery.order
        return cls(
            id=strawberry.ID(delivery.order_id),
            status=DeliveryStatus(delivery.status),
            restaurant_id=strawberry.ID(delivery.restaurant_id),
            restaurant_name=order.restaurant_name,
            customer_name=order.customer_name,
            pickup_address=Address.from_wire(delivery.pickup_address),
            drop_off=Address.from_wire(delivery.drop_off),
            items=[OrderLine.from_wire(i) for i in order.items],
            item_count=_item_count(order),
            note=order.note,
            earnings=Money(amount=delivery.earnings_cents, currency=delivery.currency),
            accepted_at=EpochMs(delivery.accepted_at),
            picked_up_at=maybe_ms(delivery.picked_up_at),
            delivered_at=maybe_ms(delivery.delivered_at),
            trip_km=_trip_km(order, delivery.pickup_address.location),
            ready=ready,
            ready_at=maybe_ms(offer.ready_at) if offer is not None else None,
            estimated_ready_at=maybe_ms(offer.estimated_ready_at) if offer is not None else None,
            can_pick_up=delivery.status == "accepted" and ready,
            can_deliver=delivery.status == "picked-up",
        )


@strawberry.type(description="You, the signed-in driver, and the delivery you are on.")
class Me:
    id: strawberry.ID
    name: str
    status: DriverStatus
    vehicle: Vehicle | None = strawberry.field(description="null: choose one to go online")
    location: GeoPoint | None = strawberry.field(description="last shared location (online)")
    active_delivery: DeliveryType | None

    @classmethod
    async def build(
        cls, info: Info[Any, Any], driver_id: str, name: str, state: DriverState | None
    ) -> Me:
        """The driver as the ``drivers`` entity holds them (None: never online yet)."""
        if state is None:
            vehicle = vehicle_of(driver_id)
            return cls(
                id=strawberry.ID(driver_id),
                name=name,
                status=DriverStatus.OFFLINE,
                vehicle=Vehicle(vehicle) if vehicle else None,
                location=None,
                active_delivery=None,
            )
        active = None
        if state.active_order_id is not None:
            record = await load_delivery(info, state.active_order_id)
            active = await DeliveryType.build(info, record) if record is not None else None
        return cls(
            id=strawberry.ID(state.id),
            name=state.name,
            status=DriverStatus(state.status),
            vehicle=Vehicle(state.vehicle),
            location=GeoPoint.from_wire(state.location) if state.location else None,
            active_delivery=active,
        )


@strawberry.type(description="Your deliveries since local midnight, and what they earned.")
class Today:
    since: EpochMs
    deliveries: list[DeliveryType] = strawberry.field(description="oldest first")
    delivered: int = strawberry.field(description="how many you delivered")
    earnings: Money = strawberry.field(description="what the delivered ones earned")

    @classmethod
    async def build(cls, info: Info[Any, Any], day: DayOfDeliveries) -> Today:
        return cls(
            since=EpochMs(day.since),
            deliveries=list(
                await asyncio.gather(*(DeliveryType.build(info, d) for d in day.deliveries))
            ),
            delivered=day.delivered,
            earnings=Money(amount=day.earnings_cents, currency=day.currency),
        )
