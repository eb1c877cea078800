"""The Kafka event hub: publishing events keyed by partitionKey, and consumers that never
auto-commit.

Producer: idempotent, ``acks=all``, zero linger (the command path wants latency).
Consumer: one group per (service, role); offsets are committed by the caller only after
its writes succeeded (at-least-once).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Self

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from events import Event, to_wire
from observability.hub import produced


class EventPublisher:
    """Publishes catalog events to one topic, each keyed by its ``partitionKey``."""

    def __init__(self, bootstrap: str, topic: str, *, linger_ms: int = 0) -> None:
        self.topic = topic
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            enable_idempotence=True,
            linger_ms=linger_ms,
            compression_type=None,
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def publish(self, event: Event) -> None:
        """Send one event and wait until the broker acknowledged it."""
        await self.publish_raw(event.partition_key, to_wire(event))

    async def publish_many(self, events: Iterable[Event]) -> None:
        """Send events in order (per key) and wait until all are acknowledged."""
        futures = [
            await self._producer.send(self.topic, to_wire(e), key=e.partition_key.encode())
            for e in events
        ]
        await asyncio.gather(*futures)

    async def publish_raw(self, key: str, value: bytes) -> None:
        """Send bytes as they are (tests, fault tooling); waits for the acknowledgement."""
        await self._producer.send_and_wait(self.topic, value, key=key.encode())
        produced(value)  # fd_events_produced, with the event's story as exemplar


def event_consumer(bootstrap: str, topic: str, group: str, **options: Any) -> AIOKafkaConsumer:
    """A consumer of the topic in a consumer group, reading from the earliest offset when
    the group is new, with auto-commit off (commit after your writes)."""
    settings: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "group_id": group,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "isolation_level": "read_committed",
    }
    settings.update(options)
    return AIOKafkaConsumer(topic, **settings)
