"""The customer BFF's views against the real Kafka, FerretDB and Redis, with upstream
events simulated (no other BFF runs): restaurants and menus from the restaurant BFF, the
kitchen's decisions, the driver's delivery and positions. The listener ``CUSTOMER`` turns
them into views; ``CustomerQueries`` pages and reads them; the customer's app is told
about each change on ``customer:<id>``."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.hub import EventPublisher
from adapters.notify import Notifications
from adapters.settings import Settings
from adapters.store import Document
from bff.customer.listener import CUSTOMER
from bff.customer.names import CATALOG_SCOPE, MENUS, ORDERS_VIEW, POSITIONS, RESTAURANTS, scope
from bff.customer.queries import CustomerQueries
from events import (
    DeliveryAccepted,
    GeoPoint,
    MenuItem,
    MenuUpdated,
    Order,
    OrderDelivered,
    OrderPickedUp,
    Restaurant,
    RestaurantUpdated,
)
from events.samples import sample_event
from listeners.runtime import ListenerRuntime
from tests.integration.listening import for_test, running, wait_for
from tests.support import upstream
from tests.support.upstream import unique


def listening(
    settings: Settings, topic: str, db: AsyncDatabase[Document]
) -> contextlib.AbstractAsyncContextManager[ListenerRuntime]:
    return running(for_test(CUSTOMER, topic, db), settings, topic)


def a_restaurant(name: str, *, is_open: bool = True) -> Restaurant:
    template = sample_event("restaurant-updated")
    assert isinstance(template, RestaurantUpdated)
    return template.restaurant.model_copy(
        update={"id": unique("r"), "name": name, "is_open": is_open}
    )


def menu_items() -> list[MenuItem]:
    template = sample_event("menu-updated")
    assert isinstance(template, MenuUpdated)
    return list(template.menu.items)


def an_order(restaurant: Restaurant, customer: tuple[str, str], placed_at: int) -> Order:
    order = upstream.order_from_menu(
        restaurant.id,
        restaurant.name,
        menu_items(),
        lines=[("mi-margherita", 2), ("mi-carbonara", 1)],
        customer=customer,
    )
    return order.model_copy(update={"placed_at": placed_at})


@contextlib.asynccontextmanager
async def collecting(redis: Redis, scopes: list[str]) -> AsyncIterator[list[dict[str, Any]]]:
    """The notifications on the scopes while the block runs, each with its ``scope``."""
    into: list[dict[str, Any]] = []
    notifications = Notifications(redis)
    subscribed = asyncio.Event()
    strip = len(notifications.channel(""))

    async def collect() -> None:
        pubsub = redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(*(notifications.channel(s) for s in scopes))
        subscribed.set()
        try:
            while True:
                item = await pubsub.get_message(timeout=0.5)
                if item is not None:
                    message = json.loads(item["data"])
                    into.append({**message, "scope": item["channel"].decode()[strip:]})
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    task = asyncio.create_task(collect())
    await asyncio.wait_for(subscribed.wait(), 10)
    try:
        yield into
    finally:
        await asyncio.sleep(0.5)  # the last notifications of the block
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def status_of(
    queries: CustomerQueries, customer_id: str, order_id: str, status: str
) -> Callable[[], Awaitable[bool]]:
    async def reached() -> bool:
        order = await queries.order(customer_id, order_id)
        return order is not None and order.status == status

    return reached


async def test_the_catalog_pages_open_restaurants_by_name_with_their_menus(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> None:
    names = ["Bella Napoli", "Akropolis", "Curry 36", "Dolce Vita", "Bella Napoli", "Edo Sushi"]
    restaurants = [a_restaurant(name) for name in names]
    closed = a_restaurant("Aaa Closed", is_open=False)
    items = menu_items()
    queries = CustomerQueries(db)
    async with (
        EventPublisher(settings.kafka_bootstrap, topic) as hub,
        listening(settings, topic, db) as runtime,
        collecting(redis, [CATALOG_SCOPE]) as notified,
    ):
        for r in [*restaurants, closed]:
            # as the restaurant BFF registers one: both facts in one millisecond
            now = upstream.now_ms()
            await hub.publish_many(
                [
                    upstream.restaurant_updated(r).model_copy(update={"timestamp": now}),
                    upstream.menu_updated(r.id, items).model_copy(update={"timestamp": now}),
                ]
            )
        await hub.publish(upstream.restaurant_closed(restaurants[3]))  # Dolce Vita closes

        async def catalogued() -> bool:
            whole, _ = await queries.restaurants(open_only=False, limit=50)
            dolce = await queries.restaurant(restaurants[3].id)
            return (
                len(whole) == 7
                and all(r.menu is not None for r in whole)
                and dolce is not None
                and not dolce.is_open
            )

        await wait_for("the catalog", catalogued, 30)

        pages: list[list[str]] = []
        cursor: str | None = None
        while True:
            page, cursor = await queries.restaurants(after=cursor, limit=2)
            pages.append([r.name for r in page])
            if cursor is None:
                break
        assert pages == [["Akropolis", "Bella Napoli"], ["Bella Napoli", "Curry 36"], ["Edo Sushi"]]
        bellas = sorted(r.id for r in restaurants if r.name == "Bella Napoli")
        both, _ = await queries.restaurants(limit=3)
        assert [r.id for r in both[1:]] == bellas  # one name: by id

        every, cursor = await queries.restaurants(open_only=False, limit=50)
        assert every[0].name == "Aaa Closed" and cursor is None
        one = await queries.restaurant(restaurants[0].id)
        assert one is not None and one.menu is not None
        assert [i.id for i in one.available_items] == [i.id for i in items if i.available]
        assert runtime.counters.faults == 0
    assert {n["view"] for n in notified} == {RESTAURANTS, MENUS}
    assert {n["id"] for n in notified} >= {r.id for r in restaurants}


async def test_a_customer_follows_their_orders_live_and_sees_no_one_elses(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> None:
    lena, omar = (unique("c-lena"), "Lena Fischer"), (unique("c-omar"), "Omar Haddad")
    restaurant = a_restaurant("Trattoria")
    base = upstream.now_ms() - 60_000
    mine = [an_order(restaurant, lena, base + n * 1000) for n in range(5)]
    theirs = an_order(restaurant, omar, base + 2500)
    first, second, third = mine[-1], mine[-2], mine[-3]  # the newest three
    queries = CustomerQueries(db)
    async with (
        EventPublisher(settings.kafka_bootstrap, topic) as hub,
        listening(settings, topic, db) as runtime,
        collecting(redis, [scope(lena[0]), scope(omar[0])]) as notified,
    ):
        await hub.publish_many([upstream.placed(o) for o in [*mine, theirs]])
        for order in [*mine, theirs]:
            customer = omar[0] if order is theirs else lena[0]
            await wait_for(order.id, status_of(queries, customer, order.id, "placed"), 30)

        # pages, newest first; another customer's order is in none of them
        seen: list[str] = []
        cursor: str | None = None
        while True:
            page, cursor = await queries.orders(lena[0], after=cursor, limit=2)
            seen += [o.order_id for o in page]
            if cursor is None:
                break
        assert seen == [o.id for o in reversed(mine)]
        assert [o.order_id for o in (await queries.orders(omar[0]))[0]] == [theirs.id]
        assert await queries.order(lena[0], theirs.id) is None
        assert await queries.orders_by_id(lena[0], [first.id, theirs.id]) == [
            await queries.order(lena[0], first.id),
            None,
        ]

        # the kitchen decides; the driver takes the first one on its way
        decision = upstream.accepted(first, prep_minutes=20, pickup_address=restaurant.address)
        await hub.publish_many(
            [
                decision,
                upstream.rejected(second),
                upstream.cancelled(third),
                upstream.accepted(theirs),
            ]
        )
        await wait_for("accepted", status_of(queries, lena[0], first.id, "accepted"), 30)
        await wait_for("rejected", status_of(queries, lena[0], second.id, "rejected"), 30)
        await wait_for("cancelled", status_of(queries, lena[0], third.id, "cancelled"), 30)
        await wait_for("omar's", status_of(queries, omar[0], theirs.id, "accepted"), 30)
        await hub.publish(upstream.delivery_event(DeliveryAccepted, first))
        await hub.publish(upstream.ready(first, caused_by=decision))
        await wait_for("ready", status_of(queries, lena[0], first.id, "ready"), 30)

        async def driver_known() -> bool:
            order = await queries.order(lena[0], first.id)
            return order is not None and order.driver is not None

        await wait_for("the driver", driver_known, 30)
        where = GeoPoint(lat=52.5, lng=13.42)
        await hub.publish(upstream.location_changed(where, first))
        await hub.publish(upstream.location_changed(GeoPoint(lat=1, lng=1), theirs))

        async def on_the_map() -> bool:
            found = await queries.positions_by_order(lena[0], [first.id])
            return found[0] is not None

        await wait_for("the driver's position", on_the_map, 30)
        (position,) = await queries.positions_by_order(lena[0], [first.id])
        assert position is not None
        assert (position.location, position.driver_id) == (where, upstream.DRIVERS[0][0])
        assert await queries.positions_by_order(lena[0], [theirs.id]) == [None]

        await hub.publish(upstream.delivery_event(OrderPickedUp, first))
        await hub.publish(upstream.delivery_event(OrderDelivered, first))
        await wait_for("delivered", status_of(queries, lena[0], first.id, "delivered"), 30)
        # a delivered order is not tracked any more: a late position is kept, never shown
        await hub.publish(upstream.location_changed(GeoPoint(lat=0, lng=0), first))
        await wait_for("all consumed", _consumed(runtime, 5 + 1 + 4 + 2 + 2 + 2 + 1), 30)

        done = await queries.order(lena[0], first.id)
        assert done is not None and done.is_final
        assert (done.prep_minutes, done.pickup_address) == (20, restaurant.address)
        timeline = done.timeline()
        assert [step for step, _ in timeline][:2] == ["placed", "accepted"]
        assert [at for _, at in timeline] == sorted(at for _, at in timeline)
        assert {step for step, _ in timeline} == {
            "placed",
            "accepted",
            "driverAssigned",
            "ready",
            "pickedUp",
            "delivered",
        }
        assert timeline[-1] == ("delivered", done.steps.delivered)
        rejected = await queries.order(lena[0], second.id)
        assert rejected is not None and rejected.reject_reason == "Out of dough"
        assert [s for s, _ in rejected.timeline()] == ["placed", "rejected"]
        assert not done.is_tracked  # the app shows no driver position for it
        assert runtime.counters.faults == 0

    lenas = [n for n in notified if n["scope"] == scope(lena[0])]
    omars = [n for n in notified if n["scope"] == scope(omar[0])]
    assert {n["id"] for n in lenas if n["view"] == ORDERS_VIEW} == {o.id for o in mine}
    assert {(n["view"], n["id"]) for n in lenas if n["view"] == POSITIONS} == {
        (POSITIONS, first.id)
    }
    assert {n["id"] for n in omars} == {theirs.id}  # nobody hears of another's orders
    on_first = [n["type"] for n in lenas if (n["view"], n["id"]) == (ORDERS_VIEW, first.id)]
    assert on_first[0] == "order-placed" and on_first[-1] == "order-delivered"


def _consumed(runtime: ListenerRuntime, total: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return runtime.counters.events >= total

    return check
