"""Concurrent command writes to ONE document, against the real FerretDB and Redis.

FerretDB v1 applies an update as read, modify in Go, write the whole document back, with
nothing in between (``internal/handler/msg_update.go``). Measured on the local stack
without the lock: two clients each doing 200 ``$inc`` + ``$push`` on one document ended at
200-229, not 400, and two guarded updates can both pass their guard. These tests assert
nothing about raw FerretDB; they show that ``Outbox`` writes, which hold the document's
Redis lock (``bff.kit.doclock``), lose nothing, with and without the relay pruning.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.hub import EventPublisher
from adapters.notify import redis_client
from adapters.settings import Settings
from adapters.store import Document, store_client
from bff.kit.doclock import DocumentLocks
from bff.kit.outbox import OUTBOX_FIELD, Outbox
from bff.kit.relay import OutboxRelay
from bff.kit.wakeup import RelaySignal
from tests.integration.test_outbox_relay import (
    accepted,
    first_appearances,
    ids_by_key,
    moved,
    new_order,
    read_topic,
    until_no_pending,
)


@dataclass
class Replica:
    """One API replica: its own store and Redis connections, its own Outbox."""

    db: AsyncDatabase[Document]
    outbox: Outbox


@contextlib.asynccontextmanager
async def replicas(
    settings: Settings, db_name: str, count: int, signal: RelaySignal | None = None
) -> AsyncIterator[list[Replica]]:
    clients: list[tuple[AsyncMongoClient[Document], Redis]] = []
    try:
        for _ in range(count):
            clients.append((store_client(settings.mongo_url), redis_client(settings.redis_url)))
        yield [
            Replica(mongo[db_name], Outbox("bff-test", locks=DocumentLocks(redis), signal=signal))
            for mongo, redis in clients
        ]
    finally:
        for mongo, redis in clients:
            await mongo.close()
            await redis.aclose()


async def move_many(replica: Replica, driver_id: str, count: int) -> dict[int, str]:
    """``count`` commands, each ``$inc``-ing the counter and recording one event;
    returns event id by the counter value the write produced (its place in the order)."""
    drivers = replica.db["drivers"]
    written: dict[int, str] = {}
    for n in range(count):
        event = moved(driver_id, 50.0 + n / 1000)
        update = {"$inc": {"moves": 1}, "$set": {"lat": event.position.location.lat}}
        document = await replica.outbox.update(drivers, {"_id": driver_id}, update, [event])
        assert document is not None
        written[document["moves"]] = event.id
    return written


async def test_two_replicas_writing_one_document_lose_nothing(
    db: AsyncDatabase[Document], settings: Settings
) -> None:
    async with replicas(settings, db.name, 2) as (one, two):
        await one.outbox.insert(db["drivers"], {"_id": "d-hot", "moves": 0}, [])

        results = await asyncio.gather(move_many(one, "d-hot", 200), move_many(two, "d-hot", 200))

    document = await db["drivers"].find_one({"_id": "d-hot"})
    assert document is not None
    assert document["moves"] == 400
    assert len(document[OUTBOX_FIELD]) == 400
    # every write saw the one before it: counter values 1..400, each produced once
    order = {**results[0], **results[1]}
    assert sorted(order) == list(range(1, 401))
    assert [e["id"] for e in document[OUTBOX_FIELD]] == [order[n] for n in range(1, 401)]


async def test_of_twenty_concurrent_guarded_transitions_exactly_one_wins(
    db: AsyncDatabase[Document], settings: Settings
) -> None:
    order = new_order(f"o-{random.randrange(10**9)}")
    async with replicas(settings, db.name, 4) as group:
        await group[0].outbox.insert(db["orders"], {"_id": order.id, "status": "placed"}, [])

        async def accept(replica: Replica) -> tuple[str, Document | None]:
            event = accepted(order)
            document = await replica.outbox.update(
                replica.db["orders"],
                {"_id": order.id, "status": "placed"},
                {"$set": {"status": "accepted"}},
                [event],
            )
            return event.id, document

        results = await asyncio.gather(*(accept(group[n % 4]) for n in range(20)))

    winners = [(event_id, doc) for event_id, doc in results if doc is not None]
    assert len(winners) == 1
    ((winner_event, winner_doc),) = winners
    assert winner_doc["status"] == "accepted"
    document = await db["orders"].find_one({"_id": order.id})
    assert document is not None
    assert document["status"] == "accepted"
    assert [e["id"] for e in document[OUTBOX_FIELD]] == [winner_event]


async def test_writes_racing_the_relays_pruning_are_all_published_in_order(
    db: AsyncDatabase[Document], settings: Settings, kafka_bootstrap: str, topic: str
) -> None:
    drivers = db["drivers"]
    signal = RelaySignal()
    ids = ["d-a", "d-b"]
    stop = asyncio.Event()
    async with (
        replicas(settings, db.name, 2, signal) as (one, two),
        EventPublisher(kafka_bootstrap, topic) as hub,
    ):
        relay_redis = redis_client(settings.redis_url)
        relay = OutboxRelay(
            db,
            ["drivers"],
            hub,
            signal,
            locks=DocumentLocks(relay_redis),
            service="bff-test",
            sweep_seconds=60,
        )
        running = asyncio.create_task(relay.run(stop))
        try:
            for driver_id in ids:
                await one.outbox.insert(drivers, {"_id": driver_id, "moves": 0}, [])
            streams = [(d, replica) for replica in (one, two) for d in ids]
            results = await asyncio.gather(*(move_many(r, d, 100) for d, r in streams))
            await until_no_pending(drivers, seconds=30)
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)
            await relay_redis.aclose()

    by_counter: dict[str, dict[int, str]] = {d: {} for d in ids}
    for (driver_id, _), result in zip(streams, results, strict=True):
        by_counter[driver_id].update(result)
    written = {d: [found[n] for n in sorted(found)] for d, found in by_counter.items()}
    assert all(sorted(found) == list(range(1, 201)) for found in by_counter.values())
    on_topic = ids_by_key(await read_topic(kafka_bootstrap, topic))
    assert {d: first_appearances(found) for d, found in on_topic.items()} == written
    for driver_id in ids:
        document = await drivers.find_one({"_id": driver_id})
        assert document is not None
        assert document["moves"] == 200
        assert document[OUTBOX_FIELD] == []
    print(f"\n{sum(len(f) for f in on_topic.values())} records on the topic for 400 events")
