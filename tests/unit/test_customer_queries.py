"""The customer's reads over views built by the real listener rules (in-memory store):
keyset pages, menus with their restaurants, only the customer's own orders and positions."""

from __future__ import annotations

import base64
import json

import pytest

from bff.customer.queries import MAX_LIMIT, CustomerQueries
from events import DeliveryAccepted, Event, GeoPoint, RestaurantClosed
from tests.support.fakes import FakeDatabase
from tests.unit.test_customer_listener import (
    T0,
    accepted,
    apply,
    driver_event,
    kitchen_tags,
    menu,
    menu_updated,
    moved,
    new_order,
    placed,
    restaurant,
    updated,
)


def queries(db: FakeDatabase) -> CustomerQueries:
    return CustomerQueries(db)  # type: ignore[arg-type]


async def catalog(db: FakeDatabase, names: dict[str, tuple[str, bool]]) -> None:
    """Restaurants by id: (name, open); only r-a gets a menu."""
    events: list[Event] = []
    for n, (rid, (name, is_open)) in enumerate(names.items()):
        r = restaurant(is_open, name).model_copy(update={"id": rid})
        events.append(updated(r, T0 + n))
    events.append(menu_updated(menu().model_copy(update={"restaurant_id": "r-a"}), T0))
    await apply(db, *events)


async def test_open_restaurants_page_by_name_then_id_with_their_menus() -> None:
    db = FakeDatabase()
    await catalog(
        db,
        {
            "r-a": ("Bella", True),
            "r-b": ("Akropolis", True),
            "r-c": ("Bella", True),  # same name: the id decides
            "r-d": ("Zeitgeist", False),
            "r-e": ("Curry 36", True),
        },
    )
    q = queries(db)
    first, cursor = await q.restaurants(limit=2)
    assert [r.id for r in first] == ["r-b", "r-a"] and cursor is not None
    assert first[0].menu is None and first[1].menu is not None and len(first[1].items) == 4
    second, cursor = await q.restaurants(after=cursor, limit=2)
    assert [r.id for r in second] == ["r-c", "r-e"] and cursor is None  # exactly the last
    everything, cursor = await q.restaurants(open_only=False, limit=MAX_LIMIT)
    assert [r.name for r in everything] == ["Akropolis", "Bella", "Bella", "Curry 36", "Zeitgeist"]
    assert cursor is None


async def test_a_closed_restaurant_leaves_the_open_list_but_can_still_be_read() -> None:
    db = FakeDatabase()
    await catalog(db, {"r-a": ("Bella", True)})
    r = restaurant(False, "Bella").model_copy(update={"id": "r-a"})
    await apply(db, RestaurantClosed.record(restaurant=r, now_ms=T0 + 9, **kitchen_tags()))
    q = queries(db)
    assert await q.restaurants() == ([], None)
    one = await q.restaurant("r-a")
    assert one is not None and not one.is_open and one.menu is not None
    assert one.item("mi-diavola") is not None and one.item("mi-nope") is None
    assert [c for c, _ in one.sections()] == ["Pizza", "Pasta", "Dessert"]
    assert await q.restaurant("r-unknown") is None


async def test_orders_page_newest_first_and_only_the_customers_own() -> None:
    db = FakeDatabase()
    mine = [new_order(f"o-{n}").model_copy(update={"placed_at": T0 + n}) for n in range(5)]
    same_moment = new_order("o-0b").model_copy(update={"placed_at": T0 + 4})
    theirs = new_order("o-theirs", customer_id="c-omar").model_copy(update={"placed_at": T0 + 9})
    await apply(db, *(placed(o, o.placed_at) for o in [*mine, same_moment, theirs]))
    q = queries(db)
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(4):
        page, cursor = await q.orders("c-lena-fischer", after=cursor, limit=2)
        seen += [o.order_id for o in page]
        if cursor is None:
            break
    assert seen == ["o-0b", "o-4", "o-3", "o-2", "o-1", "o-0"]
    assert await q.order("c-lena-fischer", "o-theirs") is None
    assert await q.order("c-omar", "o-theirs") is not None
    found = await q.orders_by_id("c-lena-fischer", ["o-1", "o-theirs", "o-nope"])
    assert [o.order_id if o else None for o in found] == ["o-1", None, None]


async def test_positions_only_for_the_customers_own_orders_and_their_driver() -> None:
    db = FakeDatabase()
    mine, theirs = new_order("o-1"), new_order("o-2", customer_id="c-omar")
    unassigned = new_order("o-4")
    await apply(
        db,
        *(placed(o) for o in (mine, theirs, unassigned)),
        *(accepted(o, T0 + 1) for o in (mine, theirs, unassigned)),
        driver_event(DeliveryAccepted, mine, "accepted", T0 + 2),
        driver_event(DeliveryAccepted, theirs, "accepted", T0 + 2),
    )
    await apply(
        db,
        moved("o-1", T0 + 3),
        moved("o-2", T0 + 3, GeoPoint(lat=1, lng=2)),
        moved("o-4", T0 + 3),  # no driver assigned to the order (yet)
    )
    q = queries(db)
    got = await q.positions_by_order("c-lena-fischer", ["o-1", "o-2", "o-3", "o-4"])
    assert got[0] is not None and got[0].order_id == "o-1" and got[1:] == [None, None, None]
    await apply(db, moved("o-1", T0 + 4, GeoPoint(lat=3, lng=4), driver_id="d-aylin"))
    assert await q.positions_by_order("c-lena-fischer", ["o-1"]) == [None]  # not its driver


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        "",
        base64.urlsafe_b64encode(b"{}").decode(),
        base64.urlsafe_b64encode(json.dumps(["o", 1, "o-1"]).encode()).decode(),  # orders'
        base64.urlsafe_b64encode(json.dumps(["r", 1, "r-1"]).encode()).decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
async def test_a_bad_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(ValueError, match="invalid cursor"):
        await queries(FakeDatabase()).restaurants(after=cursor)


async def test_an_orders_cursor_is_not_a_restaurants_cursor_and_limits_are_checked() -> None:
    db = FakeDatabase()
    await apply(db, *(placed(new_order(f"o-{n}"), T0 + n) for n in range(3)))
    q = queries(db)
    _, cursor = await q.orders("c-lena-fischer", limit=1)
    assert cursor is not None
    with pytest.raises(ValueError, match="invalid cursor"):
        await q.restaurants(after=cursor)
    for limit in (0, MAX_LIMIT + 1, -1):
        with pytest.raises(ValueError, match="limit"):
            await q.restaurants(limit=limit)
        with pytest.raises(ValueError, match="limit"):
            await q.orders("c-lena-fischer", limit=limit)
