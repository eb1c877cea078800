"""GraphQL types of the event snapshots every app shows the same way: a menu item and an
order line. Each converts from its wire model with ``from_wire``."""

from __future__ import annotations

import strawberry

from bff.kit.values import Money
from events import MenuItem as WireMenuItem
from events import OrderItem as WireOrderItem


@strawberry.type(description="A dish or drink on the menu.")
class MenuItem:
    id: strawberry.ID
    name: str
    description: str
    price: Money
    category: str
    available: bool = strawberry.field(description="false: sold out, customers cannot order it")

    @classmethod
    def from_wire(cls, item: WireMenuItem) -> MenuItem:
        return cls(
            id=strawberry.ID(item.id),
            name=item.name,
            description=item.description,
            price=Money.from_wire(item.price),
            category=item.category,
            available=item.available,
        )


@strawberry.type(description="One line of an order: an item, how many, at what price.")
class OrderLine:
    menu_item_id: strawberry.ID
    name: str
    quantity: int
    unit_price: Money
    line_total: Money = strawberry.field(description="quantity x unit price")

    @classmethod
    def from_wire(cls, item: WireOrderItem) -> OrderLine:
        return cls(
            menu_item_id=strawberry.ID(item.menu_item_id),
            name=item.name,
            quantity=item.quantity,
            unit_price=Money.from_wire(item.unit_price),
            line_total=Money(
                amount=item.unit_price.amount * item.quantity, currency=item.unit_price.currency
            ),
        )
