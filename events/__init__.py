"""Event contracts: the envelope, Catalog v1, and reading/writing events on the wire.

Producers record facts with ``<EventClass>.record(<snapshot>=..., source=..., actor=...)``
and send ``to_wire(event)``; consumers call ``parse_event(data)``.
"""

from events.catalog import (
    EVENT_TYPES,
    AnyEvent,
    DeliveryAccepted,
    DriverLocationChanged,
    DriverStatusChanged,
    FaultReported,
    MenuUpdated,
    MenuViewed,
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderPickedUp,
    OrderPlaced,
    OrderReady,
    OrderRejected,
    RestaurantClosed,
    RestaurantOpened,
    RestaurantUpdated,
)
from events.codec import parse_event, to_dict, to_wire
from events.envelope import Event, Tags
from events.errors import InvalidEvent, UnknownEventType
from events.snapshots import (
    Delivery,
    DeliveryStatus,
    Driver,
    DriverPosition,
    DriverStatus,
    Fault,
    Menu,
    MenuItem,
    MenuView,
    Order,
    OrderItem,
    OrderStatus,
    Restaurant,
)
from events.values import Address, GeoPoint, Money

__all__ = [
    "EVENT_TYPES",
    "Address",
    "AnyEvent",
    "Delivery",
    "DeliveryAccepted",
    "DeliveryStatus",
    "Driver",
    "DriverLocationChanged",
    "DriverPosition",
    "DriverStatus",
    "DriverStatusChanged",
    "Event",
    "Fault",
    "FaultReported",
    "GeoPoint",
    "InvalidEvent",
    "Menu",
    "MenuItem",
    "MenuUpdated",
    "MenuView",
    "MenuViewed",
    "Money",
    "Order",
    "OrderAccepted",
    "OrderCancelled",
    "OrderDelivered",
    "OrderItem",
    "OrderPickedUp",
    "OrderPlaced",
    "OrderReady",
    "OrderRejected",
    "OrderStatus",
    "Restaurant",
    "RestaurantClosed",
    "RestaurantOpened",
    "RestaurantUpdated",
    "Tags",
    "UnknownEventType",
    "parse_event",
    "to_dict",
    "to_wire",
]
