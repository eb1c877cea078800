"""Menu popularity: how many customers look at the menu, and what they order most."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from bff.kit.permissions import IsAuthenticated
from bff.kit.problems import ExpectedError
from bff.restaurant.api.context import KitchenContext
from bff.restaurant.queries import Popularity as PopularityView

TOP_MAX = 50


@strawberry.type(description="One menu item's orders.")
class ItemPopularity:
    menu_item_id: strawberry.ID
    name: str
    quantity: int = strawberry.field(description="portions ordered in all")
    orders: int = strawberry.field(description="orders that had it")


@strawberry.type(description="How much customers look at and order from this restaurant.")
class Popularity:
    menu_views: int = strawberry.field(description="times customers opened the menu")
    viewers: int = strawberry.field(description="different customers who opened it")
    orders: int = strawberry.field(description="orders the kitchen accepted")
    items: list[ItemPopularity] = strawberry.field(description="most ordered first")

    @classmethod
    def from_view(cls, view: PopularityView) -> Popularity:
        return cls(
            menu_views=view.menu_views,
            viewers=view.viewers,
            orders=view.orders,
            items=[
                ItemPopularity(
                    menu_item_id=strawberry.ID(i.menu_item_id),
                    name=i.name,
                    quantity=i.quantity,
                    orders=i.orders,
                )
                for i in view.items
            ],
        )


@strawberry.type
class PopularityQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def popularity(self, info: Info[KitchenContext, None], top: int = 10) -> Popularity:
        if not 1 <= top <= TOP_MAX:
            raise ExpectedError(f"top must be between 1 and {TOP_MAX}")
        context = info.context
        return Popularity.from_view(
            await context.queries.popularity(context.restaurant_id(), top=top)
        )
