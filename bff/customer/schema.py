"""The customer BFF's GraphQL schema, merged from ``bff.customer.api``.

Committed as ``bff/customer/schema.graphql``; regenerate with
``python -m bff.kit.schema bff.customer.schema:schema bff/customer/schema.graphql``.
"""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from bff.customer.api.catalog import CatalogMutation, CatalogQuery
from bff.customer.api.context import ShopContext
from bff.customer.api.live import ShopSubscription
from bff.customer.api.orders import OrdersMutation, OrdersQuery
from bff.customer.demo import home_of
from bff.customer.names import CUSTOMERS
from bff.kit.permissions import IsAuthenticated
from bff.kit.schema import make_schema
from bff.kit.values import Address
from events import Address as WireAddress


@strawberry.type(description="The signed-in customer.")
class Me:
    id: strawberry.ID
    name: str
    last_address: Address | None = strawberry.field(
        description="where your last order went (a demo customer starts from home)"
    )


@strawberry.type
class AccountQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def me(self, info: Info[ShopContext, None]) -> Me:
        customer = info.context.customer()
        doc = await info.context.db[CUSTOMERS].find_one({"_id": customer.id})
        saved = (doc or {}).get("lastAddress")
        address = WireAddress.model_validate(saved) if saved else home_of(customer.id)
        return Me(
            id=strawberry.ID(customer.id),
            name=customer.name,
            last_address=Address.from_wire(address) if address else None,
        )


Query = merge_types("Query", (AccountQuery, CatalogQuery, OrdersQuery))
Mutation = merge_types("Mutation", (OrdersMutation, CatalogMutation))

schema = make_schema(query=Query, mutation=Mutation, subscription=ShopSubscription)
