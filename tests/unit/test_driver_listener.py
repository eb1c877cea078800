"""The driver listener's rules: what each event writes to ``offers``, and the view they add
up to (applied by the real materializer to an in-memory store)."""

from __future__ import annotations

from typing import Any

from bff.driver.listener import DRIVER, UNDECIDED
from bff.driver.names import AVAILABLE_SCOPE, OFFERS
from bff.driver.offers import Offer
from events import (
    Delivery,
    DeliveryAccepted,
    Event,
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
from listeners.views import Views
from tests.support.fakes import FakeDatabase
from tests.unit.test_customer_listener import restaurant

T0 = 1_760_000_000_000


def new_order(order_id: str = "o-1") -> Order:
    placed = sample_event("order-placed")
    assert isinstance(placed, OrderPlaced)
    return placed.order.model_copy(update={"id": order_id, "placed_at": T0})


def kitchen_tags(order: Order) -> dict[str, Any]:
    return {"source": "bff-restaurant", "actor": f"restaurant:{order.restaurant_id}"}


def accepted(order: Order, at: int) -> OrderAccepted:
    return OrderAccepted.record(
        order=order.model_copy(update={"status": "accepted"}),
        estimated_ready_at=at + 15 * 60_000,
        prep_minutes=15,
        pickup_address=restaurant().address,
        now_ms=at,
        **kitchen_tags(order),
    )


def ready(order: Order, at: int) -> OrderReady:
    o = order.model_copy(update={"status": "ready"})
    return OrderReady.record(order=o, now_ms=at, **kitchen_tags(order))


def cancelled(order: Order, at: int) -> OrderCancelled:
    return OrderCancelled.record(
        order=order.model_copy(update={"status": "cancelled"}),
        reason="changed my mind",
        now_ms=at,
        source="bff-customer",
        actor=f"customer:{order.customer_id}",
    )


def rejected(order: Order, at: int) -> OrderRejected:
    o = order.model_copy(update={"status": "rejected"})
    return OrderRejected.record(order=o, reason="out of dough", now_ms=at, **kitchen_tags(order))


def driver_event(
    cls: type[DeliveryAccepted | OrderPickedUp | OrderDelivered],
    order: Order,
    at: int,
    driver_id: str = "d-jonas",
) -> Event:
    status = {DeliveryAccepted: "accepted", OrderPickedUp: "picked-up", OrderDelivered: "delivered"}
    delivery = Delivery(
        order_id=order.id,
        restaurant_id=order.restaurant_id,
        customer_id=order.customer_id,
        driver_id=driver_id,
        driver_name="Jonas Weber",
        vehicle="bicycle",
        status=status[cls],
        accepted_at=at,
        picked_up_at=at if cls is not DeliveryAccepted else None,
        delivered_at=at if cls is OrderDelivered else None,
    )
    return cls.record(
        delivery=delivery, now_ms=at, source="bff-driver", actor=f"driver:{driver_id}"
    )


async def writes_of(event: Event, db: FakeDatabase | None = None) -> list[Any]:
    handler = DRIVER.handler_for(event.type)
    assert handler is not None, event.type
    return list(await handler(event, Views(db or FakeDatabase())))  # type: ignore[arg-type]


async def apply(db: FakeDatabase, *events: Event) -> None:
    await Materializer(DRIVER, Views(db)).apply(list(events))  # type: ignore[arg-type]


async def offer(db: FakeDatabase, order_id: str = "o-1") -> Offer | None:
    doc = await db[OFFERS].find_one({"_id": order_id})
    return Offer.from_document(doc) if doc is not None else None


async def test_an_accepted_order_opens_an_offer_for_every_available_driver() -> None:
    order = new_order()
    event = accepted(order, T0 + 1)
    (write,) = await writes_of(event)
    assert (write.collection, write.id) == (OFFERS, "o-1")
    assert write.set["status"] == "open" and write.when == UNDECIDED and write.ordered
    assert write.set["feeCents"] == order.delivery_fee.amount
    assert write.set["pickupAddress"]["line1"] == "Oranienstraße 25"
    assert write.set["dropOff"] == order.delivery_address.model_dump(mode="json", by_alias=True)
    assert write.set["orderAcceptedEventId"] == event.id
    assert write.notify == [AVAILABLE_SCOPE]


async def test_the_offer_follows_the_order_to_the_door() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, accepted(order, T0 + 1))
    found = await offer(db)
    assert found is not None and found.is_open and not found.ready
    assert (found.estimated_ready_at, found.last_event_ms) == (T0 + 1 + 15 * 60_000, T0 + 1)
    # the driver's accept and the kitchen's ready: concurrent, either order in the partition
    await apply(db, driver_event(DeliveryAccepted, order, T0 + 5), ready(order, T0 + 3))
    found = await offer(db)
    assert found is not None
    assert (found.status, found.taken_by, found.ready, found.ready_at) == (
        "taken",
        "d-jonas",
        True,
        T0 + 3,
    )
    await apply(db, driver_event(OrderPickedUp, order, T0 + 6))
    await apply(db, driver_event(OrderDelivered, order, T0 + 7))
    found = await offer(db)
    assert found is not None and found.status == "delivered"


async def test_ready_tells_the_driver_who_took_the_offer() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, accepted(order, T0 + 1), driver_event(DeliveryAccepted, order, T0 + 2))
    (write,) = await writes_of(ready(order, T0 + 3), db)
    assert write.notify == [AVAILABLE_SCOPE, "driver:d-jonas"] and not write.ordered
    assert write.set == {"ready": True, "readyAt": T0 + 3}


async def test_a_second_drivers_accept_does_not_take_a_taken_offer() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, accepted(order, T0 + 1), driver_event(DeliveryAccepted, order, T0 + 2))
    await apply(db, driver_event(DeliveryAccepted, order, T0 + 3, "d-aylin"))
    found = await offer(db)
    assert found is not None and found.taken_by == "d-jonas"


async def test_a_cancel_or_reject_before_the_accept_wins_and_no_offer_opens() -> None:
    for withdraw, reason in ((cancelled, "cancelled"), (rejected, "rejected")):
        db, order = FakeDatabase(), new_order()
        await apply(db, withdraw(order, T0 + 1), accepted(order, T0 + 2))
        doc = await db[OFFERS].find_one({"_id": "o-1"})
        assert doc is not None and doc["status"] == "gone" and reason in doc["goneReason"]
        assert await offer(db) is None  # never a whole offer: nothing to show


async def test_a_cancel_after_the_accept_lost_the_race_and_the_offer_stays_open() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, accepted(order, T0 + 1), cancelled(order, T0 + 2))
    found = await offer(db)
    assert found is not None and found.status == "open"


async def test_replaying_the_same_events_changes_nothing() -> None:
    db, order = FakeDatabase(), new_order()
    events = [
        accepted(order, T0 + 1),
        ready(order, T0 + 2),
        driver_event(DeliveryAccepted, order, T0 + 3),
        driver_event(OrderPickedUp, order, T0 + 4),
    ]
    await apply(db, *events)
    before = db.snapshot()
    await apply(db, *events)
    assert db.snapshot() == before
    found = await offer(db)
    assert found is not None and found.status == "picked-up"
