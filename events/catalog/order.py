"""Facts about an order's life in the kitchen; partitionKey is the order id.

Of order-accepted, order-rejected and order-cancelled, the first in the order's partition
wins; every view applies that same rule.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from events.envelope import Event
from events.snapshots import Order
from events.values import Address
from events.wire import EpochMs, Text


class OrderPlaced(Event):
    """A customer placed an order; order.status is "placed"."""

    key_path = "order.id"
    required_state = ("order.status", "placed")
    type: Literal["order-placed"]
    order: Order


class OrderCancelled(Event):
    """A customer cancelled an order before the kitchen accepted it."""

    key_path = "order.id"
    required_state = ("order.status", "cancelled")
    type: Literal["order-cancelled"]
    order: Order
    reason: Text


class OrderAccepted(Event):
    """The kitchen accepted an order, with its prep time and where to pick it up."""

    key_path = "order.id"
    required_state = ("order.status", "accepted")
    type: Literal["order-accepted"]
    order: Order
    estimated_ready_at: EpochMs
    prep_minutes: Annotated[int, Field(ge=1, le=240)]
    pickup_address: Address


class OrderRejected(Event):
    """The kitchen turned an order down."""

    key_path = "order.id"
    required_state = ("order.status", "rejected")
    type: Literal["order-rejected"]
    order: Order
    reason: Text


class OrderReady(Event):
    """The kitchen finished an order; it waits for its driver."""

    key_path = "order.id"
    required_state = ("order.status", "ready")
    type: Literal["order-ready"]
    order: Order
