"""The live listener: consume the hub in batches, apply the rules, notify, then commit.

Per batch: decode and validate every record against the contracts; apply the rules in
partition order per key (``Materializer``); record and publish a fault for each record
that is malformed or whose rule failed (RULE_FAILURE); tell Redis subscribers about each
written view document; commit the batch's offsets last. Each step that talks to a
service is retried on infrastructure errors (INFRASTRUCTURE_FAILURE) before anything is
committed, so a crash or an outage at any point replays the batch, and the ``_v`` guards
make the replay harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError

from adapters.hub import EventPublisher
from adapters.notify import Notifications
from events import Event, UnknownEventType, parse_event, to_dict
from listeners.faults import FaultLog, as_original
from listeners.materializer import Materializer
from listeners.policy import retry_infrastructure
from listeners.writes import Planned
from observability.hub import observe_lag
from observability.listening import observe_batch
from observability.tracing import story_of

log = logging.getLogger(__name__)


@dataclass
class Counters:
    batches: int = 0
    events: int = 0
    writes: int = 0
    skipped: int = 0
    faults: int = 0


class ListenerRuntime:
    def __init__(
        self,
        materializer: Materializer,
        *,
        consumer: AIOKafkaConsumer,
        publisher: EventPublisher,
        faults: FaultLog,
        notifications: Notifications | None,
        batch_size: int = 1000,
    ) -> None:
        self.materializer = materializer
        self.consumer = consumer
        self.publisher = publisher
        self.faults = faults
        self.notifications = notifications
        self.batch_size = batch_size
        self.counters = Counters()
        self.name = materializer.listener.name

    async def run(self, stop: asyncio.Event) -> None:
        await retry_infrastructure(f"{self.name}: indexes", self.materializer.ensure_indexes)
        await retry_infrastructure(f"{self.name}: kafka", self.consumer.start)
        log.info("%s: consuming as group %s", self.name, self.materializer.listener.group)
        try:
            while not stop.is_set():
                batch = await self.consumer.getmany(timeout_ms=250, max_records=self.batch_size)
                await observe_lag(self.name, self.consumer)  # fd_consumer_lag per partition
                records = [record for part in batch.values() for record in part]
                if records:
                    await self.process(records)
                    await self._commit(records)
        finally:
            with contextlib.suppress(Exception):
                await self.consumer.stop()

    async def process(self, records: Sequence[ConsumerRecord]) -> None:
        """Apply one batch (records in partition order); everything but the commit."""
        events: list[Event] = []
        bad: list[tuple[str, ConsumerRecord, str]] = []
        for record in records:
            try:
                events.append(parse_event(record.value))
            except UnknownEventType:
                self.counters.skipped += 1  # a newer catalog than ours: skipped on purpose
            except Exception as exc:
                ref = f"{record.topic}:{record.partition}:{record.offset}"
                bad.append((ref, record, f"{type(exc).__name__}: {exc}"))

        applied = await retry_infrastructure(
            f"{self.name}: view writes", lambda: self.materializer.apply(events)
        )
        observe_batch(  # metrics, and a log line per event applied (observability.listening)
            self.name,
            records=len(records),
            events=events,
            malformed=len(bad),
            failed=applied.failed,
            has_rule=self.materializer.listener.handler_for,
        )
        for ref, record, error in bad:
            await self._fault(ref, as_original(record.value), error)
        for event, error in applied.failed:
            with story_of(event):  # the fault's log line and event continue its story
                await self._fault(event.id, to_dict(event), error)
        await retry_infrastructure(f"{self.name}: notify", lambda: self._notify(applied.written))

        self.counters.batches += 1
        self.counters.events += len(records)
        self.counters.writes += len(applied.written)

    async def _fault(self, ref: str, original: dict[str, object], error: str) -> None:
        log.warning("%s: fault on %s: %s", self.name, ref, error.splitlines()[0])
        fault = await retry_infrastructure(
            f"{self.name}: fault log", lambda: self.faults.record(ref, original, error)
        )
        await retry_infrastructure(
            f"{self.name}: fault event", lambda: self.publisher.publish(fault)
        )
        self.counters.faults += 1

    async def _notify(self, written: Sequence[Planned]) -> None:
        """Tell each written document's scopes, in write order, in one Redis round trip."""
        if self.notifications is None:
            return
        notes: list[tuple[str, dict[str, str]]] = []
        for item in written:
            message = {
                "view": item.write.collection,
                "id": item.write.id,
                "type": item.event.type,
                "eventId": item.event.id,
                "correlationId": item.event.tags.correlation_id,  # the push is logged in it
                "traceparent": item.event.tags.traceparent or "",
            }
            notes.extend((scope, message) for scope in item.write.notify)
        await self.notifications.publish_many(notes)

    async def _commit(self, records: Sequence[ConsumerRecord]) -> None:
        offsets: dict[TopicPartition, int] = {}
        for record in records:
            offsets[TopicPartition(record.topic, record.partition)] = record.offset + 1
        try:
            await retry_infrastructure(
                f"{self.name}: commit", lambda: self.consumer.commit(offsets)
            )
        except (CommitFailedError, IllegalStateError) as exc:
            # the partitions moved to another member; it re-reads from the last commit
            log.info("%s: commit skipped after a rebalance: %s", self.name, exc)
