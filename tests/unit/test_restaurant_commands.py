"""The restaurant's commands against an in-memory store: what they write (entity and
outbox in one document), and that bad input, wrong actors and wrong states write nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from bff.kit.failures import (
    CommandFailed,
    InvalidInput,
    InvalidState,
    NotAllowed,
    NotFound,
)
from bff.restaurant.commands import RestaurantCommands
from bff.restaurant.names import DECISIONS, RESTAURANTS, TICKETS
from events import (
    MenuItem,
    MenuUpdated,
    OrderAccepted,
    OrderReady,
    OrderRejected,
    Restaurant,
    RestaurantUpdated,
    parse_event,
)
from events.samples import sample_event
from tests.support.fakes import FakeDatabase
from tests.unit.test_restaurant_listener import (
    RESTAURANT,
    T0,
    apply,
    cancelled,
    new_order,
    placed,
)

NOW = T0 + 60_000


class Clock:
    def __init__(self, now: int = NOW) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def sample_restaurant(restaurant_id: str = RESTAURANT, *, is_open: bool = True) -> Restaurant:
    event = sample_event("restaurant-updated")
    assert isinstance(event, RestaurantUpdated)
    return event.restaurant.model_copy(update={"id": restaurant_id, "is_open": is_open})


def sample_items() -> list[MenuItem]:
    event = sample_event("menu-updated")
    assert isinstance(event, MenuUpdated)
    return list(event.menu.items)


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def commands(db: FakeDatabase, clock: Clock) -> RestaurantCommands:
    return RestaurantCommands.create(db, db.outbox(), db.locks(), clock=clock)  # type: ignore[arg-type]


async def registered(commands: RestaurantCommands, db: FakeDatabase) -> None:
    await commands.profile.register_restaurant(sample_restaurant(), sample_items())
    db[RESTAURANTS].documents[RESTAURANT]["_outbox"] = []  # as if the relay published them


def pending(db: FakeDatabase, collection: str, doc_id: str) -> list[Any]:
    entries = db[collection].documents.get(doc_id, {}).get("_outbox", [])
    return [parse_event(json.loads(entry["value"])) for entry in entries]


async def refused(db: FakeDatabase, call: Any, kind: type[CommandFailed]) -> CommandFailed:
    """Run the command; it must fail with ``kind`` and leave the store as it was."""
    before = db.snapshot()
    with pytest.raises(kind) as caught:
        await call
    assert db.snapshot() == before, "a refused command wrote something"
    return caught.value


# --- profile and menu ----------------------------------------------------------------------


async def test_registering_writes_the_profile_with_its_first_events(
    commands: RestaurantCommands, db: FakeDatabase
) -> None:
    profile = await commands.profile.register_restaurant(sample_restaurant(), sample_items())
    assert db[RESTAURANTS].events(RESTAURANT) == ["restaurant-updated", "menu-updated"]
    updated, menu = pending(db, RESTAURANTS, RESTAURANT)
    assert updated.restaurant == profile.restaurant and menu.menu == profile.menu
    assert updated.tags.actor == f"restaurant:{RESTAURANT}"
    assert updated.tags.source == "bff-restaurant"
    await refused(db, commands.profile.register_restaurant(sample_restaurant(), []), InvalidState)


async def test_updating_the_profile_publishes_the_full_snapshot(
    commands: RestaurantCommands, db: FakeDatabase
) -> None:
    await registered(commands, db)
    profile = await commands.profile.update_profile(
        RESTAURANT, name="  Da Marco  ", default_prep_minutes=25, phone=""
    )
    assert profile.restaurant.name == "Da Marco"
    assert profile.restaurant.default_prep_minutes == 25 and profile.restaurant.phone is None
    (event,) = pending(db, RESTAURANTS, RESTAURANT)
    assert event.type == "restaurant-updated"
    assert event.restaurant == profile.restaurant
    assert event.restaurant.cuisine == "Italian"  # unchanged fields travel too


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"default_prep_minutes": 0}, "defaultPrepMinutes"),
        ({"default_prep_minutes": 241}, "defaultPrepMinutes"),
        ({"default_prep_minutes": True}, "defaultPrepMinutes"),
        (
            {
                "address": {
                    "line1": "Somewhere 1",
                    "city": "Berlin",
                    "postcode": "10999",
                    "location": {"lat": 91, "lng": 13.4},
                }
            },
            "address.location.lat",
        ),
        ({"address": {"line1": "", "city": "B", "postcode": "1", "location": {}}}, "address.line1"),
    ],
)
async def test_bad_profile_input_is_refused_naming_the_field(
    commands: RestaurantCommands, db: FakeDatabase, changes: dict[str, Any], field: str
) -> None:
    await registered(commands, db)
    failure = await refused(
        db, commands.profile.update_profile(RESTAURANT, **changes), InvalidInput
    )
    assert isinstance(failure, InvalidInput) and failure.field == field


async def test_opening_and_closing_publish_only_real_changes(
    commands: RestaurantCommands, db: FakeDatabase
) -> None:
    await registered(commands, db)
    assert (await commands.profile.close(RESTAURANT)).restaurant.is_open is False
    await commands.profile.close(RESTAURANT)
    assert (await commands.profile.open(RESTAURANT)).restaurant.is_open is True
    assert db[RESTAURANTS].events(RESTAURANT) == ["restaurant-closed", "restaurant-opened"]
    await commands.profile.update_profile(RESTAURANT, name="Trattoria da Marco")  # unchanged
    assert len(db[RESTAURANTS].events(RESTAURANT)) == 2


async def test_menu_items_are_added_edited_marked_sold_out_and_removed(
    commands: RestaurantCommands, db: FakeDatabase
) -> None:
    await registered(commands, db)
    item = await commands.profile.add_menu_item(
        RESTAURANT, name="Lasagne", price_cents=1450, category="Pasta", description="Al forno"
    )
    assert item.id.startswith("mi-") and item.price.currency == "EUR" and item.available
    edited = await commands.profile.edit_menu_item(RESTAURANT, item.id, price_cents=1500)
    assert (edited.name, edited.price.amount) == ("Lasagne", 1500)
    sold_out = await commands.profile.set_item_availability(RESTAURANT, item.id, False)
    assert sold_out.available is False
    menu = await commands.profile.remove_menu_item(RESTAURANT, "mi-margherita")
    assert [i.id for i in menu.items] == ["mi-diavola", "mi-carbonara", "mi-tiramisu", item.id]
    events = pending(db, RESTAURANTS, RESTAURANT)
    assert [e.type for e in events] == ["menu-updated"] * 4
    assert events[-1].menu == menu
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)


@pytest.mark.parametrize(
    ("call", "kind", "field"),
    [
        ({"name": "", "price_cents": 100, "category": "Pizza"}, InvalidInput, "name"),
        ({"name": "A", "price_cents": -1, "category": "Pizza"}, InvalidInput, "priceCents"),
        ({"name": "A", "price_cents": 1.5, "category": "Pizza"}, InvalidInput, "priceCents"),
        ({"name": "A", "price_cents": 100, "category": " "}, InvalidInput, "category"),
        (
            {"name": "A", "price_cents": 100, "category": "Pizza", "currency": "USD"},
            InvalidInput,
            "currency",
        ),
    ],
)
async def test_bad_menu_input_is_refused(
    commands: RestaurantCommands,
    db: FakeDatabase,
    call: dict[str, Any],
    kind: type[CommandFailed],
    field: str,
) -> None:
    await registered(commands, db)
    failure = await refused(db, commands.profile.add_menu_item(RESTAURANT, **call), kind)
    assert isinstance(failure, InvalidInput) and failure.field == field


async def test_unknown_restaurants_and_items_are_not_found(
    commands: RestaurantCommands, db: FakeDatabase
) -> None:
    await registered(commands, db)
    await refused(db, commands.profile.open("r-nobody"), NotFound)
    await refused(db, commands.profile.edit_menu_item(RESTAURANT, "mi-x", name="X"), NotFound)
    await refused(db, commands.profile.remove_menu_item(RESTAURANT, "mi-x"), NotFound)
    await refused(db, commands.profile.set_item_availability(RESTAURANT, "mi-x", True), NotFound)


# --- kitchen decisions ---------------------------------------------------------------------


@pytest.fixture
async def kitchen(commands: RestaurantCommands, db: FakeDatabase) -> RestaurantCommands:
    """A registered restaurant with one new order (o-1) on its board, one order (o-2) of
    another restaurant, and one order (o-3) the customer cancelled."""
    await registered(commands, db)
    await apply(db, placed(new_order("o-1")), placed(new_order("o-2", "r-other")))
    o3 = new_order("o-3")
    await apply(db, placed(o3), cancelled(o3, T0 + 5))
    return commands


async def test_accepting_records_the_one_decision_with_its_event(
    kitchen: RestaurantCommands, db: FakeDatabase
) -> None:
    decision = await kitchen.kitchen.accept(RESTAURANT, "o-1", 20)
    assert (decision.status, decision.prep_minutes) == ("accepted", 20)
    (event,) = pending(db, DECISIONS, "o-1")
    assert isinstance(event, OrderAccepted)
    assert event.order.status == "accepted" and event.order.id == "o-1"
    assert event.prep_minutes == 20 and event.estimated_ready_at == NOW + 20 * 60_000
    assert event.pickup_address == sample_restaurant().address
    ticket = db[TICKETS].documents["o-1"]
    assert event.tags.causation_id == ticket["placedEventId"]
    assert event.tags.correlation_id == ticket["correlationId"]
    assert db[DECISIONS].documents["o-1"]["status"] == "accepted"


async def test_rejecting_records_the_reason(kitchen: RestaurantCommands, db: FakeDatabase) -> None:
    decision = await kitchen.kitchen.reject(RESTAURANT, "o-1", "  Out of dough ")
    assert (decision.status, decision.reason) == ("rejected", "Out of dough")
    (event,) = pending(db, DECISIONS, "o-1")
    assert isinstance(event, OrderRejected) and event.reason == "Out of dough"


@pytest.mark.parametrize("prep", [0, 241, -5, True, 12.5, "20"])
async def test_a_prep_time_out_of_range_is_refused(
    kitchen: RestaurantCommands, db: FakeDatabase, prep: Any
) -> None:
    failure = await refused(db, kitchen.kitchen.accept(RESTAURANT, "o-1", prep), InvalidInput)
    assert isinstance(failure, InvalidInput) and failure.field == "prepMinutes"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
async def test_a_missing_or_too_long_reason_is_refused(
    kitchen: RestaurantCommands, db: FakeDatabase, reason: str
) -> None:
    failure = await refused(db, kitchen.kitchen.reject(RESTAURANT, "o-1", reason), InvalidInput)
    assert isinstance(failure, InvalidInput) and failure.field == "reason"


async def test_another_restaurants_or_an_unknown_order_is_refused(
    kitchen: RestaurantCommands, db: FakeDatabase
) -> None:
    failure = await refused(db, kitchen.kitchen.accept(RESTAURANT, "o-2", 10), NotAllowed)
    assert "another restaurant" in failure.message
    await refused(db, kitchen.kitchen.reject(RESTAURANT, "o-2", "no"), NotAllowed)
    await refused(db, kitchen.kitchen.mark_ready(RESTAURANT, "o-2"), NotAllowed)
    await refused(db, kitchen.kitchen.accept(RESTAURANT, "o-404", 10), NotFound)


async def test_decisions_only_from_valid_states(
    kitchen: RestaurantCommands, db: FakeDatabase
) -> None:
    failure = await refused(db, kitchen.kitchen.accept(RESTAURANT, "o-3", 10), InvalidState)
    assert "cancelled" in failure.message
    failure = await refused(db, kitchen.kitchen.mark_ready(RESTAURANT, "o-1"), InvalidState)
    assert "accept" in failure.message
    await kitchen.kitchen.accept(RESTAURANT, "o-1", 10)
    failure = await refused(db, kitchen.kitchen.accept(RESTAURANT, "o-1", 10), InvalidState)
    assert "already accepted" in failure.message
    await refused(db, kitchen.kitchen.reject(RESTAURANT, "o-1", "no"), InvalidState)


async def test_marking_ready_follows_the_kitchens_own_accept_once(
    kitchen: RestaurantCommands, db: FakeDatabase
) -> None:
    accepted = await kitchen.kitchen.accept(RESTAURANT, "o-1", 10)
    ready = await kitchen.kitchen.mark_ready(RESTAURANT, "o-1")
    assert ready.status == "ready" and ready.order.status == "ready"
    first, second = pending(db, DECISIONS, "o-1")
    assert isinstance(second, OrderReady)
    assert second.tags.causation_id == accepted.event_id == first.id
    assert second.timestamp > first.timestamp
    failure = await refused(db, kitchen.kitchen.mark_ready(RESTAURANT, "o-1"), InvalidState)
    assert "already marked ready" in failure.message


async def test_a_rejected_order_cannot_be_marked_ready(
    kitchen: RestaurantCommands, db: FakeDatabase
) -> None:
    await kitchen.kitchen.reject(RESTAURANT, "o-1", "closing early")
    await refused(db, kitchen.kitchen.mark_ready(RESTAURANT, "o-1"), InvalidState)


async def test_a_decision_is_never_older_than_the_order_it_answers(
    kitchen: RestaurantCommands, db: FakeDatabase, clock: Clock
) -> None:
    clock.now = T0 - 3_600_000  # this machine's clock is an hour behind the customer's
    await kitchen.kitchen.accept(RESTAURANT, "o-1", 10)
    (event,) = pending(db, DECISIONS, "o-1")
    assert event.timestamp > db[TICKETS].documents["o-1"]["placedAt"]


async def test_accepting_needs_the_restaurants_address(
    commands: RestaurantCommands, db: FakeDatabase
) -> None:
    await apply(db, placed(new_order("o-1")))
    failure = await refused(db, commands.kitchen.accept(RESTAURANT, "o-1", 10), InvalidState)
    assert "address" in failure.message


async def test_of_concurrent_accepts_and_rejects_exactly_one_wins(
    kitchen: RestaurantCommands, db: FakeDatabase
) -> None:
    calls = [
        kitchen.kitchen.accept(RESTAURANT, "o-1", 10)
        if n % 2
        else kitchen.kitchen.reject(RESTAURANT, "o-1", "busy")
        for n in range(20)
    ]
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, InvalidState) for r in results if isinstance(r, BaseException))
    assert len(pending(db, DECISIONS, "o-1")) == 1


class RecordingNotifications:
    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, scope: str, message: dict[str, Any]) -> int:
        if self.fail:
            raise RedisConnectionError("Redis is down")
        self.sent.append((scope, message))
        return 1


@pytest.mark.parametrize("fail", [False, True], ids=["told", "redis-down"])
async def test_other_consoles_are_told_about_menu_changes_best_effort(
    db: FakeDatabase, clock: Clock, fail: bool
) -> None:
    notifications = RecordingNotifications(fail=fail)
    commands = RestaurantCommands.create(
        db,  # type: ignore[arg-type]
        db.outbox(),
        db.locks(),
        clock=clock,
        notifications=notifications,  # type: ignore[arg-type]
    )
    await registered(commands, db)
    await commands.profile.set_item_availability(RESTAURANT, "mi-margherita", False)
    (event,) = pending(db, RESTAURANTS, RESTAURANT)
    expected = {
        "view": "restaurants",
        "id": RESTAURANT,
        "type": "menu-updated",
        "eventId": event.id,
    }
    assert notifications.sent == ([] if fail else [(f"restaurant:{RESTAURANT}", expected)])


async def test_a_seeded_menu_needs_unique_ids_and_one_currency(
    commands: RestaurantCommands, db: FakeDatabase
) -> None:
    items = sample_items()
    await refused(
        db,
        commands.profile.register_restaurant(sample_restaurant(), [*items, items[0]]),
        InvalidInput,
    )
    dollars = items[0].model_copy(
        update={"id": "mi-x", "price": items[0].price.model_copy(update={"currency": "USD"})}
    )
    await refused(
        db,
        commands.profile.register_restaurant(sample_restaurant(), [*items, dollars]),
        InvalidInput,
    )
