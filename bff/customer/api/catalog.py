"""Browsing: open restaurants page by page, one restaurant with its menu; and telling the
restaurant its menu was viewed (``menu-viewed``, for its popularity)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from bff.customer.api.catalog_types import Restaurant, RestaurantPage
from bff.customer.api.context import ShopContext
from bff.kit import problems
from bff.kit.outcomes import outcome
from bff.kit.permissions import IsAuthenticated

Shop = Info[ShopContext, None]
GUARDED: list[type[BasePermission]] = [IsAuthenticated]


@strawberry.type(description="The menu view was recorded.")
class MenuViewRecorded:
    restaurant_id: strawberry.ID


MenuViewResult = Annotated[
    MenuViewRecorded
    | problems.NotFound
    | problems.NotAllowed
    | problems.Conflict
    | problems.InvalidInput,
    strawberry.union("MenuViewResult"),
]


@strawberry.type
class CatalogQuery:
    @strawberry.field(
        permission_classes=GUARDED,
        description="Restaurants by name, `first` (1-50) at a time; open ones only by default.",
    )
    async def restaurants(
        self, info: Shop, first: int = 20, after: str | None = None, open_only: bool = True
    ) -> RestaurantPage:
        info.context.customer()
        try:
            found, cursor = await info.context.queries.restaurants(
                open_only=open_only, after=after, limit=first
            )
        except ValueError as exc:  # a bad cursor or page size
            raise problems.ExpectedError(str(exc)) from None
        return RestaurantPage(items=[Restaurant.from_view(r) for r in found], next_cursor=cursor)

    @strawberry.field(permission_classes=GUARDED, description="One restaurant with its menu.")
    async def restaurant(self, info: Shop, id: strawberry.ID) -> Restaurant | None:
        info.context.customer()
        found = await info.context.queries.restaurant(str(id))
        return Restaurant.from_view(found) if found is not None else None


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(
        permission_classes=GUARDED,
        description="You opened this restaurant's menu (counts for its popularity).",
    )
    async def record_menu_view(self, info: Shop, restaurant_id: strawberry.ID) -> MenuViewResult:
        command = info.context.commands.record_menu_view(
            info.context.customer(), str(restaurant_id)
        )
        return await outcome(command, lambda _: MenuViewRecorded(restaurant_id=restaurant_id))
