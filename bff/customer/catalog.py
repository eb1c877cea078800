"""The catalog a customer browses: a restaurant as the customer's views know it, with its
menu.

Both views are written only by the listener (``bff.customer.listener``): ``restaurants``
holds the restaurant snapshot (plus ``name`` and ``isOpen`` copies for filtering and
sorting), ``menus`` the menu snapshot, each exactly as it travelled on the wire. A
restaurant may be known before its menu (events of different documents), so the menu is
optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from events import Menu, MenuItem, Restaurant
from events.wire import WireModel


def version_ms(doc: Mapping[str, Any] | None) -> int:
    """The timestamp of the last event applied to a view document (from its ``_v``)."""
    if doc is None:
        return 0
    return int(str(doc.get("_v", "0.")).split(".")[0] or 0)


class CatalogRestaurant(WireModel):
    restaurant: Restaurant
    #: the whole menu as the restaurant last saved it; None until its menu-updated is seen
    menu: Menu | None = None
    #: the timestamp of the last event applied to the restaurant or its menu
    last_event_ms: int = 0

    @property
    def id(self) -> str:
        return self.restaurant.id

    @property
    def name(self) -> str:
        return self.restaurant.name

    @property
    def is_open(self) -> bool:
        return self.restaurant.is_open

    @property
    def items(self) -> list[MenuItem]:
        """Every menu item, sold-out ones too, in the restaurant's order."""
        return list(self.menu.items) if self.menu is not None else []

    @property
    def available_items(self) -> list[MenuItem]:
        return [item for item in self.items if item.available]

    @property
    def categories(self) -> list[str]:
        """The menu's categories, in the order they first appear."""
        return list(dict.fromkeys(item.category for item in self.items))

    def sections(self) -> list[tuple[str, list[MenuItem]]]:
        """The menu by category (categories and items in the restaurant's order)."""
        return [(c, [i for i in self.items if i.category == c]) for c in self.categories]

    def item(self, menu_item_id: str) -> MenuItem | None:
        return next((item for item in self.items if item.id == menu_item_id), None)

    @classmethod
    def from_documents(
        cls, restaurant_doc: Mapping[str, Any], menu_doc: Mapping[str, Any] | None = None
    ) -> CatalogRestaurant:
        menu = menu_doc.get("menu") if menu_doc is not None else None
        return cls(
            restaurant=Restaurant.model_validate(restaurant_doc["restaurant"]),
            menu=Menu.model_validate(menu) if menu is not None else None,
            last_event_ms=max(version_ms(restaurant_doc), version_ms(menu_doc)),
        )
