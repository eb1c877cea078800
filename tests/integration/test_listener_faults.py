"""Faults and outages: a poison event never blocks its partition, nothing is lost while the
store is down, and the lake rebuilds the live views."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from pymongo.asynchronous.database import AsyncDatabase
from ulid import ULID

from adapters.hub import EventPublisher, event_consumer
from adapters.settings import Settings
from adapters.store import Document
from devstack import service
from devstack.ferretdb import FerretDB
from devstack.kafka import ensure_topic
from events import FaultReported, Order, OrderPlaced, parse_event
from listeners.faults import FaultLog
from listeners.lake.writer import LakeWriter
from listeners.materializer import Materializer
from listeners.replay import SUFFIX, replay
from listeners.views import Views
from tests.integration import order_views
from tests.integration.listening import dump, for_test, running, wait_for

BASE_MS = 1_770_000_000_000


@pytest.fixture
async def one_partition_topic(kafka_bootstrap: str, run_id: str) -> AsyncIterator[str]:
    """A topic with a single partition: every event is in "the same partition"."""
    name = f"test-{run_id}-{ULID()}".lower()
    await ensure_topic(kafka_bootstrap, name, 1)
    yield name


def _placed(n: int, note: str | None = None) -> OrderPlaced:
    event = order_views.order_story(n, BASE_MS + n * 10)[0]
    assert isinstance(event, OrderPlaced)
    if note is None:
        return event
    order: Order = event.order.model_copy(update={"note": note})
    return OrderPlaced.record(
        order=order, source="test", actor="customer:c-1", now_ms=event.timestamp
    )


async def _fault_events(bootstrap: str, topic: str) -> list[FaultReported]:
    consumer: AIOKafkaConsumer = event_consumer(bootstrap, topic, f"{topic}.fault-reader")
    await consumer.start()
    faults: list[FaultReported] = []
    try:
        batch = await consumer.getmany(timeout_ms=3000)
        for part in batch.values():
            for record in part:
                if b'"type":"fault"' in record.value:
                    event = parse_event(record.value)
                    assert isinstance(event, FaultReported)
                    faults.append(event)
    finally:
        await consumer.stop()
    return faults


async def test_a_poison_event_becomes_one_fault_and_is_applied_after_the_fix(
    settings: Settings, one_partition_topic: str, db: AsyncDatabase[Document]
) -> None:
    topic = one_partition_topic
    listener = for_test(order_views.PLAIN, topic, db)
    poison, later = _placed(1, note="poison"), [_placed(n) for n in range(2, 12)]
    order_views.BUG["poison"] = True
    try:
        async with EventPublisher(settings.kafka_bootstrap, topic) as hub:
            await hub.publish_many([_placed(0), poison])
            await hub.publish_raw("o-garbage", b"{not json")
            await hub.publish_many(later)
        async with running(listener, settings, topic) as runtime:
            await wait_for("the later events", _has_orders(db, 11), 60)

            async def both_faults() -> bool:  # the fault of a batch is counted as it is sent
                return runtime.counters.faults >= 2

            await wait_for("the rule failure and the malformed record as faults", both_faults, 30)
            assert runtime.counters.faults == 2  # each once
            # the same records again (as after a crash before the commit): no new fault
            faults_log = FaultLog(db, listener.name)
            again = await faults_log.record(
                poison.id, poison.model_dump(mode="json", by_alias=True), "x"
            )
        assert await db.orders.find_one({"_id": poison.order.id}) is None

        faults = await _fault_events(settings.kafka_bootstrap, topic)
        about_poison = [f for f in faults if f.fault.event.get("id") == poison.id]
        assert len(about_poison) == 1 and about_poison[0].id == again.id
        assert "cannot handle order" in about_poison[0].fault.error
        assert any(f.fault.event.get("raw") == "{not json" for f in faults)
        assert about_poison[0].partition_key == poison.partition_key
    finally:
        order_views.BUG["poison"] = False

    materializer = Materializer(listener, Views(db))
    resolved, failing = await FaultLog(db, listener.name).resubmit(materializer, [poison.id])
    assert (resolved, failing) == (1, 0)
    doc = await db.orders.find_one({"_id": poison.order.id})
    assert doc is not None and doc["status"] == "placed"
    assert await FaultLog(db, listener.name).open_faults([poison.id]) == []


def _has_orders(db: AsyncDatabase[Document], count: int):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        return await db.orders.count_documents({}) >= count

    return check


async def test_the_listener_waits_out_a_store_outage_and_loses_nothing(
    settings: Settings, topic: str, db: AsyncDatabase[Document]
) -> None:
    listener = for_test(order_views.COUNTED, topic, db)
    stories = [order_views.order_story(n, BASE_MS + n * 10) for n in range(300)]
    events = [event for story in stories for event in story]
    store = FerretDB(settings)
    async with running(listener, settings, topic) as runtime:
        async with EventPublisher(settings.kafka_bootstrap, topic) as hub:
            await hub.publish_many(events[:200])
            await wait_for("the first events", _has_orders(db, 20), 60)
            await asyncio.to_thread(service.stop, store, print)
            try:
                await hub.publish_many(events[200:])
                await asyncio.sleep(3)  # the listener now retries against a dead store
            finally:
                await asyncio.to_thread(service.start, store, print)
        await wait_for("every event applied", _applied(db, len(events)), 120)
        assert runtime.counters.faults == 0
    orders = await dump(db, "orders")
    assert len(orders) == len(stories)
    assert sum(d["applied"] for d in orders) == len(events)


def _applied(db: AsyncDatabase[Document], count: int):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        return sum(d.get("applied", 0) for d in await dump(db, "orders")) >= count

    return check


async def test_rebuilding_from_the_lake_gives_the_live_views(
    settings: Settings, topic: str, db: AsyncDatabase[Document], tmp_path: Path
) -> None:
    listener = for_test(order_views.PLAIN, topic, db)
    stories = [order_views.order_story(n, BASE_MS + n * 10) for n in range(1000)]
    mixed = order_views.shuffled_with_duplicates(stories, seed=3)
    lake = LakeWriter(settings.kafka_bootstrap, topic, tmp_path, group=f"{topic}.lake")
    stop_lake = asyncio.Event()
    lake_task = asyncio.create_task(lake.run(stop_lake))
    try:
        async with EventPublisher(settings.kafka_bootstrap, topic) as hub:
            await hub.publish_many(mixed)
        async with running(listener, settings, topic) as runtime:
            await wait_for("live views", _consumed(runtime, len(mixed)), 120)
    finally:
        stop_lake.set()
        await asyncio.wait_for(lake_task, 30)

    report = await replay(listener, db, tmp_path, swap=False, chunk=2000)
    assert report.events == len({e.id for e in mixed}) and report.failed == 0
    for view in ("orders", "restaurants"):
        assert await dump(db, view + SUFFIX) == await dump(db, view)

    await replay(listener, db, tmp_path, swap=True)
    assert set(await db.list_collection_names()) >= {"orders", "restaurants"}
    assert not any(
        name.endswith(SUFFIX) or name.endswith("__old") for name in await db.list_collection_names()
    )


def _consumed(runtime: object, count: int):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        return runtime.counters.events >= count  # type: ignore[attr-defined,no-any-return]

    return check
