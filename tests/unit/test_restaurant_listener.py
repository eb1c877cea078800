"""The kitchen listener's rules: what each event writes, and the views they add up to
(applied by the real materializer to an in-memory store)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from bff.restaurant.listener import KITCHEN, STILL_PLACED, menu_view_id
from bff.restaurant.names import MENU_VIEWS, TICKETS
from bff.restaurant.tickets import Column, Ticket
from events import (
    Delivery,
    DeliveryAccepted,
    Event,
    MenuView,
    MenuViewed,
    Order,
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderPickedUp,
    OrderPlaced,
    OrderReady,
    OrderRejected,
)
from events.samples import sample_event
from listeners.materializer import Materializer
from listeners.rules import ViewWrite
from listeners.views import Views
from tests.support.fakes import FakeDatabase

T0 = 1_760_000_000_000
RESTAURANT = "r-trattoria-da-marco"


def new_order(order_id: str = "o-1", restaurant_id: str = RESTAURANT) -> Order:
    placed = sample_event("order-placed")
    assert isinstance(placed, OrderPlaced)
    return placed.order.model_copy(update={"id": order_id, "restaurant_id": restaurant_id})


def customer(order: Order) -> dict[str, Any]:
    return {"source": "bff-customer", "actor": f"customer:{order.customer_id}"}


def kitchen(order: Order) -> dict[str, Any]:
    return {"source": "bff-restaurant", "actor": f"restaurant:{order.restaurant_id}"}


def placed(order: Order, at: int = T0) -> OrderPlaced:
    return OrderPlaced.record(order=order, now_ms=at, **customer(order))


def cancelled(order: Order, at: int) -> OrderCancelled:
    o = order.model_copy(update={"status": "cancelled"})
    return OrderCancelled.record(order=o, reason="changed my mind", now_ms=at, **customer(order))


def accepted(order: Order, at: int) -> OrderAccepted:
    return OrderAccepted.record(
        order=order.model_copy(update={"status": "accepted"}),
        estimated_ready_at=at + 15 * 60_000,
        prep_minutes=15,
        pickup_address=order.delivery_address,
        now_ms=at,
        **kitchen(order),
    )


def rejected(order: Order, at: int) -> OrderRejected:
    o = order.model_copy(update={"status": "rejected"})
    return OrderRejected.record(order=o, reason="out of dough", now_ms=at, **kitchen(order))


def ready(order: Order, at: int) -> OrderReady:
    o = order.model_copy(update={"status": "ready"})
    return OrderReady.record(order=o, now_ms=at, **kitchen(order))


def delivery(order: Order, status: str, at: int) -> Delivery:
    return Delivery(
        order_id=order.id,
        restaurant_id=order.restaurant_id,
        customer_id=order.customer_id,
        driver_id="d-jonas",
        driver_name="Jonas Weber",
        vehicle="bicycle",
        status=status,
        accepted_at=at,
        picked_up_at=at if status != "accepted" else None,
        delivered_at=at if status == "delivered" else None,
    )


def driver_event(cls: type[Event], order: Order, status: str, at: int) -> Event:
    d = delivery(order, status, at)
    return cls.record(delivery=d, now_ms=at, source="bff-driver", actor="driver:d-jonas")


def viewed(customer_id: str, at: int, restaurant_id: str = RESTAURANT) -> MenuViewed:
    view = MenuView(restaurant_id=restaurant_id, customer_id=customer_id)
    return MenuViewed.record(
        view=view, now_ms=at, source="bff-customer", actor=f"customer:{customer_id}"
    )


async def writes_of(event: Event) -> Sequence[ViewWrite]:
    handler = KITCHEN.handler_for(event.type)
    assert handler is not None, event.type
    return await handler(event, Views(FakeDatabase()))  # type: ignore[arg-type]


async def apply(db: FakeDatabase, *events: Event) -> None:
    await Materializer(KITCHEN, Views(db)).apply(list(events))  # type: ignore[arg-type]


async def ticket(db: FakeDatabase, order_id: str = "o-1") -> Ticket:
    doc = await db[TICKETS].find_one({"_id": order_id})
    assert doc is not None
    found = Ticket.from_document(doc)
    assert found is not None
    return found


# --- what each rule writes ---------------------------------------------------------------


async def test_an_order_placed_opens_a_ticket_for_its_restaurant() -> None:
    order = new_order()
    event = placed(order)
    (write,) = await writes_of(event)
    assert (write.collection, write.id) == (TICKETS, "o-1")
    assert write.set["status"] == "placed"
    assert write.set["restaurantId"] == RESTAURANT
    assert write.set["order"]["customerName"] == "Lena Fischer"
    assert write.set["order"]["total"] == {"amount": 3589, "currency": "EUR"}
    assert write.set["order"]["deliveryAddress"]["city"] == "Berlin"
    assert write.set["placedAt"] == order.placed_at
    assert write.set["placedEventId"] == event.id
    assert write.set["correlationId"] == event.tags.correlation_id
    assert write.notify == [f"restaurant:{RESTAURANT}"]
    assert not write.when


@pytest.mark.parametrize(
    ("event", "status"),
    [
        (cancelled(new_order(), T0 + 1), "cancelled"),
        (accepted(new_order(), T0 + 1), "accepted"),
        (rejected(new_order(), T0 + 1), "rejected"),
    ],
)
async def test_the_first_decision_applies_only_while_the_ticket_is_placed(
    event: Event, status: str
) -> None:
    (write,) = await writes_of(event)
    assert write.set["status"] == status
    assert write.when == STILL_PLACED
    assert write.set_on_insert["order"]["status"] == "placed"  # a ticket stands on its own
    assert write.notify == [f"restaurant:{RESTAURANT}"]


async def test_ready_applies_only_after_accepted_and_a_driver_is_shown_on_the_ticket() -> None:
    order = new_order()
    (write,) = await writes_of(ready(order, T0 + 2))
    assert write.set["status"] == "ready" and write.when == {"status": "accepted"}
    (write,) = await writes_of(driver_event(DeliveryAccepted, order, "accepted", T0 + 3))
    assert write.set["driver"] == {"id": "d-jonas", "name": "Jonas Weber", "vehicle": "bicycle"}
    assert "status" not in write.set and write.notify == [f"restaurant:{RESTAURANT}"]


async def test_a_menu_view_counts_once_per_event_on_the_restaurant_and_customer() -> None:
    (write,) = await writes_of(viewed("c-1", T0))
    assert (write.collection, write.id) == (MENU_VIEWS, menu_view_id(RESTAURANT, "c-1"))
    assert write.inc == {"views": 1}
    assert write.set_on_insert["restaurantId"] == RESTAURANT


def test_the_rule_table_covers_upstream_order_events_and_skips_its_own_profile_events() -> None:
    handled = {t for t in (cls.event_type() for cls in KITCHEN.rules)}
    assert handled == {
        "order-placed",
        "order-cancelled",
        "order-accepted",
        "order-rejected",
        "order-ready",
        "delivery-accepted",
        "order-picked-up",
        "order-delivered",
        "menu-viewed",
    }
    for skipped in ("restaurant-updated", "restaurant-opened", "menu-updated", "fault"):
        assert KITCHEN.handler_for(skipped) is None
    assert (KITCHEN.name, KITCHEN.group, KITCHEN.database) == (
        "bff-restaurant.listener",
        "bff-restaurant.listener",
        "restaurant",
    )
    assert set(KITCHEN.views) == {TICKETS, MENU_VIEWS}


# --- the views they add up to -------------------------------------------------------------


async def test_a_whole_lifecycle_moves_the_ticket_through_the_columns() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order))
    assert (await ticket(db)).column is Column.NEW
    await apply(db, accepted(order, T0 + 10))
    got = await ticket(db)
    assert (got.status, got.column, got.prep_minutes) == ("accepted", Column.PREPARING, 15)
    await apply(db, driver_event(DeliveryAccepted, order, "accepted", T0 + 20))
    await apply(db, ready(order, T0 + 30))
    got = await ticket(db)
    assert got.column is Column.READY and got.driver is not None
    assert got.driver.name == "Jonas Weber"
    await apply(db, driver_event(OrderPickedUp, order, "picked-up", T0 + 40))
    assert (await ticket(db)).column is Column.OUT_FOR_DELIVERY
    await apply(db, driver_event(OrderDelivered, order, "delivered", T0 + 50))
    got = await ticket(db)
    assert (got.status, got.column, got.delivered_at) == ("delivered", Column.DONE, T0 + 50)
    assert got.order.status == "placed" and got.last_event_ms == T0 + 50


@pytest.mark.parametrize("cancel_first", [True, False])
async def test_of_a_cancel_and_an_accept_the_first_in_the_partition_wins(
    cancel_first: bool,
) -> None:
    db, order = FakeDatabase(), new_order()
    cancel, accept = cancelled(order, T0 + 5), accepted(order, T0 + 6)
    first, second = (cancel, accept) if cancel_first else (accept, cancel)
    await apply(db, placed(order), first)
    await apply(db, second)
    assert (await ticket(db)).status == ("cancelled" if cancel_first else "accepted")


async def test_a_late_ready_or_reject_does_not_reopen_a_cancelled_ticket() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order), cancelled(order, T0 + 1), rejected(order, T0 + 2))
    await apply(db, ready(order, T0 + 3))
    assert (await ticket(db)).status == "cancelled"


async def test_repeated_events_change_nothing() -> None:
    db, order = FakeDatabase(), new_order()
    story = [placed(order), accepted(order, T0 + 1), ready(order, T0 + 2)]
    await apply(db, *story)
    before = db.snapshot()
    await apply(db, *story)
    assert db.snapshot() == before


@pytest.mark.parametrize("ready_first", [True, False])
async def test_a_drivers_accept_and_the_kitchens_ready_both_land_whatever_their_clocks(
    ready_first: bool,
) -> None:
    # concurrent facts from two services: partition order and timestamps may disagree
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order), accepted(order, T0 + 10))
    ready_event = ready(order, T0 + 30 if ready_first else T0 + 25)
    driver = driver_event(DeliveryAccepted, order, "accepted", T0 + 25 if ready_first else T0 + 30)
    await apply(db, ready_event)
    await apply(db, driver)
    story = [ready_event, driver]
    got = await ticket(db)
    assert got.status == "ready" and got.driver is not None
    assert got.last_event_ms == T0 + 30
    before = db.snapshot()
    await apply(db, placed(order), accepted(order, T0 + 10), *story)  # redelivered
    assert db.snapshot() == before


def test_an_unordered_write_must_be_idempotent() -> None:
    with pytest.raises(ValueError, match="no inc"):
        ViewWrite(TICKETS, "o-1", inc={"n": 1}, ordered=False)


async def test_menu_views_count_each_view_once_even_when_redelivered() -> None:
    db = FakeDatabase()
    views = [viewed("c-1", T0), viewed("c-1", T0 + 1), viewed("c-2", T0 + 2)]
    await apply(db, *views)
    await apply(db, *views)  # the batch again, as after a crash before the commit
    one = await db[MENU_VIEWS].find_one({"_id": menu_view_id(RESTAURANT, "c-1")})
    two = await db[MENU_VIEWS].find_one({"_id": menu_view_id(RESTAURANT, "c-2")})
    assert one is not None and two is not None
    assert (one["views"], one["firstViewedAt"], one["lastViewedAt"]) == (2, T0, T0 + 1)
    assert two["views"] == 1


async def test_a_delivery_event_before_its_order_leaves_no_half_ticket_in_the_lists() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, driver_event(DeliveryAccepted, order, "accepted", T0))
    doc = await db[TICKETS].find_one({"_id": "o-1"})
    assert doc is not None and Ticket.from_document(doc) is None
