"""The restaurant BFF's domain against the real Kafka, FerretDB and Redis, with upstream
events simulated (no other BFF runs): the listener turns them into tickets, the commands
decide on them through the outbox, the relay publishes the decisions back to the hub."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.hub import EventPublisher
from adapters.notify import Notifications
from adapters.settings import Settings
from adapters.store import Document
from bff.kit.doclock import DocumentLocks
from bff.kit.failures import InvalidState, NotAllowed, NotFound
from bff.kit.outbox import OUTBOX_FIELD, Outbox
from bff.kit.relay import OutboxRelay
from bff.kit.wakeup import RelaySignal
from bff.restaurant.commands import RestaurantCommands
from bff.restaurant.listener import KITCHEN
from bff.restaurant.names import DECISIONS, OUTBOX_COLLECTIONS, TICKETS, scope
from bff.restaurant.queries import RestaurantQueries
from bff.restaurant.tickets import Column, Ticket
from events import (
    DeliveryAccepted,
    Event,
    MenuItem,
    MenuUpdated,
    MenuView,
    MenuViewed,
    Order,
    OrderPickedUp,
    OrderPlaced,
    Restaurant,
    RestaurantUpdated,
    parse_event,
)
from events.samples import sample_event
from listeners.runtime import ListenerRuntime
from tests.integration.listening import for_test, running, wait_for
from tests.integration.test_outbox_relay import read_topic
from tests.support import upstream
from tests.support.upstream import unique


@dataclass
class Kitchen:
    """One restaurant's BFF domain wired to the test's topic and database, plus the
    simulated other services (publishing on the hub as they would)."""

    restaurant_id: str
    db: AsyncDatabase[Document]
    commands: RestaurantCommands
    queries: RestaurantQueries
    hub: EventPublisher
    relay: OutboxRelay
    settings: Settings
    topic: str

    def order(self, order_id: str | None = None, restaurant_id: str | None = None) -> Order:
        template = sample_event("order-placed")
        assert isinstance(template, OrderPlaced)
        return template.order.model_copy(
            update={
                "id": order_id or unique("o"),
                "restaurant_id": restaurant_id or self.restaurant_id,
            }
        )

    async def place(self, order: Order) -> OrderPlaced:
        event = upstream.placed(order)
        await self.hub.publish(event)
        return event

    async def cancel(self, order: Order) -> None:
        await self.hub.publish(upstream.cancelled(order))

    async def driver(self, kind: type[DeliveryAccepted | OrderPickedUp], order: Order) -> None:
        await self.hub.publish(upstream.delivery_event(kind, order))

    async def ticket(self, order_id: str) -> Ticket | None:
        return await self.queries.ticket(self.restaurant_id, order_id)

    async def wait_status(self, order_id: str, status: str) -> None:
        async def reached() -> bool:
            ticket = await self.ticket(order_id)
            return ticket is not None and ticket.status == status

        await wait_for(f"ticket {order_id} {status}", reached, 30)

    async def wait_consumed(self, runtime: ListenerRuntime) -> None:
        """Until the listener consumed every event on the topic now."""
        total = len(await read_topic(self.settings.kafka_bootstrap, self.topic))

        async def caught_up() -> bool:
            return runtime.counters.events >= total

        await wait_for(f"{total} events consumed", caught_up, 30)

    async def pending(self, order_id: str) -> list[Event]:
        doc = await self.db[DECISIONS].find_one({"_id": order_id})
        entries = doc.get(OUTBOX_FIELD, []) if doc else []
        return [parse_event(json.loads(entry["value"])) for entry in entries]


@pytest.fixture
async def kitchen(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[Kitchen]:
    locks = DocumentLocks(redis)
    service = unique("bff-restaurant-test")
    commands = RestaurantCommands.create(db, Outbox(service, locks=locks), locks)
    restaurant_id = unique("r")
    template = sample_event("restaurant-updated")
    menu = sample_event("menu-updated")
    assert isinstance(template, RestaurantUpdated) and isinstance(menu, MenuUpdated)
    restaurant: Restaurant = template.restaurant.model_copy(update={"id": restaurant_id})
    items: list[MenuItem] = list(menu.menu.items)
    await commands.profile.register_restaurant(restaurant, items)
    async with EventPublisher(settings.kafka_bootstrap, topic) as hub:
        relay = OutboxRelay(
            db, OUTBOX_COLLECTIONS, hub, RelaySignal(), locks=locks, service=service
        )
        yield Kitchen(
            restaurant_id, db, commands, RestaurantQueries(db), hub, relay, settings, topic
        )


def listening(kitchen: Kitchen) -> contextlib.AbstractAsyncContextManager[ListenerRuntime]:
    return running(for_test(KITCHEN, kitchen.topic, kitchen.db), kitchen.settings, kitchen.topic)


async def test_simulated_orders_become_tickets_that_follow_the_kitchen_and_the_driver(
    kitchen: Kitchen, redis: Redis
) -> None:
    rid = kitchen.restaurant_id
    first, second, foreign = kitchen.order(), kitchen.order(), kitchen.order(None, unique("r"))
    notified: list[dict[str, Any]] = []
    async with listening(kitchen) as runtime, _collecting(redis, scope(rid), notified):
        for order in (first, second, foreign):
            await kitchen.place(order)
        await kitchen.wait_status(second.id, "placed")
        await kitchen.wait_status(first.id, "placed")
        board = await kitchen.queries.board(rid)
        assert {t.order_id for t in board[Column.NEW]} == {first.id, second.id}
        assert await kitchen.ticket(foreign.id) is None  # not ours: not shown

        decision = await kitchen.commands.kitchen.accept(rid, first.id, 15)
        assert [e.type for e in await kitchen.pending(first.id)] == ["order-accepted"]
        await kitchen.commands.kitchen.reject(rid, second.id, "Out of dough")
        assert await kitchen.relay.publish_pending() == 4  # 2 from registering, 2 decisions
        await kitchen.wait_status(first.id, "accepted")
        await kitchen.wait_status(second.id, "rejected")
        assert await kitchen.pending(first.id) == []

        await kitchen.driver(DeliveryAccepted, first)
        ready = await kitchen.commands.kitchen.mark_ready(rid, first.id)
        assert ready.status == "ready" and ready.correlation_id == decision.correlation_id
        await kitchen.relay.publish_pending()
        await kitchen.wait_status(first.id, "ready")
        ticket = await kitchen.ticket(first.id)
        assert ticket is not None and ticket.driver is not None
        assert (ticket.driver.name, ticket.prep_minutes) == ("Jonas Weber", 15)
        await kitchen.driver(OrderPickedUp, first)
        await kitchen.wait_status(first.id, "picked-up")
        board = await kitchen.queries.board(rid)
        assert [t.order_id for t in board[Column.OUT_FOR_DELIVERY]] == [first.id]
        assert board[Column.NEW] == [] and board[Column.PREPARING] == []
        done = await kitchen.queries.tickets(rid, Column.DONE)
        assert [(t.order_id, t.reject_reason) for t in done] == [(second.id, "Out of dough")]

        for customer in ("c-1", "c-2", "c-1"):
            view = MenuView(restaurant_id=rid, customer_id=customer)
            await kitchen.hub.publish(
                MenuViewed.record(view=view, source="bff-customer", actor=f"customer:{customer}")
            )
        await kitchen.wait_consumed(runtime)
    popularity = await kitchen.queries.popularity(rid)
    assert (popularity.menu_views, popularity.viewers, popularity.orders) == (3, 2, 1)
    assert [(i.menu_item_id, i.quantity) for i in popularity.items] == [
        ("mi-margherita", 2),
        ("mi-carbonara", 1),
    ]
    assert runtime.counters.faults == 0
    assert {(n["view"], n["id"]) for n in notified} >= {(TICKETS, first.id), (TICKETS, second.id)}


async def test_wrong_restaurant_unknown_order_and_wrong_state_write_nothing(
    kitchen: Kitchen,
) -> None:
    rid = kitchen.restaurant_id
    ours, theirs, gone = kitchen.order(), kitchen.order(None, unique("r")), kitchen.order()
    async with listening(kitchen):
        for order in (ours, theirs, gone):
            await kitchen.place(order)
        await kitchen.cancel(gone)
        await kitchen.wait_status(gone.id, "cancelled")
        await wait_for("the other restaurant's ticket", _exists(kitchen, theirs.id), 30)
        await kitchen.wait_status(ours.id, "placed")

    calls: list[tuple[Awaitable[Any], type[Exception]]] = [
        (kitchen.commands.kitchen.accept(rid, theirs.id, 10), NotAllowed),
        (kitchen.commands.kitchen.reject(rid, theirs.id, "no"), NotAllowed),
        (kitchen.commands.kitchen.mark_ready(rid, theirs.id), NotAllowed),
        (kitchen.commands.kitchen.accept(rid, unique("o"), 10), NotFound),
        (kitchen.commands.kitchen.accept(rid, gone.id, 10), InvalidState),
        (kitchen.commands.kitchen.mark_ready(rid, ours.id), InvalidState),
    ]
    for call, kind in calls:
        with pytest.raises(kind):
            await call
    assert await kitchen.db[DECISIONS].count_documents({}) == 0
    ticket = await kitchen.ticket(ours.id)
    assert ticket is not None and ticket.status == "placed"


async def test_of_twenty_concurrent_decisions_on_one_order_exactly_one_wins(
    kitchen: Kitchen, redis: Redis
) -> None:
    rid, order = kitchen.restaurant_id, kitchen.order()
    async with listening(kitchen):
        await kitchen.place(order)
        await kitchen.wait_status(order.id, "placed")

    # several API replicas: each with its own outbox, all on the same Redis locks
    replicas = [
        RestaurantCommands.create(
            kitchen.db, Outbox(unique("replica"), locks=DocumentLocks(redis)), DocumentLocks(redis)
        )
        for _ in range(4)
    ]
    calls = [
        replicas[n % 4].kitchen.accept(rid, order.id, 10 + n)
        if n % 2
        else replicas[n % 4].kitchen.reject(rid, order.id, f"reason {n}")
        for n in range(20)
    ]
    results = await asyncio.gather(*calls, return_exceptions=True)
    winners = [r for r in results if not isinstance(r, BaseException)]
    assert len(winners) == 1, results
    assert all(isinstance(r, InvalidState) for r in results if isinstance(r, BaseException))
    (event,) = await kitchen.pending(order.id)
    assert event.type == f"order-{winners[0].status}"

    await kitchen.relay.publish_pending()
    records = await read_topic(kitchen.settings.kafka_bootstrap, kitchen.topic)
    decisions = [
        parse_event(r.value)
        for r in records
        if r.key == order.id.encode() and parse_event(r.value).type != "order-placed"
    ]
    assert [e.id for e in decisions] == [event.id]


@pytest.mark.parametrize("cancel_first", [True, False], ids=["cancel-first", "accept-first"])
async def test_a_cancel_and_an_accept_on_the_hub_end_with_whichever_came_first(
    kitchen: Kitchen, cancel_first: bool
) -> None:
    rid, order = kitchen.restaurant_id, kitchen.order()
    async with listening(kitchen) as runtime:
        await kitchen.place(order)
        await kitchen.wait_status(order.id, "placed")
        # the kitchen accepts while the customer cancels: both facts reach the hub
        await kitchen.commands.kitchen.accept(rid, order.id, 10)
        if cancel_first:
            await kitchen.cancel(order)
            await kitchen.relay.publish_pending()
        else:
            await kitchen.relay.publish_pending()
            await kitchen.cancel(order)
        await kitchen.wait_consumed(runtime)

    records = await read_topic(kitchen.settings.kafka_bootstrap, kitchen.topic)
    on_hub = [parse_event(r.value).type for r in records if r.key == order.id.encode()]
    first = "order-cancelled" if cancel_first else "order-accepted"
    assert on_hub[1] == first and sorted(on_hub[1:]) == ["order-accepted", "order-cancelled"]
    ticket = await kitchen.ticket(order.id)
    assert ticket is not None
    assert ticket.status == ("cancelled" if cancel_first else "accepted")
    if cancel_first:  # the accept lost: the kitchen cannot go on with the order
        with pytest.raises(InvalidState, match="cancelled"):
            await kitchen.commands.kitchen.mark_ready(rid, order.id)


def _exists(kitchen: Kitchen, order_id: str) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await kitchen.db[TICKETS].find_one({"_id": order_id}) is not None

    return check


@contextlib.asynccontextmanager
async def _collecting(
    redis: Redis, scope_name: str, into: list[dict[str, Any]]
) -> AsyncIterator[None]:
    """Collect the notifications of one scope while the block runs."""
    subscribed = asyncio.Event()

    async def collect() -> None:
        pubsub = redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(Notifications(redis).channel(scope_name))
        subscribed.set()
        try:
            while True:
                item = await pubsub.get_message(timeout=0.5)
                if item is not None:
                    into.append(json.loads(item["data"]))
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    task = asyncio.create_task(collect())
    await asyncio.wait_for(subscribed.wait(), 10)
    try:
        yield
    finally:
        await asyncio.sleep(0.5)  # the last notifications of the block
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_menu_changes_from_many_consoles_at_once_lose_nothing_and_reach_the_hub(
    kitchen: Kitchen, redis: Redis
) -> None:
    rid = kitchen.restaurant_id
    consoles = [
        RestaurantCommands.create(
            kitchen.db, Outbox(unique("replica"), locks=DocumentLocks(redis)), DocumentLocks(redis)
        ).profile
        for _ in range(3)
    ]
    added = await asyncio.gather(
        *(
            consoles[n % 3].add_menu_item(
                rid, name=f"Special {n}", price_cents=1000 + n, category="Specials"
            )
            for n in range(10)
        )
    )
    await kitchen.commands.profile.close(rid)
    await kitchen.commands.profile.update_profile(rid, cuisine="Neapolitan")

    profile = await kitchen.queries.profile(rid)
    assert profile is not None
    assert {i.id for i in profile.menu.items} >= {i.id for i in added}
    assert len(profile.menu.items) == 4 + 10
    assert (profile.restaurant.is_open, profile.restaurant.cuisine) == (False, "Neapolitan")

    assert await kitchen.relay.publish_pending() == 2 + 10 + 2
    records = await read_topic(kitchen.settings.kafka_bootstrap, kitchen.topic)
    events = [parse_event(r.value) for r in records if r.key == rid.encode()]
    types = [e.type for e in events]
    assert types == ["restaurant-updated"] + ["menu-updated"] * 11 + [
        "restaurant-closed",
        "restaurant-updated",
    ]
    last_menu = [e for e in events if isinstance(e, MenuUpdated)][-1]
    assert last_menu.menu == profile.menu
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)
