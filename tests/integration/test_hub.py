"""The Kafka hub against the real broker: keyed order, contracts on the wire, commits."""

from __future__ import annotations

import asyncio
import random

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from adapters.hub import EventPublisher, event_consumer
from events import OrderPlaced, parse_event
from events.samples import sample_event


async def _drain(
    consumer: AIOKafkaConsumer, count: int, seconds: float = 30.0
) -> list[ConsumerRecord]:
    records: list[ConsumerRecord] = []
    async with asyncio.timeout(seconds):
        while len(records) < count:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
    return records


async def test_events_with_one_key_arrive_in_order_in_one_partition(
    kafka_bootstrap: str, topic: str
) -> None:
    keys = [f"o-{n}" for n in range(8)]
    sent = [(random.choice(keys), n) for n in range(400)]
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        for key, n in sent:
            await hub.publish_raw(key, str(n).encode())

    consumer = event_consumer(kafka_bootstrap, topic, f"{topic}.reader")
    await consumer.start()
    try:
        records = await _drain(consumer, len(sent))
    finally:
        await consumer.stop()

    partitions: dict[str, set[int]] = {}
    received: dict[str, list[int]] = {}
    for record in records:
        key = record.key.decode()
        partitions.setdefault(key, set()).add(record.partition)
        received.setdefault(key, []).append(int(record.value))
    assert all(len(p) == 1 for p in partitions.values())
    for key in keys:
        assert received.get(key, []) == [n for k, n in sent if k == key]


async def test_published_events_come_back_equal_and_keyed_by_partition_key(
    kafka_bootstrap: str, topic: str
) -> None:
    types = ("order-placed", "restaurant-opened", "driver-status-changed")
    events = [sample_event(t) for t in types]
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        await hub.publish_many(events)

    consumer = event_consumer(kafka_bootstrap, topic, f"{topic}.reader")
    await consumer.start()
    try:
        records = await _drain(consumer, len(events))
    finally:
        await consumer.stop()

    by_id = {e.id: e for e in events}
    for record in records:
        parsed = parse_event(record.value)
        assert parsed == by_id[parsed.id]
        assert record.key.decode() == parsed.partition_key
        assert type(parsed) is type(by_id[parsed.id])
    assert any(isinstance(parse_event(r.value), OrderPlaced) for r in records)


async def test_offsets_are_committed_only_when_the_consumer_says_so(
    kafka_bootstrap: str, topic: str
) -> None:
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        for n in range(20):
            await hub.publish_raw("k", str(n).encode())
    group = f"{topic}.group"

    first = event_consumer(kafka_bootstrap, topic, group)
    await first.start()
    try:
        assert len(await _drain(first, 20)) == 20  # read, but nothing committed
    finally:
        await first.stop()

    second = event_consumer(kafka_bootstrap, topic, group)
    await second.start()
    try:
        again = await _drain(second, 20)
        assert [int(r.value) for r in again] == list(range(20))
        await second.commit()
        (partition,) = {r.partition for r in again}
        assert await second.committed(TopicPartition(topic, partition)) == 20
    finally:
        await second.stop()
