"""Duplicates and disorder: after simulated traffic, a slice of the lake (the whole
histories of several orders, and a run of consecutive events of every kind) is published
to the hub again with the same ids and keys, once in order and once shuffled within each
key. Every BFF's views stay exactly as they were, no listener reports a fault, and the
lake stores none of the copies: its files hold every event once by id (the writer drops
ids its hour folder holds, docs/lake.md), so its readers yield each id once as well.
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.hub import EventPublisher
from adapters.settings import Settings
from events import Event, parse_event
from listeners.lake import read_lake
from tests.faults.hub_contents import lake_ids, read_hub
from tests.faults.load import load
from tests.faults.own_system import own_system
from tests.faults.quiet import until_quiet
from tests.faults.scale import scaled, scaled_int
from tests.faults.view_snapshots import Snapshot, differences, snapshot
from tests.system.whole import System

SECONDS = scaled(10, 60)
RATE = scaled(1.5, 2.0)
#: every how many orders one's whole history is replayed
EVERY_ORDER = 3
#: consecutive lake events (of any kind) replayed as well
RUN_OF_EVENTS = scaled_int(150, 600)


@pytest.fixture(scope="module")
async def system(
    settings: Settings, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    async with own_system(settings, tmp_path_factory, "duplicates") as whole:
        yield whole


def lake_slice(lake: list[dict[str, Any]]) -> list[Event]:
    """Every ``EVERY_ORDER``-th order's whole history and ``RUN_OF_EVENTS`` consecutive
    events from the middle of the lake, in lake order (each partition's offset order)."""
    orders = [e["partitionKey"] for e in lake if e["type"] == "order-placed"][::EVERY_ORDER]
    middle = max(0, len(lake) // 2 - RUN_OF_EVENTS // 2)
    run = {e["id"] for e in lake[middle : middle + RUN_OF_EVENTS]}
    chosen = [e for e in lake if e["partitionKey"] in set(orders) or e["id"] in run]
    return [parse_event(e) for e in chosen]


def shuffled_within_keys(events: list[Event], rng: random.Random) -> list[Event]:
    """The same events, each key's in another order (reversed when a shuffle kept it),
    the keys interleaved at random."""
    by_key: dict[str, list[Event]] = {}
    for event in events:
        by_key.setdefault(event.partition_key, []).append(event)
    queues = []
    for same_key in by_key.values():
        mixed = rng.sample(same_key, len(same_key))
        queues.append(mixed[::-1] if mixed == same_key else mixed)
    out: list[Event] = []
    while queues:
        queue = rng.choice(queues)
        out.append(queue.pop(0))
        if not queue:
            queues.remove(queue)
    return out


async def publish_again(system: System, events: list[Event]) -> None:
    async with EventPublisher(system.settings.kafka_bootstrap, system.settings.kafka_topic) as hub:
        await hub.publish_many(events)


async def steady_views(system: System) -> Snapshot:
    """The views once the system is quiet, and still the same a moment later."""
    await until_quiet(system)
    first = await snapshot(system)
    await until_quiet(system)
    again = await snapshot(system)
    assert differences(first, again) == [], "the views still change without new events"
    return first


async def test_replayed_and_shuffled_events_change_no_view_and_are_stored_once(
    system: System,
) -> None:
    summary = await load(system, seconds=SECONDS, rate=RATE)
    assert summary["placed"] > 0 and summary["delivered"] > 0, summary
    assert summary["failures"] == 0 and summary["unfinished"] == [], summary
    before = await steady_views(system)
    assert all(docs == [] for (_, collection), docs in before.items() if collection == "_faults")

    lake = list(read_lake(system.settings.lake_dir))
    again = lake_slice(lake)
    orders = {e.partition_key for e in again if e.type == "order-placed"}
    assert len(orders) >= 3 and len(again) >= 50, (len(orders), len(again))
    disorder = shuffled_within_keys(again, random.Random(7))
    assert disorder != again

    for label, events in (("in order", again), ("shuffled within each key", disorder)):
        await publish_again(system, events)
        await until_quiet(system)
        after = await snapshot(system)
        found = differences(before, after)
        assert found == [], f"replayed {len(events)} events {label}: {json.dumps(found)[:3000]}"

    hub = await read_hub(system)
    assert hub.others == [] and hub.of_type("fault") == []
    republished = {event_id for event_id, n in hub.ids.items() if n >= 3}
    assert republished >= {e.id for e in again}  # the copies are on the hub
    stored = lake_ids(system.settings.lake_dir)
    twice = {event_id: n for event_id, n in stored.items() if n > 1}
    assert twice == {}, f"the lake stored {len(twice)} events again: {list(twice.items())[:5]}"
    assert set(stored) == set(hub.ids)
    read_back = [e["id"] for e in read_lake(system.settings.lake_dir)]
    assert sorted(read_back) == sorted(hub.ids)
    print(
        f"replayed {len(again)} events of {len(orders)} orders and {len(lake)} in the lake "
        f"twice (in order, shuffled within {len({e.partition_key for e in again})} keys); "
        f"hub {len(hub.records)} records of {len(hub.ids)} events, lake {sum(stored.values())} "
        f"lines of {len(stored)} events; views unchanged",
        flush=True,
    )
