"""Broker and store restarts under load: Kafka, then the store (FerretDB), then Redis is
stopped for a while and started again, while customers keep ordering (about 2 orders/s,
an order answered "try again" sent again with its request key) and kitchens keep
accepting, through the BFFs' GraphQL as the apps call it (``outage_load``).

What must hold (issue 9):

- every command either succeeds or answers a clear retryable error (``UNAVAILABLE``,
  "try again"; or ``BUSY``), never an HTTP 500, a masked "Unexpected error." or no answer
  within 10 s; the same holds for the kitchen's board query (``outage_ledger``);
- nothing acknowledged is lost: every placed order ends up in the customer's view, the
  restaurant's view, on the hub (``order-placed``) and in the lake, and every accepted
  one on the hub (``order-accepted``) and as accepted in the customer's view;
- the subscriptions opened before the outages (each demo customer's ``myOrders``, each
  kitchen's ``kitchen``) stay open, without being reopened: an update they cannot read
  while the store is down (a notification sent then, as a listener sends it after a
  view write) comes as a RESYNC, and each pushes a change made after the last restart.

Its own whole system (own topic, database prefix, lake, API ports 18021-18023), with the
supervisor restarting processes that exit (an API process that exits fails the test; the
others are counted and printed with the table of outcomes per outage). The stack is left
running, also when the test fails. ``FD_FAULTS_LONG=1``: 30 s outages, 4 orders/s.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from ulid import ULID

from adapters.settings import Settings
from bff.customer.demo import CUSTOMERS
from bff.restaurant.demo import RESTAURANTS
from tests.faults.outage import restarts, stack_kept_up, start_service, stop_service
from tests.faults.outage_checks import (
    ACCEPTED_OR_LATER,
    customer_orders,
    hub_orders,
    kitchen_tickets,
    lake_orders,
    missing_after,
    sample,
)
from tests.faults.outage_ledger import ACKNOWLEDGED, OTHER, Ledger
from tests.faults.outage_live import (
    KITCHEN,
    MY_ORDERS,
    Subscription,
    about_order,
    notify_as_listener,
)
from tests.faults.outage_load import Api, Load, describe
from tests.faults.scale import scaled
from tests.integration.listening import wait_for
from tests.system.whole import System, whole_system

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "test-results" / "faults-outages.log"
PORTS = {"customer": 18021, "restaurant": 18022, "driver": 18023}

OUTAGES = ("kafka", "store", "redis")
WARM_UP = scaled(6, 20)
DOWN = scaled(8, 30)
SETTLE = scaled(10, 30)
RATE = scaled(2.0, 4.0)
#: how long the views, the hub and the lake may take to catch up after the load
CATCH_UP = scaled(90, 180)

pytestmark = pytest.mark.timeout(int(scaled(420, 900)))

COMMANDS = ("placeOrder", "acceptOrder")


class Nudge(NamedTuple):
    """The notifications sent while the store was down: when, and the order each
    subscription's scope was told about."""

    sent: float
    order_of: dict[str, str]


QUERIES = ("board",)


async def test_kafka_store_and_redis_restarts_lose_nothing_acknowledged(
    settings: Settings, kafka_bootstrap: str, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    name = str(ULID()).lower()
    async with (
        stack_kept_up(settings),
        whole_system(
            settings, name=name, lake_dir=lake, log=LOG, ports=PORTS, restart=True
        ) as system,
    ):
        ledger = Ledger()
        api = Api(system, ledger)
        subscriptions = await _subscriptions(system)
        feeds = {s.name.split(":", 1)[1]: s for s in subscriptions if s.field == "kitchen"}
        load = Load(api, RESTAURANTS, rate=RATE, feeds=feeds)
        try:
            nudge = await _run(settings, system, ledger, load, subscriptions)
            await _check(system, lake, ledger, load, subscriptions, nudge)
        finally:
            await api.aclose()
            for each in subscriptions:
                await each.close()


async def _subscriptions(system: System) -> list[Subscription]:
    """Each customer's ``myOrders`` and each kitchen's ``kitchen``."""
    found = [
        await Subscription.open(system, "customer", c.id, MY_ORDERS, "myOrders") for c in CUSTOMERS
    ]
    found += [
        await Subscription.open(system, "restaurant", r.restaurant.id, KITCHEN, "kitchen")
        for r in RESTAURANTS
    ]
    return found


async def _run(
    settings: Settings,
    system: System,
    ledger: Ledger,
    load: Load,
    subscriptions: list[Subscription],
) -> Nudge:
    """Warm up, the three outages under load, then stop the load (its requests answered);
    the notifications sent while the store was down."""
    ledger.begin("warm-up")
    nudge = Nudge(0.0, {})
    running = asyncio.create_task(load.run())
    try:
        await asyncio.sleep(WARM_UP)
        quiet = await _silent(subscriptions, after=0.0, seconds=30)
        assert not quiet, f"subscriptions without a push before any outage: {quiet}"
        for outage in OUTAGES:
            window = ledger.begin(f"{outage} outage")
            await stop_service(settings, outage)
            if outage == "store":
                nudge = await _notify_unreadable(settings, load, subscriptions)
            await asyncio.sleep(DOWN)
            await start_service(settings, outage)
            window.up_at = time.monotonic()
            await asyncio.sleep(SETTLE)
    finally:
        load.stop.set()
        await running
        ledger.close()
    return nudge


async def _notify_unreadable(
    settings: Settings, load: Load, subscriptions: list[Subscription]
) -> Nudge:
    """With the store down: a notification for each subscription (as its listener sends
    after a view write), so that each API reads its view while the store is unavailable."""
    order_of: dict[str, str] = {}
    for order_id, (customer_id, restaurant_id) in load.placed.items():
        order_of[f"customer:{customer_id}"] = order_id
        order_of[f"restaurant:{restaurant_id}"] = order_id
    sent = time.monotonic()
    await notify_as_listener(settings, subscriptions, order_of)
    return Nudge(sent, order_of)


async def _silent(subscriptions: list[Subscription], *, after: float, seconds: float) -> list[str]:
    """The subscriptions still without a push since ``after`` once ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while True:
        quiet = [s.name for s in subscriptions if not s.saw(lambda _: True, after)]
        if not quiet or time.monotonic() > deadline:
            return quiet
        await asyncio.sleep(0.5)


async def _check(
    system: System,
    lake: Path,
    ledger: Ledger,
    load: Load,
    subscriptions: list[Subscription],
    nudge: Nudge,
) -> None:
    print("\n" + ledger.table(COMMANDS, QUERIES))
    slowest = sorted(ledger.of_kind(ACKNOWLEDGED, COMMANDS), key=lambda o: -o.seconds)
    print(f"slowest acknowledged commands: {describe(ledger, slowest, 4, grouped=False)}")
    exits = restarts(LOG)
    print(f"processes that exited (and were restarted): {dict(exits) or 'none'}")
    for each in subscriptions:
        print(f"subscription {each.name}: pushes {each.kinds()}; ended: {each.ended or 'no'}")

    other = ledger.of_kind(OTHER)
    assert not other, f"{len(other)} requests got neither a success nor a retryable error: " + (
        describe(ledger, other)
    )
    assert load.placed, "no order was acknowledged at all"
    assert not [n for n in exits if n.endswith("-api")], f"an API process exited: {dict(exits)}"

    # a change after the last restart reaches the subscriptions opened before the outages
    last_up = max(w.up_at for w in ledger.windows if w.up_at is not None)
    ended = [f"{s.name}: {s.ended}" for s in subscriptions if s.ended]
    assert not ended, f"subscriptions ended during the outages: {ended}"
    unanswered = [
        s.name
        for s in subscriptions
        if not s.saw(lambda p: p.get("kind") == "RESYNC", nudge.sent)
        and not s.saw(about_order(nudge.order_of[s.scope]), nudge.sent)
    ]
    assert not unanswered, (
        f"subscriptions that pushed neither a RESYNC nor the order for the update they "
        f"could not read while the store was down: {unanswered}"
    )
    fresh = await _fresh_round(load)
    for each in subscriptions:
        order_id = fresh[each.name]

        async def pushed(sub: Subscription = each, oid: str = order_id) -> bool:
            return sub.saw(about_order(oid), after=last_up)

        await wait_for(f"{each.name} to push order {order_id}", pushed, 60)

    # nothing acknowledged is lost
    placed = set(load.placed)
    by_customer: dict[str, set[str]] = {}
    by_restaurant: dict[str, set[str]] = {}
    for order_id, (customer_id, restaurant_id) in load.placed.items():
        by_customer.setdefault(customer_id, set()).add(order_id)
        by_restaurant.setdefault(restaurant_id, set()).add(order_id)

    async def in_customer_views() -> set[str]:
        found: set[str] = set()
        for customer_id in by_customer:
            found |= set(await customer_orders(system, customer_id))
        return found

    async def in_kitchens() -> set[str]:
        found: set[str] = set()
        for restaurant_id in by_restaurant:
            found |= set(await kitchen_tickets(system, restaurant_id))
        return found

    settings = system.settings

    async def on_hub(event_type: str = "order-placed") -> set[str]:
        events = await hub_orders(
            settings.kafka_bootstrap, settings.kafka_topic, settings.kafka_partitions
        )
        return events.get(event_type, set())

    async def accepted_on_hub() -> set[str]:
        return await on_hub("order-accepted")

    async def in_lake() -> set[str]:
        return (await lake_orders(lake)).get("order-placed", set())

    lost = {
        "the customers' views": await missing_after(CATCH_UP, placed, in_customer_views),
        "the kitchens' views": await missing_after(CATCH_UP, placed, in_kitchens),
        "the hub (order-placed)": await missing_after(CATCH_UP, placed, on_hub),
        "the lake (order-placed)": await missing_after(CATCH_UP, placed, in_lake),
    }
    for where, ids in lost.items():
        assert not ids, (
            f"{len(ids)} of {len(placed)} acknowledged orders are missing from {where}: "
            f"{sample(ids)}"
        )

    async def shown_accepted() -> set[str]:
        found: set[str] = set()
        for customer_id in by_customer:
            statuses = await customer_orders(system, customer_id)
            found |= {o for o, status in statuses.items() if status in ACCEPTED_OR_LATER}
        return found

    unpublished = await missing_after(CATCH_UP, load.accepted, accepted_on_hub)
    assert not unpublished, (
        f"{len(unpublished)} of {len(load.accepted)} acknowledged accepts never reached the "
        f"hub (order-accepted): {sample(unpublished)}"
    )
    not_accepted = await missing_after(CATCH_UP, load.accepted, shown_accepted)
    assert not not_accepted, (
        f"{len(not_accepted)} of {len(load.accepted)} acknowledged accepts do not show in the "
        f"customers' views: {sample(not_accepted)}"
    )
    print(
        f"acknowledged: {len(placed)} orders placed, {len(load.accepted)} accepted; "
        "all of them in the customers' and kitchens' views, on the hub and in the lake; "
        "every accept on the hub and in the customers' views"
    )


async def _fresh_round(load: Load) -> dict[str, str]:
    """After the last restart: customer i orders from restaurant i; subscription name ->
    the order it should push (the customer's new order, the kitchen's new ticket)."""
    fresh: dict[str, str] = {}
    async with asyncio.timeout(90):
        for customer, restaurant in zip(CUSTOMERS, RESTAURANTS, strict=False):
            order_id = await load.order(customer, restaurant, while_loading=False)
            assert order_id is not None, f"{customer.id} could not order after the outages"
            fresh[f"customer:{customer.id}"] = order_id
            fresh[f"restaurant:{restaurant.restaurant.id}"] = order_id
    return fresh
