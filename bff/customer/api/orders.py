"""Your orders: place one from a cart, follow it, cancel it while the kitchen has not
decided. Only the signed-in customer's own orders are ever read or changed."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from bff.customer.api.context import ShopContext
from bff.customer.api.loaders import load_order
from bff.customer.api.order_types import Order, OrderPage
from bff.customer.ordering import REASON_DEFAULT, CartLine
from bff.kit import problems
from bff.kit.outcomes import outcome
from bff.kit.permissions import IsAuthenticated
from bff.kit.values import AddressInput

Shop = Info[ShopContext, None]
GUARDED: list[type[BasePermission]] = [IsAuthenticated]

OrderResult = Annotated[
    Order | problems.NotFound | problems.NotAllowed | problems.Conflict | problems.InvalidInput,
    strawberry.union("OrderResult"),
]


@strawberry.input(description="One line of the cart.")
class CartLineInput:
    menu_item_id: strawberry.ID
    quantity: int


@strawberry.input(description="The cart to order, and where to bring it.")
class PlaceOrderInput:
    restaurant_id: strawberry.ID
    items: list[CartLineInput]
    delivery_address: AddressInput
    note: str | None = None
    request_key: str | None = strawberry.field(
        default=None,
        description="the app's id for this attempt: sending it again places no second order",
    )


@strawberry.type
class OrdersQuery:
    @strawberry.field(
        permission_classes=GUARDED,
        description="Your orders, newest first, `first` (1-50) at a time.",
    )
    async def my_orders(self, info: Shop, first: int = 20, after: str | None = None) -> OrderPage:
        customer = info.context.customer()
        try:
            found, cursor = await info.context.queries.orders(customer.id, after=after, limit=first)
        except ValueError as exc:  # a bad cursor or page size
            raise problems.ExpectedError(str(exc)) from None
        return OrderPage(items=[Order.from_view(o) for o in found], next_cursor=cursor)

    @strawberry.field(permission_classes=GUARDED, description="One of your orders.")
    async def order(self, info: Shop, id: strawberry.ID) -> Order | None:
        found = await load_order(info, str(id))
        return Order.from_view(found) if found is not None else None


@strawberry.type
class OrdersMutation:
    @strawberry.mutation(
        permission_classes=GUARDED,
        description="Order the cart; priced from the restaurant's menu as it is now.",
    )
    async def place_order(self, info: Shop, order: PlaceOrderInput) -> OrderResult:
        command = info.context.commands.place_order(
            info.context.customer(),
            str(order.restaurant_id),
            [CartLine(str(line.menu_item_id), line.quantity) for line in order.items],
            order.delivery_address.to_wire_fields(),
            note=order.note,
            request_key=order.request_key,
        )
        return await outcome(command, Order.just_placed)

    @strawberry.mutation(
        permission_classes=GUARDED,
        description="Cancel your order while the restaurant has not accepted it.",
    )
    async def cancel_order(
        self, info: Shop, id: strawberry.ID, reason: str = REASON_DEFAULT
    ) -> OrderResult:
        customer = info.context.customer()
        command = info.context.commands.cancel_order(customer.id, str(id), reason)
        return await outcome(command, Order.just_cancelled)
