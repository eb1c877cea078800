"""The listener runtime against the real Kafka, FerretDB and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from ulid import ULID

from adapters.hub import EventPublisher
from adapters.settings import Settings
from adapters.store import Document
from tests.integration import order_views
from tests.integration.listening import dump, for_test, in_order, running, wait_for

BASE_MS = 1_760_000_000_000


@pytest.fixture
async def reference(
    mongo: AsyncMongoClient[Document], run_id: str
) -> AsyncIterator[AsyncDatabase[Document]]:
    name = f"r_{run_id}_{str(ULID()).lower()[-8:]}"
    yield mongo[name]
    await mongo.drop_database(name)


def _stories(count: int) -> list[list[order_views.Event]]:
    return [order_views.order_story(n, BASE_MS + n * 10) for n in range(count)]


async def test_shuffled_and_duplicated_events_give_the_in_order_views(
    settings: Settings, topic: str, db: AsyncDatabase[Document], reference: AsyncDatabase[Document]
) -> None:
    stories = _stories(3400)
    straight = [event for story in stories for event in story]
    mixed = order_views.shuffled_with_duplicates(stories, seed=7)
    assert len(mixed) >= 10_000 and len(mixed) > len(straight)
    listener = for_test(order_views.PLAIN, topic, db)

    await in_order(listener, reference, straight)
    async with EventPublisher(settings.kafka_bootstrap, topic) as hub:
        await hub.publish_many(mixed)
    async with running(listener, settings, topic) as runtime:
        await wait_for("every event consumed", _consumed(runtime, len(mixed)), 120)

    assert runtime.counters.faults == 0
    for view in ("orders", "restaurants"):
        assert await dump(db, view) == await dump(reference, view)
    statuses = {d["status"] for d in await dump(db, "orders")}
    assert statuses == {"ready", "cancelled"}


def _consumed(runtime: object, count: int):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        return runtime.counters.events >= count  # type: ignore[attr-defined,no-any-return]

    return check


async def test_a_listener_killed_mid_batch_ends_complete_and_duplicate_free(
    settings: Settings, topic: str, db: AsyncDatabase[Document], reference: AsyncDatabase[Document]
) -> None:
    stories = _stories(3000)
    straight = [event for story in stories for event in story]
    listener = for_test(order_views.COUNTED, topic, db)
    await in_order(listener, reference, straight)
    async with EventPublisher(settings.kafka_bootstrap, topic) as hub:
        await hub.publish_many(straight)

    env = {
        **os.environ,
        "FD_KAFKA_TOPIC": topic,
        "FD_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "FD_MONGO_URL": settings.mongo_url,
        "FD_REDIS_URL": settings.redis_url,
    }
    argv = [
        sys.executable, "-m", "listeners", "run", "tests.integration.order_views:COUNTED",
        "--group", listener.group, "--database", db.name,
    ]  # fmt: skip

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    first = start()
    try:
        await wait_for("a part of the views", _docs_at_least(db, 500), 60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    partial = await db.orders.count_documents({})
    assert partial < len(stories), "killed too late to prove anything"

    second = start()
    try:
        await wait_for("complete views", _views_equal(db, reference), 120)
    finally:
        second.terminate()
        assert second.wait(30) == 0

    orders = await dump(db, "orders")
    assert sum(d["applied"] for d in orders) == len(straight)  # each event applied once
    assert orders == await dump(reference, "orders")


def _docs_at_least(db: AsyncDatabase[Document], count: int):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        return await db.orders.count_documents({}) >= count

    return check


def _views_equal(db: AsyncDatabase[Document], reference: AsyncDatabase[Document]):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        return all(
            [
                await dump(db, view) == await dump(reference, view)
                for view in ("orders", "restaurants")
            ]
        )

    return check
