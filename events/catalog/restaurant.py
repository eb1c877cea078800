"""Facts about a restaurant and its menu; partitionKey is the restaurant id."""

from __future__ import annotations

from typing import Literal

from events.envelope import Event
from events.snapshots import Menu, MenuView, Restaurant


class RestaurantUpdated(Event):
    """A restaurant changed its details (name, cuisine, address, prep time...)."""

    key_path = "restaurant.id"
    type: Literal["restaurant-updated"]
    restaurant: Restaurant


class RestaurantOpened(Event):
    """A restaurant started taking orders; restaurant.isOpen is true."""

    key_path = "restaurant.id"
    required_state = ("restaurant.is_open", True)
    type: Literal["restaurant-opened"]
    restaurant: Restaurant


class RestaurantClosed(Event):
    """A restaurant stopped taking orders; restaurant.isOpen is false."""

    key_path = "restaurant.id"
    required_state = ("restaurant.is_open", False)
    type: Literal["restaurant-closed"]
    restaurant: Restaurant


class MenuUpdated(Event):
    """A restaurant saved its menu; the event carries the whole menu."""

    key_path = "menu.restaurant_id"
    type: Literal["menu-updated"]
    menu: Menu


class MenuViewed(Event):
    """A customer opened a restaurant's menu."""

    key_path = "view.restaurant_id"
    type: Literal["menu-viewed"]
    view: MenuView
