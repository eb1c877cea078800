"""The restaurant BFF's GraphQL schema, merged from ``bff.restaurant.api``.

Committed as ``bff/restaurant/schema.graphql``; regenerate with
``python -m bff.kit.schema bff.restaurant.schema:schema bff/restaurant/schema.graphql``.
"""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from bff.kit.permissions import IsAuthenticated
from bff.kit.schema import make_schema
from bff.restaurant.api.context import KitchenContext
from bff.restaurant.api.kitchen import KitchenMutation, KitchenQuery
from bff.restaurant.api.live import KitchenSubscription
from bff.restaurant.api.menu import MenuMutation, MenuQuery
from bff.restaurant.api.menu_views import MenuViewQuery
from bff.restaurant.api.popularity import PopularityQuery


@strawberry.type(description="The signed-in restaurant account.")
class Me:
    id: strawberry.ID
    name: str


@strawberry.type
class AccountQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    def me(self, info: Info[KitchenContext, None]) -> Me:
        actor = info.context.me()
        return Me(id=strawberry.ID(actor.id), name=actor.name)


Query = merge_types(
    "Query", (AccountQuery, KitchenQuery, MenuQuery, PopularityQuery, MenuViewQuery)
)
Mutation = merge_types("Mutation", (KitchenMutation, MenuMutation))

schema = make_schema(query=Query, mutation=Mutation, subscription=KitchenSubscription)
