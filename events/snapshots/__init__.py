"""Full snapshots of the entities that events carry."""

from events.snapshots.driver import Delivery, DeliveryStatus, Driver, DriverPosition, DriverStatus
from events.snapshots.fault import Fault
from events.snapshots.order import Order, OrderItem, OrderStatus
from events.snapshots.restaurant import Menu, MenuItem, MenuView, Restaurant

__all__ = [
    "Delivery",
    "DeliveryStatus",
    "Driver",
    "DriverPosition",
    "DriverStatus",
    "Fault",
    "Menu",
    "MenuItem",
    "MenuView",
    "Order",
    "OrderItem",
    "OrderStatus",
    "Restaurant",
]
