"""Facts about an order's delivery; partitionKey is the ORDER id, like every order fact.

Keying deliveries by order id puts them in the order's partition, so consumers see
order-ready, delivery-accepted, order-picked-up and order-delivered in one sequence.
"""

from __future__ import annotations

from typing import Literal

from events.envelope import Event
from events.snapshots import Delivery


class DeliveryAccepted(Event):
    """A driver took on an order's delivery."""

    key_path = "delivery.order_id"
    required_state = ("delivery.status", "accepted")
    type: Literal["delivery-accepted"]
    delivery: Delivery


class OrderPickedUp(Event):
    """The driver collected the order at the restaurant."""

    key_path = "delivery.order_id"
    required_state = ("delivery.status", "picked-up")
    type: Literal["order-picked-up"]
    delivery: Delivery


class OrderDelivered(Event):
    """The driver handed the order to the customer."""

    key_path = "delivery.order_id"
    required_state = ("delivery.status", "delivered")
    type: Literal["order-delivered"]
    delivery: Delivery
