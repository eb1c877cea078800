"""Snapshots of a driver, the driver's live position, and a delivery the driver took on."""

from __future__ import annotations

from typing import Literal

from events.values import GeoPoint
from events.wire import EpochMs, Id, Text, WireModel

DriverStatus = Literal["offline", "available", "busy"]
DeliveryStatus = Literal["accepted", "picked-up", "delivered"]


class Driver(WireModel):
    id: Id
    name: Text
    vehicle: Text
    status: DriverStatus
    location: GeoPoint | None = None


class DriverPosition(WireModel):
    driver_id: Id
    location: GeoPoint
    order_id: str | None = None


class Delivery(WireModel):
    """One order's trip from restaurant to customer; keyed by the order id."""

    order_id: Id
    restaurant_id: Id
    customer_id: Id
    driver_id: Id
    driver_name: Text
    vehicle: Text
    status: DeliveryStatus
    accepted_at: EpochMs
    picked_up_at: EpochMs | None = None
    delivered_at: EpochMs | None = None
