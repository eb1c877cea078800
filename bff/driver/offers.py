"""The driver app's view models: an ``Offer`` (an order waiting for, or taken by, a
driver; from the ``offers`` view), the driver's own state (``DriverState``, from the
``drivers`` entity), a ``DeliveryRecord`` (from the ``deliveries`` entity) and a
``DayOfDeliveries`` (today's deliveries with the earnings).

Documents are stored in camelCase (names.py has their shapes); ``_v`` is the listener's
version (``<timestamp>.<event id>`` of the last event applied to an offer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from events import Address, Delivery, DeliveryStatus, Driver, DriverStatus, GeoPoint, Order
from events.wire import WireModel

#: an offer's status: open (waiting for a driver), taken, picked up, delivered, or gone
#: (the order was cancelled or rejected before anyone took it)
OfferStatus = Literal["open", "taken", "picked-up", "delivered", "gone"]


def version_ms(doc: Mapping[str, Any]) -> int:
    """The timestamp of the last event applied to a view document (from its ``_v``)."""
    return int(str(doc.get("_v", "0.")).split(".")[0] or 0)


class Offer(WireModel):
    """An order a kitchen accepted, as a delivery job: where from, where to, what it pays."""

    order_id: str
    order: Order
    restaurant_id: str
    restaurant_name: str
    customer_id: str
    pickup_address: Address
    drop_off: Address
    estimated_ready_at: int
    accepted_at: int
    fee_cents: int
    currency: str
    status: OfferStatus
    ready: bool = False
    ready_at: int | None = None
    taken_by: str | None = None
    gone_reason: str | None = None
    order_accepted_event_id: str
    correlation_id: str
    #: the timestamp of the last event the view applied to this offer
    last_event_ms: int

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Offer | None:
        """The offer, or None for a document that is no whole offer (no order-accepted
        seen: only a step after it, or a cancel that came first)."""
        if "status" not in doc or "order" not in doc or "pickupAddress" not in doc:
            return None
        return cls.model_validate({**doc, "orderId": doc["_id"], "lastEventMs": version_ms(doc)})


class NearbyOffer(WireModel):
    """An open offer and how far its pickup is from the point asked about."""

    offer: Offer
    distance_km: float


class DeliveryRecord(WireModel):
    """One order a driver took on (the ``deliveries`` entity)."""

    order_id: str
    driver_id: str
    driver_name: str
    vehicle: str
    restaurant_id: str
    customer_id: str
    status: DeliveryStatus
    accepted_at: int
    picked_up_at: int | None = None
    delivered_at: int | None = None
    order: Order
    pickup_address: Address
    drop_off: Address
    earnings_cents: int
    currency: str
    last_event_ms: int
    correlation_id: str
    accepted_event_id: str
    last_event_id: str

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> DeliveryRecord:
        return cls.model_validate({**doc, "orderId": doc["_id"]})

    def to_document(self) -> dict[str, Any]:
        doc = self.model_dump(mode="json", by_alias=True, exclude={"order_id"})
        return {"_id": self.order_id, **doc}

    def snapshot(self) -> Delivery:
        """The delivery as it travels on the wire (accepted_at fixed once)."""
        return Delivery(
            order_id=self.order_id,
            restaurant_id=self.restaurant_id,
            customer_id=self.customer_id,
            driver_id=self.driver_id,
            driver_name=self.driver_name,
            vehicle=self.vehicle,
            status=self.status,
            accepted_at=self.accepted_at,
            picked_up_at=self.picked_up_at,
            delivered_at=self.delivered_at,
        )


class DriverState(WireModel):
    """A driver as the BFF knows them (the ``drivers`` entity)."""

    id: str
    name: str
    vehicle: str
    status: DriverStatus
    location: GeoPoint | None = None
    active_order_id: str | None = None
    last_event_ms: int = 0

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> DriverState:
        return cls.model_validate({**doc, "id": doc["_id"]})

    def snapshot(self) -> Driver:
        return Driver(
            id=self.id,
            name=self.name,
            vehicle=self.vehicle,
            status=self.status,
            location=self.location,
        )


class DriverOverview(WireModel):
    """The driver and the delivery they are on (if any): what the app's home shows."""

    driver: DriverState
    active_delivery: DeliveryRecord | None = None


class DayOfDeliveries(WireModel):
    """A driver's deliveries accepted since ``since`` (oldest first), and what the
    delivered ones earned."""

    since: int
    deliveries: list[DeliveryRecord]
    delivered: int
    earnings_cents: int
    currency: str
