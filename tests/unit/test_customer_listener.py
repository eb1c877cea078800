"""The customer listener's rules: what each event writes, and the views they add up to
(applied by the real materializer to an in-memory store)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from bff.customer.catalog import CatalogRestaurant
from bff.customer.listener import CUSTOMER, DELIVERABLE, PICKABLE, STILL_PLACED, CustomerOf
from bff.customer.names import CATALOG_SCOPE, MENUS, ORDERS_VIEW, POSITIONS, RESTAURANTS
from bff.customer.queries import CustomerQueries
from bff.customer.tracking import Position, TrackedOrder
from events import (
    Delivery,
    DeliveryAccepted,
    DriverLocationChanged,
    DriverPosition,
    DriverStatusChanged,
    Event,
    GeoPoint,
    Menu,
    MenuUpdated,
    MenuViewed,
    Order,
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderPickedUp,
    OrderPlaced,
    OrderReady,
    OrderRejected,
    Restaurant,
    RestaurantClosed,
    RestaurantOpened,
    RestaurantUpdated,
)
from events.samples import sample_event
from listeners.materializer import Materializer
from listeners.rules import ViewWrite
from listeners.views import Views
from tests.support.fakes import FakeDatabase

T0 = 1_760_000_000_000
RESTAURANT = "r-trattoria-da-marco"
CUSTOMER_ID = "c-lena-fischer"
SCOPE = f"customer:{CUSTOMER_ID}"
HERE = GeoPoint(lat=52.5, lng=13.42)


def new_order(order_id: str = "o-1", customer_id: str = CUSTOMER_ID) -> Order:
    placed = sample_event("order-placed")
    assert isinstance(placed, OrderPlaced)
    return placed.order.model_copy(
        update={"id": order_id, "customer_id": customer_id, "placed_at": T0}
    )


def restaurant(is_open: bool = True, name: str = "Trattoria da Marco") -> Restaurant:
    sample = sample_event("restaurant-updated")
    assert isinstance(sample, RestaurantUpdated)
    return sample.restaurant.model_copy(update={"is_open": is_open, "name": name})


def menu() -> Menu:
    sample = sample_event("menu-updated")
    assert isinstance(sample, MenuUpdated)
    return sample.menu


def kitchen_tags() -> dict[str, Any]:
    return {"source": "bff-restaurant", "actor": f"restaurant:{RESTAURANT}"}


def customer_tags(order: Order) -> dict[str, Any]:
    return {"source": "bff-customer", "actor": f"customer:{order.customer_id}"}


def updated(r: Restaurant, at: int) -> RestaurantUpdated:
    return RestaurantUpdated.record(restaurant=r, now_ms=at, **kitchen_tags())


def menu_updated(m: Menu, at: int) -> MenuUpdated:
    return MenuUpdated.record(menu=m, now_ms=at, **kitchen_tags())


def placed(order: Order, at: int = T0) -> OrderPlaced:
    return OrderPlaced.record(order=order, now_ms=at, **customer_tags(order))


def cancelled(order: Order, at: int) -> OrderCancelled:
    o = order.model_copy(update={"status": "cancelled"})
    return OrderCancelled.record(
        order=o, reason="changed my mind", now_ms=at, **customer_tags(order)
    )


def accepted(order: Order, at: int) -> OrderAccepted:
    return OrderAccepted.record(
        order=order.model_copy(update={"status": "accepted"}),
        estimated_ready_at=at + 15 * 60_000,
        prep_minutes=15,
        pickup_address=restaurant().address,
        now_ms=at,
        **kitchen_tags(),
    )


def rejected(order: Order, at: int) -> OrderRejected:
    o = order.model_copy(update={"status": "rejected"})
    return OrderRejected.record(order=o, reason="out of dough", now_ms=at, **kitchen_tags())


def ready(order: Order, at: int) -> OrderReady:
    o = order.model_copy(update={"status": "ready"})
    return OrderReady.record(order=o, now_ms=at, **kitchen_tags())


def delivery(order: Order, status: str, at: int, assigned: int | None = None) -> Delivery:
    return Delivery(
        order_id=order.id,
        restaurant_id=order.restaurant_id,
        customer_id=order.customer_id,
        driver_id="d-jonas",
        driver_name="Jonas Weber",
        vehicle="bicycle",
        status=status,
        accepted_at=assigned or at,
        picked_up_at=at if status != "accepted" else None,
        delivered_at=at if status == "delivered" else None,
    )


def driver_event(
    cls: type[Event], order: Order, status: str, at: int, assigned: int | None = None
) -> Event:
    """A driver's delivery event at ``at``; the driver took the order on at ``assigned``."""
    d = delivery(order, status, at, assigned)
    return cls.record(delivery=d, now_ms=at, source="bff-driver", actor="driver:d-jonas")


def moved(
    order_id: str | None, at: int, where: GeoPoint = HERE, driver_id: str = "d-jonas"
) -> DriverLocationChanged:
    position = DriverPosition(driver_id=driver_id, location=where, order_id=order_id)
    return DriverLocationChanged.record(
        position=position, now_ms=at, source="bff-driver", actor=f"driver:{driver_id}"
    )


async def writes_of(event: Event, db: FakeDatabase | None = None) -> Sequence[ViewWrite]:
    handler = CUSTOMER.handler_for(event.type)
    assert handler is not None, event.type
    return await handler(event, Views(db or FakeDatabase()))  # type: ignore[arg-type]


async def apply(db: FakeDatabase, *events: Event) -> None:
    await Materializer(CUSTOMER, Views(db)).apply(list(events))  # type: ignore[arg-type]


async def tracked(db: FakeDatabase, order_id: str = "o-1") -> TrackedOrder:
    doc = await db[ORDERS_VIEW].find_one({"_id": order_id})
    assert doc is not None
    found = TrackedOrder.from_document(doc)
    assert found is not None
    return found


async def position(db: FakeDatabase, order_id: str = "o-1") -> Position | None:
    doc = await db[POSITIONS].find_one({"_id": order_id})
    return Position.from_document(doc) if doc is not None else None


# --- what each rule writes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "is_open"),
    [(RestaurantUpdated, True), (RestaurantOpened, True), (RestaurantClosed, False)],
)
async def test_restaurant_events_write_the_catalog_entry(
    cls: type[RestaurantUpdated | RestaurantOpened | RestaurantClosed], is_open: bool
) -> None:
    event = cls.record(restaurant=restaurant(is_open), now_ms=T0, **kitchen_tags())
    (write,) = await writes_of(event)
    assert (write.collection, write.id) == (RESTAURANTS, RESTAURANT)
    assert write.set["restaurant"]["isOpen"] is is_open  # the wire snapshot, camelCase
    assert write.set["restaurant"]["defaultPrepMinutes"] == 20
    assert (write.set["name"], write.set["isOpen"]) == ("Trattoria da Marco", is_open)
    assert write.notify == [CATALOG_SCOPE] and write.ordered and not write.when


async def test_a_menu_update_writes_the_menu_apart_from_the_restaurant() -> None:
    (write,) = await writes_of(menu_updated(menu(), T0))
    assert (write.collection, write.id) == (MENUS, RESTAURANT)
    assert write.set["menu"]["items"][0]["price"] == {"amount": 950, "currency": "EUR"}
    assert write.notify == [CATALOG_SCOPE] and write.ordered


async def test_an_order_placed_opens_the_customers_order() -> None:
    order = new_order()
    (write,) = await writes_of(placed(order))
    assert (write.collection, write.id) == (ORDERS_VIEW, "o-1")
    assert write.set["status"] == "placed"
    assert (write.set["customerId"], write.set["restaurantId"]) == (CUSTOMER_ID, RESTAURANT)
    assert write.set["order"]["total"] == {"amount": 3589, "currency": "EUR"}
    assert write.set["placedAt"] == T0 and write.set["steps.placed"] == T0
    assert write.notify == [SCOPE] and write.ordered and not write.when


@pytest.mark.parametrize(
    ("event", "status", "extra"),
    [
        (cancelled(new_order(), T0 + 1), "cancelled", {"cancelReason": "changed my mind"}),
        (accepted(new_order(), T0 + 1), "accepted", {"prepMinutes": 15}),
        (rejected(new_order(), T0 + 1), "rejected", {"rejectReason": "out of dough"}),
    ],
)
async def test_the_first_decision_applies_only_while_the_order_is_placed(
    event: Event, status: str, extra: dict[str, Any]
) -> None:
    (write,) = await writes_of(event)
    assert write.set["status"] == status
    assert write.set[f"steps.{status}"] == T0 + 1
    assert extra.items() <= write.set.items()
    assert write.when == STILL_PLACED and write.ordered
    assert write.set_on_insert["order"]["status"] == "placed"  # a document stands on its own
    assert write.set_on_insert["customerId"] == CUSTOMER_ID
    assert write.notify == [SCOPE]


async def test_an_accept_tells_the_customer_when_and_where_the_food_is_ready() -> None:
    (write,) = await writes_of(accepted(new_order(), T0 + 1))
    assert write.set["estimatedReadyAt"] == T0 + 1 + 15 * 60_000
    assert write.set["pickupAddress"]["line1"] == "Oranienstraße 25"


async def test_the_steps_after_the_decision_are_unordered_and_kept_in_order_by_state() -> None:
    order = new_order()
    (ready_write,) = await writes_of(ready(order, T0 + 2))
    assert ready_write.set == {"status": "ready", "steps.ready": T0 + 2}
    assert ready_write.when == {"status": "accepted"} and not ready_write.ordered
    (driver,) = await writes_of(driver_event(DeliveryAccepted, order, "accepted", T0 + 3))
    assert driver.set == {
        "driver": {"id": "d-jonas", "name": "Jonas Weber", "vehicle": "bicycle"},
        "steps.driverAssigned": T0 + 3,
    }
    assert not driver.ordered and not driver.when and driver.notify == [SCOPE]
    (picked,) = await writes_of(driver_event(OrderPickedUp, order, "picked-up", T0 + 4))
    assert picked.set["status"] == "picked-up" and picked.set["steps.pickedUp"] == T0 + 4
    assert picked.when == PICKABLE and not picked.ordered
    (done,) = await writes_of(driver_event(OrderDelivered, order, "delivered", T0 + 5))
    assert done.set["status"] == "delivered" and done.set["steps.delivered"] == T0 + 5
    assert done.when == DELIVERABLE and not done.ordered
    for write in (ready_write, driver, picked, done):
        assert not any(key.endswith("At") for key in write.set)  # no "updated at" stamps
        assert write.set_on_insert["customerId"] == CUSTOMER_ID


async def test_a_position_is_stored_as_reported_and_tells_the_orders_customer() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order), accepted(order, T0 + 1))
    (write,) = await writes_of(moved("o-1", T0 + 2), db)
    assert (write.collection, write.id) == (POSITIONS, "o-1")
    assert write.set == {
        "driverId": "d-jonas",
        "location": {"lat": 52.5, "lng": 13.42},
        "at": T0 + 2,
    }
    assert write.notify == [SCOPE] and write.ordered


async def test_a_position_does_not_depend_on_the_order_in_the_view() -> None:
    """Partitions interleave differently live and in a replay: a position stored before
    its order is known must be the same document as one stored after."""
    early, late = FakeDatabase(), FakeDatabase()
    order = new_order()
    first, then, where = placed(order), accepted(order, T0 + 1), moved("o-1", T0 + 2)
    await apply(early, where, first, then)
    await apply(late, first, then, where)
    assert early.snapshot()[POSITIONS] == late.snapshot()[POSITIONS]
    (unknown,) = await writes_of(moved("o-unknown", T0), FakeDatabase())
    assert unknown.notify == []  # nobody to tell yet


async def test_a_position_names_the_customer_the_process_learned_without_reading() -> None:
    """An order's customer never changes: once an order event named it, a position for
    that order tells the customer without reading ``orders_view`` (here: an empty one)."""
    order = new_order(order_id="o-remembered")
    await writes_of(placed(order), FakeDatabase())
    (write,) = await writes_of(moved("o-remembered", T0 + 2), FakeDatabase())
    assert write.notify == [SCOPE]


def test_the_customer_memory_is_bounded_and_keeps_the_first_answer() -> None:
    memory = CustomerOf(max_entries=2)
    memory.remember("o-1", "c-1")
    memory.remember("o-1", "c-other")  # never happens; the first answer stays
    memory.remember("o-2", "c-2")
    memory.remember("o-3", "c-3")  # the oldest goes
    assert len(memory) == 2
    assert (memory.get("o-1"), memory.get("o-2"), memory.get("o-3")) == (None, "c-2", "c-3")


async def test_a_position_without_an_order_writes_nothing() -> None:
    db = FakeDatabase()
    assert await writes_of(moved(None, T0), db) == []
    await apply(db, moved(None, T0 + 1))
    assert db.snapshot().get(POSITIONS, {}) == {}


def test_the_rule_table_covers_the_catalog_orders_and_positions_only() -> None:
    handled = {cls.event_type() for cls in CUSTOMER.rules}
    assert handled == {
        "restaurant-updated",
        "restaurant-opened",
        "restaurant-closed",
        "menu-updated",
        "order-placed",
        "order-cancelled",
        "order-accepted",
        "order-rejected",
        "order-ready",
        "delivery-accepted",
        "order-picked-up",
        "order-delivered",
        "driver-location-changed",
    }
    for skipped in (MenuViewed, DriverStatusChanged):
        assert CUSTOMER.handler_for(skipped.event_type()) is None
    assert CUSTOMER.handler_for("fault") is None
    assert (CUSTOMER.name, CUSTOMER.group, CUSTOMER.database) == (
        "bff-customer.listener",
        "bff-customer.listener",
        "customer",
    )
    assert set(CUSTOMER.views) == {RESTAURANTS, MENUS, ORDERS_VIEW, POSITIONS}
    keys = {name: [i.document["key"] for i in idx] for name, idx in CUSTOMER.views.items()}
    assert list(keys[ORDERS_VIEW][0].items()) == [("customerId", 1), ("placedAt", -1)]
    assert list(keys[RESTAURANTS][0].items()) == [("isOpen", 1), ("name", 1)]


# --- the views they add up to -------------------------------------------------------------


async def test_a_restaurant_and_its_menu_of_the_same_moment_both_land() -> None:
    db = FakeDatabase()
    # registering publishes both in one millisecond
    await apply(db, updated(restaurant(), T0), menu_updated(menu(), T0))
    rdoc = await db[RESTAURANTS].find_one({"_id": RESTAURANT})
    mdoc = await db[MENUS].find_one({"_id": RESTAURANT})
    assert rdoc is not None and mdoc is not None
    entry = CatalogRestaurant.from_documents(rdoc, mdoc)
    assert (entry.name, entry.is_open, len(entry.items)) == ("Trattoria da Marco", True, 4)
    assert entry.categories == ["Pizza", "Pasta", "Dessert"]
    assert [i.id for i in entry.available_items] == ["mi-margherita", "mi-diavola", "mi-carbonara"]
    assert entry.last_event_ms == T0


async def test_closing_and_renaming_update_the_catalog_in_event_order() -> None:
    db = FakeDatabase()
    closed = RestaurantClosed.record(restaurant=restaurant(False), now_ms=T0 + 2, **kitchen_tags())
    await apply(db, updated(restaurant(), T0), closed)
    await apply(db, updated(restaurant(True, "Old name"), T0 + 1))  # late, older: dropped
    doc = await db[RESTAURANTS].find_one({"_id": RESTAURANT})
    assert doc is not None
    assert (doc["name"], doc["isOpen"], doc["restaurant"]["isOpen"]) == (
        "Trattoria da Marco",
        False,
        False,
    )


async def test_a_whole_lifecycle_fills_the_timeline() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order))
    got = await tracked(db)
    assert (got.status, got.can_cancel, got.timeline()) == ("placed", True, [("placed", T0)])
    await apply(db, accepted(order, T0 + 10))
    got = await tracked(db)
    assert (got.status, got.prep_minutes, got.is_tracked) == ("accepted", 15, True)
    assert got.pickup_address is not None and got.pickup_address.city == "Berlin"
    await apply(db, driver_event(DeliveryAccepted, order, "accepted", T0 + 20))
    await apply(db, ready(order, T0 + 30))
    got = await tracked(db)
    assert got.status == "ready" and got.driver is not None
    assert got.driver.name == "Jonas Weber"
    await apply(db, driver_event(OrderPickedUp, order, "picked-up", T0 + 40, T0 + 20))
    await apply(db, driver_event(OrderDelivered, order, "delivered", T0 + 50, T0 + 20))
    got = await tracked(db)
    assert (got.status, got.is_final, got.is_tracked) == ("delivered", True, False)
    assert got.timeline() == [
        ("placed", T0),
        ("accepted", T0 + 10),
        ("driverAssigned", T0 + 20),
        ("ready", T0 + 30),
        ("pickedUp", T0 + 40),
        ("delivered", T0 + 50),
    ]
    assert got.order.status == "placed" and got.last_event_ms == T0 + 50
    assert got.steps.cancelled is None and got.steps.picked_up == T0 + 40


@pytest.mark.parametrize("cancel_first", [True, False])
async def test_of_a_cancel_and_an_accept_the_first_in_the_partition_wins(
    cancel_first: bool,
) -> None:
    db, order = FakeDatabase(), new_order()
    cancel, accept = cancelled(order, T0 + 5), accepted(order, T0 + 6)
    first, second = (cancel, accept) if cancel_first else (accept, cancel)
    await apply(db, placed(order), first)
    await apply(db, second)
    got = await tracked(db)
    assert got.status == ("cancelled" if cancel_first else "accepted")
    assert [step for step, _ in got.timeline()] == ["placed", got.status]
    assert (got.cancel_reason is not None) is cancel_first


async def test_a_rejected_order_shows_why_and_a_late_ready_does_not_reopen_it() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order), rejected(order, T0 + 1), cancelled(order, T0 + 2))
    await apply(db, ready(order, T0 + 3))
    got = await tracked(db)
    assert (got.status, got.reject_reason) == ("rejected", "out of dough")
    assert got.timeline() == [("placed", T0), ("rejected", T0 + 1)]


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
    got = await tracked(db)
    assert got.status == "ready" and got.driver is not None
    assert got.last_event_ms == T0 + 30
    assert {"ready", "driverAssigned"} <= {step for step, _ in got.timeline()}
    before = db.snapshot()
    await apply(db, placed(order), accepted(order, T0 + 10), ready_event, driver)  # redelivered
    assert db.snapshot() == before


async def test_repeated_events_change_nothing() -> None:
    db, order = FakeDatabase(), new_order()
    story = [
        updated(restaurant(), T0 - 10),
        menu_updated(menu(), T0 - 10),
        placed(order),
        accepted(order, T0 + 1),
        driver_event(DeliveryAccepted, order, "accepted", T0 + 2),
        ready(order, T0 + 3),
    ]
    position_event = moved("o-1", T0 + 4)
    await apply(db, *story)
    await apply(db, position_event)
    before = db.snapshot()
    await apply(db, *story)
    await apply(db, position_event)
    await apply(db, *story, position_event)
    assert db.snapshot() == before


async def shown(db: FakeDatabase) -> Position | None:
    """The position the customer's app shows (as ``Order.driverPosition`` decides)."""
    q = CustomerQueries(db)  # type: ignore[arg-type]
    order = await q.order(CUSTOMER_ID, "o-1")
    (found,) = await q.positions_by_order(CUSTOMER_ID, ["o-1"])
    return found if order is not None and order.is_tracked else None


async def test_the_driver_is_shown_while_the_order_is_on_its_way_and_not_after() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order))
    await apply(db, moved("o-1", T0 + 1))  # not accepted yet: not shown
    assert await shown(db) is None
    await apply(
        db, accepted(order, T0 + 2), driver_event(DeliveryAccepted, order, "accepted", T0 + 3)
    )
    await apply(db, moved("o-1", T0 + 4, GeoPoint(lat=52.49, lng=13.41)))
    got = await shown(db)
    assert got is not None and (got.driver_id, got.at) == ("d-jonas", T0 + 4)
    assert (got.location.lat, got.location.lng) == (52.49, 13.41)
    await apply(db, driver_event(OrderPickedUp, order, "picked-up", T0 + 6))
    await apply(db, moved("o-1", T0 + 7))
    assert (await shown(db)) == got.model_copy(update={"location": HERE, "at": T0 + 7})
    await apply(db, driver_event(OrderDelivered, order, "delivered", T0 + 8))
    assert await shown(db) is None  # delivered: no longer tracked


async def test_a_position_for_a_cancelled_order_is_not_shown() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, placed(order), cancelled(order, T0 + 1))
    await apply(db, moved("o-1", T0 + 2))
    assert await shown(db) is None


async def test_a_delivery_event_before_its_order_leaves_no_half_order_in_the_lists() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, driver_event(DeliveryAccepted, order, "accepted", T0))
    doc = await db[ORDERS_VIEW].find_one({"_id": "o-1"})
    assert doc is not None and TrackedOrder.from_document(doc) is None
    assert doc["customerId"] == CUSTOMER_ID  # whose it is, already


async def test_a_decision_seen_without_its_order_placed_stands_on_its_own() -> None:
    db, order = FakeDatabase(), new_order()
    await apply(db, accepted(order, T0 + 5))
    got = await tracked(db)
    assert (got.status, got.placed_at, got.customer_id) == ("accepted", T0, CUSTOMER_ID)
    assert got.timeline() == [("placed", T0), ("accepted", T0 + 5)]
