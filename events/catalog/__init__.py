"""Catalog v1: every event type, a registry by type string, and a discriminated union."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field

from events.catalog.delivery import DeliveryAccepted, OrderDelivered, OrderPickedUp
from events.catalog.driver import DriverLocationChanged, DriverStatusChanged
from events.catalog.fault import FaultReported
from events.catalog.order import (
    OrderAccepted,
    OrderCancelled,
    OrderPlaced,
    OrderReady,
    OrderRejected,
)
from events.catalog.restaurant import (
    MenuUpdated,
    MenuViewed,
    RestaurantClosed,
    RestaurantOpened,
    RestaurantUpdated,
)
from events.envelope import Event

AnyEvent = Annotated[
    RestaurantUpdated
    | RestaurantOpened
    | RestaurantClosed
    | MenuUpdated
    | MenuViewed
    | OrderPlaced
    | OrderCancelled
    | OrderAccepted
    | OrderRejected
    | OrderReady
    | DriverStatusChanged
    | DriverLocationChanged
    | DeliveryAccepted
    | OrderPickedUp
    | OrderDelivered
    | FaultReported,
    Field(discriminator="type"),
]

#: event type string -> model class
EVENT_TYPES: dict[str, type[Event]] = {
    cls.event_type(): cls for cls in get_args(get_args(AnyEvent)[0])
}

__all__ = [
    "EVENT_TYPES",
    "AnyEvent",
    "DeliveryAccepted",
    "DriverLocationChanged",
    "DriverStatusChanged",
    "FaultReported",
    "MenuUpdated",
    "MenuViewed",
    "OrderAccepted",
    "OrderCancelled",
    "OrderDelivered",
    "OrderPickedUp",
    "OrderPlaced",
    "OrderReady",
    "OrderRejected",
    "RestaurantClosed",
    "RestaurantOpened",
    "RestaurantUpdated",
]
