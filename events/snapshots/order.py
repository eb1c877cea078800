"""Snapshot of an order: who ordered what, from where, to where, for how much."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from events.values import Address, Money
from events.wire import EpochMs, Id, Text, WireModel

OrderStatus = Literal[
    "placed", "accepted", "rejected", "cancelled", "ready", "picked-up", "delivered"
]


class OrderItem(WireModel):
    menu_item_id: Id
    name: Text
    quantity: Annotated[int, Field(ge=1, le=99)]
    unit_price: Money


class Order(WireModel):
    id: Id
    customer_id: Id
    customer_name: Text
    restaurant_id: Id
    restaurant_name: Text
    items: Annotated[list[OrderItem], Field(min_length=1)]
    subtotal: Money
    delivery_fee: Money
    total: Money
    delivery_address: Address
    status: OrderStatus
    placed_at: EpochMs
    note: str | None = None
