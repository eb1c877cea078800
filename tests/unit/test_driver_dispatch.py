"""The driver's commands against an in-memory store: what they write (entity and outbox in
one document), and that wrong actors and wrong states write nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bff.driver.dispatch import DispatchCommands, DriverIdentity
from bff.driver.names import DELIVERIES, DRIVERS
from bff.driver.queries import DriverQueries
from bff.kit.failures import CommandFailed, InvalidInput, InvalidState, NotAllowed, NotFound
from events import DeliveryAccepted, GeoPoint, parse_event
from tests.support.fakes import FakeDatabase
from tests.unit.test_driver_listener import (
    T0,
    accepted,
    apply,
    cancelled,
    driver_event,
    new_order,
    ready,
)

NOW = T0 + 60_000
JONAS = DriverIdentity("d-jonas", "Jonas Weber")
AYLIN = DriverIdentity("d-aylin", "Aylin Kaya")
HERE = GeoPoint(lat=52.5, lng=13.42)


class Clock:
    def __init__(self, now: int = NOW) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def commands(db: FakeDatabase, clock: Clock) -> DispatchCommands:
    return DispatchCommands(db, db.outbox(), db.locks(), clock=clock)  # type: ignore[arg-type]


def pending(db: FakeDatabase, collection: str, doc_id: str) -> list[Any]:
    entries = db[collection].documents.get(doc_id, {}).get("_outbox", [])
    return [parse_event(json.loads(entry["value"])) for entry in entries]


def published(db: FakeDatabase) -> None:
    """As if the relay published every pending event."""
    for collection in (DRIVERS, DELIVERIES):
        for doc in db[collection].documents.values():
            doc["_outbox"] = []


async def refused(db: FakeDatabase, call: Any, kind: type[CommandFailed]) -> CommandFailed:
    before = db.snapshot()
    with pytest.raises(kind) as caught:
        await call
    assert db.snapshot() == before, "a refused command wrote something"
    return caught.value


async def test_going_online_and_offline_publishes_the_drivers_status(
    commands: DispatchCommands, db: FakeDatabase
) -> None:
    online = await commands.go_online(JONAS, HERE)
    assert (online.status, online.vehicle, online.location) == ("available", "bicycle", HERE)
    (event,) = pending(db, DRIVERS, "d-jonas")
    assert event.type == "driver-status-changed" and event.driver.status == "available"
    assert event.tags.actor == "driver:d-jonas" and event.tags.source == "bff-driver"
    assert event.driver.location == HERE
    published(db)
    again = await commands.go_online(JONAS, HERE)  # nothing changed: nothing published
    assert again == online and pending(db, DRIVERS, "d-jonas") == []
    offline = await commands.go_offline(JONAS)
    assert offline.status == "offline" and offline.location is None
    (event,) = pending(db, DRIVERS, "d-jonas")
    assert event.driver.status == "offline" and event.timestamp > online.last_event_ms


async def test_bad_vehicle_and_location_are_refused(
    commands: DispatchCommands, db: FakeDatabase
) -> None:
    failure = await refused(db, commands.go_online(JONAS, HERE, "rocket"), InvalidInput)
    assert isinstance(failure, InvalidInput) and failure.field == "vehicle"
    stranger = DriverIdentity("d-new", "New Driver")
    await refused(db, commands.go_online(stranger, HERE), InvalidInput)  # no vehicle known
    failure = await refused(db, commands.go_online(JONAS, {"lat": 91, "lng": 0}), InvalidInput)
    assert isinstance(failure, InvalidInput) and failure.field.startswith("location")


async def test_locations_name_the_active_order_and_are_refused_offline(
    commands: DispatchCommands, db: FakeDatabase
) -> None:
    await refused(db, commands.report_location(JONAS, HERE), InvalidState)
    await commands.go_online(JONAS, HERE)
    published(db)
    there = GeoPoint(lat=52.51, lng=13.4)
    moved = await commands.report_location(JONAS, there)
    (event,) = pending(db, DRIVERS, "d-jonas")
    assert event.type == "driver-location-changed"
    assert (event.position.location, event.position.order_id) == (there, None)
    assert moved.location == there
    again = await commands.report_location(JONAS, there)  # not moved: no event
    assert again == moved and len(pending(db, DRIVERS, "d-jonas")) == 1


async def offered(db: FakeDatabase, *, is_ready: bool = False) -> Any:
    order = new_order()
    events = [accepted(order, T0 + 1)] + ([ready(order, T0 + 2)] if is_ready else [])
    await apply(db, *events)
    return order


async def test_a_delivery_from_accept_to_door(
    commands: DispatchCommands, db: FakeDatabase, clock: Clock
) -> None:
    order = await offered(db)
    await commands.go_online(JONAS, HERE)
    published(db)
    delivery = await commands.accept_delivery(JONAS, order.id)
    # after the driver's own last event (going online at NOW): causal
    assert (delivery.status, delivery.driver_id) == ("accepted", "d-jonas")
    assert delivery.accepted_at == NOW + 1
    assert delivery.earnings_cents == order.delivery_fee.amount
    (event,) = pending(db, DELIVERIES, order.id)
    assert isinstance(event, DeliveryAccepted) and event.delivery == delivery.snapshot()
    assert event.partition_key == order.id
    (busy,) = pending(db, DRIVERS, "d-jonas")
    assert (busy.driver.status, busy.tags.causation_id) == ("busy", event.id)
    driver = await DriverQueries(db).driver("d-jonas")  # type: ignore[arg-type]
    assert driver is not None and driver.driver.active_order_id == order.id
    assert driver.active_delivery == delivery
    await refused(db, commands.go_offline(JONAS), InvalidState)
    published(db)
    await commands.report_location(JONAS, HERE)  # not moved, but a customer follows now
    (where,) = pending(db, DRIVERS, "d-jonas")
    assert (where.type, where.position.order_id) == ("driver-location-changed", order.id)
    published(db)
    await apply(db, event)  # the listener sees its own delivery-accepted

    # not ready yet: the kitchen has not said so
    failure = await refused(db, commands.mark_picked_up(JONAS, order.id), InvalidState)
    assert "ready" in failure.message
    await refused(db, commands.mark_delivered(JONAS, order.id), InvalidState)
    await apply(db, ready(order, NOW + 5))  # a kitchen clock ahead of ours
    picked = await commands.mark_picked_up(JONAS, order.id)
    assert picked.picked_up_at == NOW + 6  # never before the fact it follows
    (event,) = pending(db, DELIVERIES, order.id)
    assert event.type == "order-picked-up" and event.delivery.accepted_at == NOW + 1
    clock.now = NOW + 600_000
    done = await commands.mark_delivered(JONAS, order.id)
    assert (done.status, done.delivered_at, done.accepted_at) == (
        "delivered",
        NOW + 600_000,
        NOW + 1,
    )
    assert [e.type for e in pending(db, DELIVERIES, order.id)] == [
        "order-picked-up",
        "order-delivered",
    ]
    (free,) = pending(db, DRIVERS, "d-jonas")
    assert free.driver.status == "available"
    day = await DriverQueries(db, clock=clock).deliveries_today("d-jonas")  # type: ignore[arg-type]
    assert [d.order_id for d in day.deliveries] == [order.id]
    assert (day.delivered, day.earnings_cents) == (1, order.delivery_fee.amount)


async def test_accepting_needs_an_open_offer_and_a_free_online_driver(
    commands: DispatchCommands, db: FakeDatabase
) -> None:
    await refused(db, commands.accept_delivery(JONAS, "o-unknown"), NotFound)
    order = await offered(db)
    await refused(db, commands.accept_delivery(JONAS, order.id), InvalidState)  # offline
    await commands.go_online(JONAS, HERE)
    await commands.go_online(AYLIN, HERE)
    await commands.accept_delivery(JONAS, order.id)
    failure = await refused(db, commands.accept_delivery(AYLIN, order.id), InvalidState)
    assert failure.code == "TAKEN" and "already taken by another driver" in failure.message
    await apply(db, *[e for e in pending(db, DELIVERIES, order.id)])
    failure = await refused(db, commands.accept_delivery(AYLIN, order.id), InvalidState)
    assert failure.code == "TAKEN"  # the view knows now (before: the insert refused it)
    other = new_order("o-2")
    await apply(db, accepted(other, T0 + 1))
    failure = await refused(db, commands.accept_delivery(JONAS, "o-2"), InvalidState)
    assert "before accepting another" in failure.message  # one at a time
    # another driver's delivery is not yours to move
    await refused(db, commands.mark_picked_up(AYLIN, order.id), NotAllowed)
    await refused(db, commands.mark_delivered(AYLIN, order.id), NotAllowed)
    await refused(db, commands.mark_picked_up(AYLIN, "o-2"), NotFound)


async def test_a_withdrawn_offer_cannot_be_accepted(
    commands: DispatchCommands, db: FakeDatabase
) -> None:
    order = new_order()
    await apply(db, cancelled(order, T0 + 1), accepted(order, T0 + 2))
    await commands.go_online(JONAS, HERE)
    failure = await refused(db, commands.accept_delivery(JONAS, order.id), InvalidState)
    assert "cancelled by the customer" in failure.message
    taken = new_order("o-3")
    await apply(db, accepted(taken, T0 + 1), driver_event(DeliveryAccepted, taken, T0 + 2, "d-ben"))
    failure = await refused(db, commands.accept_delivery(JONAS, "o-3"), InvalidState)
    assert "already taken" in failure.message
