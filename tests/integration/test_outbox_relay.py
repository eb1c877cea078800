"""The outbox and its relay against the real Kafka, FerretDB and Redis.

Commands write entity + events in one document write; the relay publishes them at once,
sweeps what a crash left behind, and a crash between publishing and clearing only
produces duplicates (same ids), never gaps or reordering per entity. Commands and the
relay hold each document's Redis lock while writing it (FerretDB v1 would otherwise lose
concurrent writes to one document), so commands may write while the relay clears.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.hub import EventPublisher
from adapters.store import Document
from bff.kit.doclock import DocumentBusy, DocumentLocks
from bff.kit.outbox import OUTBOX_FIELD, Outbox
from bff.kit.relay import PENDING, OutboxRelay
from bff.kit.wakeup import RelaySignal
from events import (
    DriverLocationChanged,
    DriverPosition,
    Event,
    GeoPoint,
    Order,
    OrderAccepted,
    OrderCancelled,
    OrderPlaced,
    parse_event,
)
from events.samples import sample_event

REPO = Path(__file__).resolve().parents[2]
SOURCE = {"source": "bff-test"}


def new_order(order_id: str) -> Order:
    placed = sample_event("order-placed")
    assert isinstance(placed, OrderPlaced)
    return placed.order.model_copy(update={"id": order_id})


def placed(order: Order) -> OrderPlaced:
    return OrderPlaced.record(order=order, actor=f"customer:{order.customer_id}", **SOURCE)


def accepted(order: Order) -> OrderAccepted:
    return OrderAccepted.record(
        order=order.model_copy(update={"status": "accepted"}),
        estimated_ready_at=order.placed_at + 15 * 60_000,
        prep_minutes=15,
        pickup_address=order.delivery_address,
        actor=f"restaurant:{order.restaurant_id}",
        **SOURCE,
    )


def cancelled(order: Order) -> OrderCancelled:
    return OrderCancelled.record(
        order=order.model_copy(update={"status": "cancelled"}),
        reason="changed my mind",
        actor=f"customer:{order.customer_id}",
        **SOURCE,
    )


def moved(driver_id: str, lat: float) -> DriverLocationChanged:
    position = DriverPosition(driver_id=driver_id, location=GeoPoint(lat=lat, lng=13.4))
    return DriverLocationChanged.record(position=position, actor=f"driver:{driver_id}", **SOURCE)


async def place(outbox: Outbox, orders: AsyncCollection[Document], order: Order) -> Event:
    event = placed(order)
    await outbox.insert(orders, {"_id": order.id, "status": "placed"}, [event])
    return event


async def accept(outbox: Outbox, orders: AsyncCollection[Document], order: Order) -> Event | None:
    """The kitchen's command: only an order still "placed" can be accepted."""
    event = accepted(order)
    document = await outbox.update(
        orders, {"_id": order.id, "status": "placed"}, {"$set": {"status": "accepted"}}, [event]
    )
    return event if document is not None else None


async def pending_count(collection: AsyncCollection[Document]) -> int:
    return await collection.count_documents(PENDING)


async def until_no_pending(collection: AsyncCollection[Document], seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        for _ in range(100_000):
            if await pending_count(collection) == 0:
                return
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def topic_reader(bootstrap: str, topic: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer without a group, assigned every partition of the topic, from the start."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        await consumer.seek_to_beginning(*consumer.assignment())
        yield consumer
    finally:
        await consumer.stop()


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord]:
    """Every record on the topic now, each partition in offset order."""
    records: list[ConsumerRecord] = []
    async with topic_reader(bootstrap, topic) as consumer:
        partitions = list(consumer.assignment())
        ends = await consumer.end_offsets(partitions)
        async with asyncio.timeout(30):
            for _ in range(100_000):
                positions = {tp: await consumer.position(tp) for tp in partitions}
                if all(positions[tp] >= ends[tp] for tp in partitions):
                    break
                batch = await consumer.getmany(*partitions, timeout_ms=200)
                for part in batch.values():
                    records.extend(part)
    return sorted(records, key=lambda r: (r.partition, r.offset))


def ids_by_key(records: list[ConsumerRecord]) -> dict[str, list[str]]:
    """Per key, event ids in the order they are on the topic (duplicates included)."""
    found: dict[str, list[str]] = {}
    for record in records:
        event = parse_event(record.value)
        assert record.key.decode() == event.partition_key
        found.setdefault(event.partition_key, []).append(event.id)
    return found


def first_appearances(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


async def test_a_command_is_published_at_once_and_its_outbox_cleared(
    db: AsyncDatabase[Document], kafka_bootstrap: str, topic: str, redis: Redis
) -> None:
    orders = db["orders"]
    signal_ = RelaySignal()
    locks = DocumentLocks(redis)
    outbox = Outbox("bff-test", locks=locks, signal=signal_)
    stop = asyncio.Event()
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        relay = OutboxRelay(
            db, ["orders"], hub, signal_, locks=locks, service="bff-test", sweep_seconds=60
        )
        await relay.ensure_indexes()
        running = asyncio.create_task(relay.run(stop))
        try:
            async with topic_reader(kafka_bootstrap, topic) as consumer:
                order = new_order(f"o-{random.randrange(10**9)}")
                latencies = []
                for command in (place, accept):
                    start = time.perf_counter()
                    event = await command(outbox, orders, order)
                    assert event is not None
                    async with asyncio.timeout(10):
                        record = await consumer.getone()
                    latencies.append((time.perf_counter() - start) * 1000)
                    assert parse_event(record.value) == event
                    assert record.key.decode() == order.id
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)

    print(f"\nwrite -> consumed latency: place {latencies[0]:.1f} ms, accept {latencies[1]:.1f} ms")
    await until_no_pending(orders)
    document = await orders.find_one({"_id": order.id})
    assert document is not None
    assert document["status"] == "accepted"
    assert document[OUTBOX_FIELD] == []


async def test_the_start_sweep_publishes_what_a_crash_left_unpublished(
    db: AsyncDatabase[Document], kafka_bootstrap: str, topic: str, redis: Redis
) -> None:
    orders = db["orders"]
    locks = DocumentLocks(redis)
    outbox = Outbox("bff-test", locks=locks)  # no relay running: the "crash" before publishing
    written: dict[str, list[str]] = {}
    for n in range(3):
        order = new_order(f"o-{n}-{random.randrange(10**9)}")
        first = await place(outbox, orders, order)
        second = await accept(outbox, orders, order)
        assert second is not None
        written[order.id] = [first.id, second.id]
    assert await pending_count(orders) == 3
    assert await read_topic(kafka_bootstrap, topic) == []

    stop = asyncio.Event()
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        relay = OutboxRelay(
            db, ["orders"], hub, RelaySignal(), locks=locks, service="bff-test", sweep_seconds=60
        )
        running = asyncio.create_task(relay.run(stop))
        try:
            await until_no_pending(orders)
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)

    assert ids_by_key(await read_topic(kafka_bootstrap, topic)) == written


async def test_a_guarded_write_that_does_not_match_writes_and_publishes_nothing(
    db: AsyncDatabase[Document], kafka_bootstrap: str, topic: str, redis: Redis
) -> None:
    orders = db["orders"]
    locks = DocumentLocks(redis)
    outbox = Outbox("bff-test", locks=locks)
    order = new_order(f"o-{random.randrange(10**9)}")
    first = await place(outbox, orders, order)
    cancel = cancelled(order)
    document = await outbox.update(
        orders, {"_id": order.id, "status": "placed"}, {"$set": {"status": "cancelled"}}, [cancel]
    )
    assert document is not None

    assert await accept(outbox, orders, order) is None  # the kitchen was too late

    document = await orders.find_one({"_id": order.id})
    assert document is not None
    assert document["status"] == "cancelled"
    assert [e["id"] for e in document[OUTBOX_FIELD]] == [first.id, cancel.id]
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        relay = OutboxRelay(db, ["orders"], hub, RelaySignal(), locks=locks, service="bff-test")
        assert await relay.publish_pending() == 2
        assert await relay.publish_pending() == 0
    assert ids_by_key(await read_topic(kafka_bootstrap, topic)) == {order.id: [first.id, cancel.id]}


class RelayProcess:
    """``python -m bff.kit.relay`` as a child process that can be killed and restarted."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bff.kit.relay",
            *self.args,
            cwd=REPO,
            env=os.environ.copy(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self.starts += 1
        assert self.process.stderr is not None
        async with asyncio.timeout(30):
            for _ in range(1000):
                line = (await self.process.stderr.readline()).decode()
                assert line, f"the relay exited before it started (code {self.process.returncode})"
                if "outbox relay" in line and "started" in line:
                    return

    async def signal(self, sig: int) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        async with asyncio.timeout(30):
            code = await self.process.wait()
        if self.process.stderr is not None:
            await self.process.stderr.read()
        return code


async def test_a_relay_killed_at_random_loses_nothing_and_keeps_each_entitys_order(
    db: AsyncDatabase[Document], kafka_bootstrap: str, topic: str, redis: Redis
) -> None:
    """Concurrent commands on a few documents while the relay publishes, clears, and is
    killed at random (possibly holding a document's lock, which then expires by its TTL)."""
    drivers = db["drivers"]
    service = f"outbox-test-{db.name}"
    outbox = Outbox(service, locks=DocumentLocks(redis), redis=redis)  # wakes it over Redis
    relay = RelayProcess("--db", db.name, "--collections", "drivers", "--topic", topic)
    relay.args += ("--service", service)
    # per driver: event ids by the "moves" counter their write produced (the write order)
    written_at: dict[str, dict[int, list[str]]] = {}
    lat_at: dict[str, dict[int, float]] = {}
    busy = 0

    def remember(driver_id: str, moves: int, events: list[DriverLocationChanged]) -> None:
        written_at.setdefault(driver_id, {})[moves] = [e.id for e in events]
        lat_at.setdefault(driver_id, {})[moves] = events[-1].position.location.lat

    await relay.start()
    ids = [f"d-{n}-{random.randrange(10**6)}" for n in range(20)]
    for driver_id in ids:  # 20 commands: each driver comes online
        events = [moved(driver_id, 50.0)]
        await outbox.insert(drivers, {"_id": driver_id, "lat": 50.0, "moves": 0}, events)
        remember(driver_id, 0, events)
    await until_no_pending(drivers)  # the relay is up and publishing
    hot = ids[:3]  # the stream below writes these few documents, concurrently

    async def command(n: int) -> None:
        nonlocal busy
        driver_id = random.choice(hot)
        lats = [50.0 + (n + k / 10) / 1000 for k in range(1 + (n % 5 == 0))]
        events = [moved(driver_id, lat) for lat in lats]
        update = {"$set": {"lat": lats[-1]}, "$inc": {"moves": len(events)}}
        for _ in range(10):
            try:
                document = await outbox.update(drivers, {"_id": driver_id}, update, events)
            except DocumentBusy:  # a killed relay's lock, until its TTL: retry, as a client would
                busy += 1
                continue
            assert document is not None
            remember(driver_id, document["moves"], events)
            return
        raise AssertionError(f"{driver_id} stayed busy")

    async def writer(first: int) -> None:
        for n in range(first, 180, 6):
            await command(n)
            await asyncio.sleep(random.uniform(0, 0.01))

    writing = asyncio.gather(*(writer(k) for k in range(6)))
    backlogs = []
    for _ in range(5):  # kill at random moments, at least once, at most five times
        await asyncio.sleep(random.uniform(0.0, 0.3))
        assert await relay.signal(signal.SIGKILL) == -signal.SIGKILL
        backlogs.append(await pending_count(drivers))
        await relay.start()
        if writing.done():
            break
    await writing
    kills = len(backlogs)
    print(f"\n{kills} kills; documents pending at each restart: {backlogs}; busy: {busy}")

    await until_no_pending(drivers, seconds=30)
    assert await relay.signal(signal.SIGTERM) == 0

    written = {
        d: [i for moves in sorted(found) for i in found[moves]] for d, found in written_at.items()
    }
    last_lat = {d: found[max(found)] for d, found in lat_at.items()}
    records = await read_topic(kafka_bootstrap, topic)
    on_topic = ids_by_key(records)
    all_written = [i for events in written.values() for i in events]
    copies = Counter(i for events in on_topic.values() for i in events)
    print(
        f"{len(all_written)} events written, {len(records)} records on the topic, "
        f"{sum(c - 1 for c in copies.values())} duplicates, {kills} kills"
    )
    assert set(copies) == set(all_written)
    assert {key: first_appearances(found) for key, found in on_topic.items()} == written

    applied: set[str] = set()
    view: dict[str, Any] = {}
    for record in records:  # a consumer that drops duplicates by id
        event = parse_event(record.value)
        if event.id in applied:
            continue
        applied.add(event.id)
        assert isinstance(event, DriverLocationChanged)
        view[event.partition_key] = event.position.location.lat
    assert len(applied) == len(all_written) == 20 + 180 + 36
    assert view == last_lat
    async for document in drivers.find({}):
        assert document["lat"] == last_lat[document["_id"]]
        assert document["moves"] == max(written_at[document["_id"]])  # no write lost
        assert document[OUTBOX_FIELD] == []
