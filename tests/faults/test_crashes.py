"""Crashes under load: while the simulator drives orders through the running system, one
process after another is SIGKILLed (a BFF's api, a listener, a relay, the lake writer,
...) and the supervisor restarts it. Afterwards every order placed ends the way the hub
says it did in every BFF's views, nothing is left in an outbox, and the lake holds every
event of the hub exactly once by id.

While an API is down its callers fail (connection refused): the simulator's actors count
that. So that calls are in flight when the customer API dies, a burst of ``placeOrder``
calls is sent around its kill (``cut_off_orders.py``): an order whose call never got an
answer may exist or not; each is sent again with its request key once the API is back,
and gets the order that was stored, never a second one. Orders the actors lost track of
(and orders a failed call of a kitchen or driver left half way) are ended by a short
second run, whose kitchens and drivers close the leftovers of earlier runs, as after any
interrupted run (docs/simulator.md). The figures (kills and restart times, orders,
failures by call, the burst, events on the hub and in the lake) go to
``test-results/faults-crashes.json``; the processes' output to ``faults-crashes.log``.

Scale (``tests/faults/scale.py``): 75 s of load at 1 order/s and six kills in the normal
run; 300 s killing every process of the system (ten kills) with ``FD_FAULTS_LONG=1``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from adapters.settings import Settings
from bff.customer.names import ORDERS
from runner.plan import plan
from tests.faults.cut_off_orders import Burst, Orderer, Retried
from tests.faults.hub_contents import Hub, lake_ids, read_hub
from tests.faults.load import Failures, load
from tests.faults.order_stories import not_shown, stories
from tests.faults.own_system import PORTS, own_system
from tests.faults.quiet import busy
from tests.faults.restarts import Restart, kill_and_wait
from tests.faults.scale import LONG, scaled, scaled_int
from tests.integration.listening import wait_for
from tests.system.whole import System

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "test-results" / "faults-crashes.json"

SECONDS = scaled(75, 300)
#: orders/s: at 1.5 under kills the simulated drivers fell behind (an actor whose call is
#: refused while its API is down quits for the rest of the run), and the drain grew long
RATE = 1.0
#: load before the first kill
WARMUP_SECONDS = scaled(8, 15)
#: one of each kind (api, listener, relay, lake) and two more; the long run kills every
#: process of the system
KILLS: tuple[str, ...] = (
    tuple(p.name for p in plan(PORTS))
    if LONG
    else (
        "customer-api",
        "restaurant-listener",
        "driver-trigger",
        "lake",
        "restaurant-api",
        "customer-trigger",
    )
)
#: how long placeOrder calls are fired around the customer API's kill (half before it)
BURST_SECONDS = 2.0
#: how long after the load the system may take to show every ending everywhere
SETTLE_SECONDS = 180.0

pytestmark = pytest.mark.timeout(scaled_int(600, 1800))


@pytest.fixture(scope="module")
async def system(
    settings: Settings, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    async with own_system(settings, tmp_path_factory, "crashes", restart=True) as whole:
        yield whole


@dataclass
class Kills:
    restarts: list[Restart] = field(default_factory=list)
    #: the placeOrder burst around the customer API's kill, and its retry
    burst: Burst = field(default_factory=Burst)
    retried: Retried = field(default_factory=lambda: Retried(0, 0))


async def kill_in_turn(system: System, names: tuple[str, ...], every: float) -> Kills:
    """Kill each process ``every`` seconds (or as soon as the last one is back); while
    the customer API dies, a burst of placeOrder calls, sent again once it is back."""
    kills = Kills()
    orderer = Orderer(system)
    began = time.monotonic()
    for n, name in enumerate(names):
        await asyncio.sleep(max(0.0, began + n * every - time.monotonic()))
        burst = None
        if name == "customer-api":
            burst = asyncio.create_task(orderer.burst(BURST_SECONDS))
            await asyncio.sleep(BURST_SECONDS / 2)
        restart = await kill_and_wait(system, name)
        print(f"killed {restart}", flush=True)
        kills.restarts.append(restart)
        if burst is not None:
            kills.burst = await burst
            kills.retried = await orderer.retry(kills.burst)
    return kills


async def run_orders(system: System, run_id: str) -> list[str]:
    """The ids of the orders the customer BFF holds for one simulator run (its request
    keys are ``sim-<run id>-<n>``), whether or not the simulator heard back."""
    found = system.db("customer")[ORDERS].find(
        {"requestKey": {"$regex": f"^sim-{run_id}-"}}, {"_id": 1}
    )
    return [str(doc["_id"]) async for doc in found]


async def not_published(system: System, hub: Hub) -> list[str]:
    """Orders the customer BFF holds that are not on the hub, and the other way round."""
    stored = {str(doc["_id"]) async for doc in system.db("customer")[ORDERS].find({}, {"_id": 1})}
    placed = {event.partition_key for event in hub.of_type("order-placed")}
    return [f"{o}: in the customer BFF, not on the hub" for o in sorted(stored - placed)] + [
        f"{o}: on the hub, not in the customer BFF" for o in sorted(placed - stored)
    ]


async def test_after_kills_every_order_ends_everywhere_and_the_lake_holds_each_event_once(
    system: System,
) -> None:
    failures = Failures()
    with failures.capturing():
        traffic = asyncio.create_task(load(system, seconds=SECONDS, rate=RATE))
        await asyncio.sleep(WARMUP_SECONDS)
        every = (SECONDS - WARMUP_SECONDS) / len(KILLS)
        kills = await kill_in_turn(system, KILLS, every)
        summary = await traffic
    assert all(system.supervisor.alive(name) for name in system.supervisor.names)
    assert summary["placed"] > 0, summary

    # the leftovers: orders whose placeOrder got no answer, and orders a failed call of a
    # kitchen or driver left half way, ended by the next run's kitchens and drivers
    placed_in_run = await run_orders(system, summary["run_id"])
    closing = await load(system, seconds=2, rate=0.5)

    hub = Hub()
    problems: list[str] = []

    async def settled() -> bool:
        nonlocal hub, problems
        hub = await read_hub(system)
        problems = await busy(system)
        problems += await not_published(system, hub)
        problems += await not_shown(system, stories(hub.events).values())
        return not problems

    try:
        await wait_for("every order ended in every view", settled, SETTLE_SECONDS)
    except AssertionError:
        raise AssertionError(f"{len(problems)} problems, e.g.: {problems[:15]}") from None
    assert hub.others == [], hub.others[:3]  # nothing but valid events on the hub
    assert hub.of_type("fault") == [], hub.of_type("fault")[:3]  # no listener faulted

    hub_ids = hub.ids
    stored: dict[str, int] = {}

    async def lake_caught_up() -> bool:
        nonlocal stored
        stored = lake_ids(system.settings.lake_dir)
        return set(stored) >= set(hub_ids)

    try:
        await wait_for("the lake holds every event of the hub", lake_caught_up, 120)
    except AssertionError:
        missing = sorted(set(hub_ids) - set(stored))
        raise AssertionError(f"{len(missing)} events not in the lake: {missing[:10]}") from None
    twice = {i: n for i, n in stored.items() if n > 1}
    assert twice == {}, f"{len(twice)} events stored more than once: {list(twice.items())[:10]}"
    assert set(stored) == set(hub_ids), sorted(set(stored) - set(hub_ids))[:10]

    orders = stories(hub.events)
    figures = _figures(summary, closing, failures, kills, placed_in_run, hub, stored, orders)
    FIGURES.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures), flush=True)


def _figures(
    summary: dict[str, Any],
    closing: dict[str, Any],
    failures: Failures,
    kills: Kills,
    placed_in_run: list[str],
    hub: Hub,
    stored: dict[str, int],
    orders: dict[str, Any],
) -> dict[str, Any]:
    endings: dict[str, int] = {}
    for story in orders.values():
        endings[story.ending] = endings.get(story.ending, 0) + 1
    return {
        "load": {"seconds": SECONDS, "rate": RATE, "long": LONG},
        "kills": [
            {"process": r.name, "respawned_s": round(r.respawned, 1), "back_s": round(r.serving, 1)}
            for r in kills.restarts
        ],
        "simulator": {
            key: summary[key]
            for key in ("placed", "delivered", "cancelled", "rejected", "failures")
        }
        | {
            "unfinished": len(summary["unfinished"]),
            "unfinished_by_step": summary["unfinished_by_step"],
            "failures_by_kind": summary["failures_by_kind"],
            "failed_calls": failures.by_call(),
            "failures_other_than_websockets": [
                f"{kind}: {detail}"[:200] for kind, detail in failures.seen if kind != "websocket"
            ][:10],
        },
        "placeOrder": {
            "not_answered": failures.of_call("placeOrder"),
            "orders_stored_for_the_run": len(placed_in_run),
            "stored_but_not_answered": len(placed_in_run) - summary["placed"],
        },
        "placeOrder_burst_at_the_customer_api_kill": {
            "calls": len(kills.burst.customer),
            "answered": len(kills.burst.customer) - kills.retried.answered_again,
            "refused": len(kills.burst.refused),
            "cut_off": len(kills.burst.cut_off),
            "cut_off_but_stored": kills.retried.stored_unanswered,
            "sent_again_and_answered": kills.retried.answered_again,
        },
        "closing_run": {
            "placed": closing["placed"],
            "failures": closing["failures"],
            "notes": closing["notes"],
        },
        "orders_on_the_hub": len(orders),
        "endings": endings,
        "hub": {
            "records": len(hub.records),
            "events": len(hub.ids),
            "published_more_than_once": sum(1 for n in hub.ids.values() if n > 1),
        },
        "lake": {"lines": sum(stored.values()), "events": len(stored)},
    }
