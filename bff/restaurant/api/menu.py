"""The restaurant's own profile, menu and open flag: read and change them.

Each change publishes its events through the outbox (restaurant-updated, -opened,
-closed, menu-updated) and tells the restaurant's other consoles.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from bff.kit import problems
from bff.kit.outcomes import outcome
from bff.kit.permissions import IsAuthenticated
from bff.kit.snapshots import MenuItem
from bff.restaurant.api.context import KitchenContext
from bff.restaurant.api.profile_types import (
    MenuItemChanges,
    MenuType,
    NewMenuItem,
    ProfileChanges,
    Restaurant,
)

Failures = problems.NotFound | problems.NotAllowed | problems.Conflict | problems.InvalidInput
RestaurantResult = Annotated[Restaurant | Failures, strawberry.union("RestaurantResult")]
MenuItemResult = Annotated[MenuItem | Failures, strawberry.union("MenuItemResult")]
MenuResult = Annotated[MenuType | Failures, strawberry.union("MenuResult")]

Kitchen = Info[KitchenContext, None]
GUARDED: list[type[BasePermission]] = [IsAuthenticated]


@strawberry.type
class MenuQuery:
    @strawberry.field(
        permission_classes=GUARDED,
        description="This restaurant's profile and menu; null until it is registered.",
    )
    async def restaurant(self, info: Kitchen) -> Restaurant | None:
        profile = await info.context.queries.profile(info.context.restaurant_id())
        return Restaurant.from_profile(profile) if profile is not None else None


@strawberry.type
class MenuMutation:
    @strawberry.mutation(permission_classes=GUARDED, description="Change the details.")
    async def update_profile(self, info: Kitchen, changes: ProfileChanges) -> RestaurantResult:
        command = info.context.commands.profile.update_profile(
            info.context.restaurant_id(),
            name=changes.name,
            cuisine=changes.cuisine,
            address=changes.address.to_wire_fields() if changes.address else None,
            default_prep_minutes=changes.default_prep_minutes,
            phone=changes.phone,
            description=changes.description,
        )
        return await outcome(command, Restaurant.from_profile)

    @strawberry.mutation(permission_classes=GUARDED, description="Start taking orders.")
    async def open_restaurant(self, info: Kitchen) -> RestaurantResult:
        command = info.context.commands.profile.open(info.context.restaurant_id())
        return await outcome(command, Restaurant.from_profile)

    @strawberry.mutation(permission_classes=GUARDED, description="Stop taking orders.")
    async def close_restaurant(self, info: Kitchen) -> RestaurantResult:
        command = info.context.commands.profile.close(info.context.restaurant_id())
        return await outcome(command, Restaurant.from_profile)

    @strawberry.mutation(permission_classes=GUARDED, description="Put a new item on the menu.")
    async def add_menu_item(self, info: Kitchen, item: NewMenuItem) -> MenuItemResult:
        command = info.context.commands.profile.add_menu_item(
            info.context.restaurant_id(),
            name=item.name,
            price_cents=item.price_cents,
            category=item.category,
            description=item.description,
            currency=item.currency,
            available=item.available,
        )
        return await outcome(command, MenuItem.from_wire)

    @strawberry.mutation(permission_classes=GUARDED, description="Change one menu item.")
    async def edit_menu_item(
        self, info: Kitchen, item_id: strawberry.ID, changes: MenuItemChanges
    ) -> MenuItemResult:
        command = info.context.commands.profile.edit_menu_item(
            info.context.restaurant_id(),
            str(item_id),
            name=changes.name,
            description=changes.description,
            category=changes.category,
            price_cents=changes.price_cents,
            currency=changes.currency,
            available=changes.available,
        )
        return await outcome(command, MenuItem.from_wire)

    @strawberry.mutation(
        permission_classes=GUARDED, description="Mark an item available, or sold out."
    )
    async def set_menu_item_availability(
        self, info: Kitchen, item_id: strawberry.ID, available: bool
    ) -> MenuItemResult:
        command = info.context.commands.profile.set_item_availability(
            info.context.restaurant_id(), str(item_id), available
        )
        return await outcome(command, MenuItem.from_wire)

    @strawberry.mutation(permission_classes=GUARDED, description="Take an item off the menu.")
    async def remove_menu_item(self, info: Kitchen, item_id: strawberry.ID) -> MenuResult:
        command = info.context.commands.profile.remove_menu_item(
            info.context.restaurant_id(), str(item_id)
        )
        return await outcome(command, MenuType.from_wire)
