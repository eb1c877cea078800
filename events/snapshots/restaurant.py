"""Snapshots of a restaurant, its menu, and a customer viewing that menu."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from events.values import Address, Money
from events.wire import Id, Text, WireModel


class Restaurant(WireModel):
    id: Id
    name: Text
    cuisine: Text
    address: Address
    is_open: bool
    default_prep_minutes: Annotated[int, Field(ge=1, le=240)]
    phone: str | None = None
    description: str | None = None


class MenuItem(WireModel):
    id: Id
    name: Text
    description: str
    price: Money
    category: Text
    available: bool


class Menu(WireModel):
    """The whole menu of one restaurant, as the restaurant last saved it."""

    restaurant_id: Id
    items: list[MenuItem]


class MenuView(WireModel):
    """A customer opened a restaurant's menu (for popularity figures)."""

    restaurant_id: Id
    customer_id: Id
