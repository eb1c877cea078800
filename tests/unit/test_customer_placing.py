"""Placing an order with the in-memory store: the order and its event are written beside
the remembered address, and an address that cannot be remembered right now does not turn
a placed order into a failure (the app would place it again)."""

from __future__ import annotations

import pytest

from bff.customer.demo import CUSTOMERS
from bff.customer.names import MENUS, ORDERS, RESTAURANTS
from bff.customer.ordering import CartLine, Customer, OrderingCommands
from bff.restaurant.demo import RESTAURANTS as DEMO
from events import Menu
from tests.support.fakes import FakeDatabase

KITCHEN = DEMO[0]
LENA = Customer(CUSTOMERS[0].id, CUSTOMERS[0].name)


def shop() -> tuple[FakeDatabase, OrderingCommands]:
    db = FakeDatabase()
    restaurant = KITCHEN.restaurant
    menu = Menu(restaurant_id=restaurant.id, items=list(KITCHEN.items))
    db[RESTAURANTS].documents[restaurant.id] = {
        "_id": restaurant.id,
        "restaurant": restaurant.model_dump(mode="json", by_alias=True),
    }
    db[MENUS].documents[restaurant.id] = {
        "_id": restaurant.id,
        "menu": menu.model_dump(mode="json", by_alias=True),
    }
    return db, OrderingCommands(db, db.outbox(), db.locks())  # type: ignore[arg-type]


async def place(commands: OrderingCommands) -> str:
    order = await commands.place_order(
        LENA, KITCHEN.restaurant.id, [CartLine(KITCHEN.items[0].id, 2)], CUSTOMERS[0].home
    )
    return order.id


async def test_the_order_is_written_with_its_event() -> None:
    db, commands = shop()

    order_id = await place(commands)

    assert db[ORDERS].events(order_id) == ["order-placed"]
    assert db[ORDERS].documents[order_id]["customerId"] == LENA.id
    assert db.redis.values == {}  # every lock released


async def test_a_busy_customer_document_does_not_fail_a_placed_order(
    caplog: pytest.LogCaptureFixture,
) -> None:
    db, commands = shop()
    db.redis.values[f"fd:lock:{db.name}.customers:{LENA.id}"] = "another command"

    order_id = await place(commands)

    assert db[ORDERS].events(order_id) == ["order-placed"]  # placed, and told so
    assert "address not remembered" in caplog.text
