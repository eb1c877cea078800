"""GraphQL types of the restaurant's own profile and menu (``bff.restaurant.profile``)."""

from __future__ import annotations

import strawberry

from bff.kit.snapshots import MenuItem
from bff.kit.values import Address, AddressInput, EpochMs
from bff.restaurant.profile import RestaurantProfile
from events import Menu


@strawberry.type(name="Menu", description="The whole menu, in the order it is shown.")
class MenuType:
    items: list[MenuItem]

    @classmethod
    def from_wire(cls, menu: Menu) -> MenuType:
        return cls(items=[MenuItem.from_wire(item) for item in menu.items])


@strawberry.type(description="This restaurant: its details, whether it is open, its menu.")
class Restaurant:
    id: strawberry.ID
    name: str
    cuisine: str
    address: Address
    is_open: bool
    default_prep_minutes: int
    phone: str | None
    description: str | None
    menu: MenuType
    updated_at: EpochMs

    @classmethod
    def from_profile(cls, profile: RestaurantProfile) -> Restaurant:
        details = profile.restaurant
        return cls(
            id=strawberry.ID(details.id),
            name=details.name,
            cuisine=details.cuisine,
            address=Address.from_wire(details.address),
            is_open=details.is_open,
            default_prep_minutes=details.default_prep_minutes,
            phone=details.phone,
            description=details.description,
            menu=MenuType.from_wire(profile.menu),
            updated_at=EpochMs(profile.last_event_ms),
        )


@strawberry.input(description="The details to change; a field left out stays as it is.")
class ProfileChanges:
    name: str | None = None
    cuisine: str | None = None
    address: AddressInput | None = None
    default_prep_minutes: int | None = None
    phone: str | None = strawberry.field(default=None, description="empty text clears it")
    description: str | None = strawberry.field(default=None, description="empty text clears it")


@strawberry.input(description="A new menu item.")
class NewMenuItem:
    name: str
    price_cents: int
    category: str
    description: str = ""
    currency: str | None = strawberry.field(
        default=None, description="defaults to the menu's currency (EUR for a new menu)"
    )
    available: bool = True


@strawberry.input(description="The item fields to change; a field left out stays as it is.")
class MenuItemChanges:
    name: str | None = None
    description: str | None = None
    category: str | None = None
    price_cents: int | None = None
    currency: str | None = None
    available: bool | None = None
