"""The outbox relay (a BFF's "trigger" role): publishes pending events, then clears them.

Each pass finds the documents whose ``_outbox`` is not empty, publishes each document's
entries in array order (the next only after Kafka acknowledged the previous), and then
removes exactly the acknowledged entries with ``$pullAll`` (entries a command appended
meanwhile stay), holding the document's write lock (``bff.kit.doclock``) for that one
write so that it cannot overwrite a concurrent command on FerretDB v1. Publishing happens
outside the lock. A crash between publishing and removing republishes those events on the
next pass: duplicates with the same ids, which consumers drop.

Passes run at start (the crash sweep), when a write signals, and every ``sweep_seconds``.
Infrastructure errors (store or hub down) are retried with capped exponential backoff.

Run on its own: ``python -m bff.kit.relay --db <name> --collections a,b [--topic t]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal as signals
from collections.abc import Coroutine, Sequence
from typing import Any, Protocol

from aiokafka.errors import KafkaError
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError
from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.hub import EventPublisher
from adapters.notify import redis_client
from adapters.settings import Settings
from adapters.store import Document, store_client
from bff.kit.backoff import Backoff
from bff.kit.doclock import DocumentLocks, RetryableError
from bff.kit.outbox import OUTBOX_FIELD
from bff.kit.wakeup import RelaySignal, relay_wakeups

log = logging.getLogger(__name__)

#: errors that mean "the store, the hub or Redis is unavailable, or a document stayed
#: locked": retry later, lose nothing. Anything else is a bug and stops the relay loudly.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    PyMongoError,
    KafkaError,
    RedisError,
    RetryableError,
    OSError,
    TimeoutError,
)

#: documents with at least one pending event
PENDING: Document = {f"{OUTBOX_FIELD}.0": {"$exists": True}}


class RawPublisher(Protocol):
    """What the relay needs from the hub (``adapters.hub.EventPublisher`` has it)."""

    async def publish_raw(self, key: str, value: bytes) -> None: ...


class OutboxRelay:
    """Publishes the outbox entries of ``collections`` in ``db`` through ``publisher``.

    ``locks`` must be the same Redis-backed locks the commands write with.
    """

    def __init__(
        self,
        db: AsyncDatabase[Document],
        collections: Sequence[str],
        publisher: RawPublisher,
        signal: RelaySignal,
        *,
        locks: DocumentLocks,
        sweep_seconds: float = 5.0,
        redis: Redis | None = None,
        service: str,
        concurrency: int = 64,
        backoff: Backoff | None = None,
    ) -> None:
        self._db = db
        self._collections = list(collections)
        self._publisher = publisher
        self._signal = signal
        self._locks = locks
        self._sweep_seconds = sweep_seconds
        self._redis = redis
        self.service = service
        self._concurrency = concurrency
        self._backoff = backoff or Backoff()
        self._pass_lock = asyncio.Lock()
        self._indexed = False

    async def ensure_indexes(self) -> None:
        """A sparse index on ``_outbox.0``: only documents with pending events.

        (FerretDB v1 accepts and ignores ``sparse`` and scans; MongoDB uses the index.)
        """
        for name in self._collections:
            await self._db[name].create_index(
                [(f"{OUTBOX_FIELD}.0", 1)], name="outbox_pending", sparse=True
            )
        self._indexed = True

    async def publish_pending(self) -> int:
        """One pass over every collection; returns how many events Kafka acknowledged.

        Raises the first infrastructure error after clearing what was acknowledged.
        """
        async with self._pass_lock:
            published = 0
            for name in self._collections:
                published += await self._publish_collection(self._db[name])
            return published

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep at start, then on every wake-up and every ``sweep_seconds``, until ``stop``."""
        wakeups = (
            asyncio.create_task(relay_wakeups(self._redis, self.service, self._signal))
            if self._redis is not None
            else None
        )
        log.info("outbox relay for %s started on %s", self.service, ", ".join(self._collections))
        try:
            while not stop.is_set():
                self._signal.clear()
                try:
                    if not self._indexed:
                        await self.ensure_indexes()
                    count = await self.publish_pending()
                except INFRASTRUCTURE_ERRORS as exc:
                    delay = self._backoff.next_delay()
                    log.warning("outbox relay pass failed (%r); retrying in %.1fs", exc, delay)
                    await _first_of(delay, stop.wait())
                    continue
                self._backoff.reset()
                if count:
                    log.debug("published %d pending events", count)
                await _first_of(self._sweep_seconds, stop.wait(), self._signal.wait())
        finally:
            if wakeups is not None:
                wakeups.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await wakeups
            log.info("outbox relay for %s stopped", self.service)

    async def _publish_collection(self, collection: AsyncCollection[Document]) -> int:
        published = 0
        chunk: list[Document] = []
        async with collection.find(PENDING, {OUTBOX_FIELD: 1}) as cursor:
            async for document in cursor:
                chunk.append(document)
                if len(chunk) >= self._concurrency:
                    published += await self._publish_chunk(collection, chunk)
                    chunk = []
        if chunk:
            published += await self._publish_chunk(collection, chunk)
        return published

    async def _publish_chunk(
        self, collection: AsyncCollection[Document], documents: list[Document]
    ) -> int:
        """Documents in parallel, each one's entries in order; raises the first error once
        every document has cleared what was acknowledged."""
        results = await asyncio.gather(
            *(self._publish_document(collection, d) for d in documents), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return sum(r for r in results if isinstance(r, int))

    async def _publish_document(
        self, collection: AsyncCollection[Document], document: Document
    ) -> int:
        """Publish the entries in order, then remove exactly the acknowledged ones.

        If Kafka fails midway, the acknowledged prefix is still removed, the rest stays
        (and is retried first next time), and the error is raised.
        """
        acknowledged: list[Document] = []
        failure: BaseException | None = None
        for entry in document.get(OUTBOX_FIELD) or []:
            try:
                await self._publisher.publish_raw(entry["key"], entry["value"].encode())
            except INFRASTRUCTURE_ERRORS as exc:
                failure = exc
                break
            acknowledged.append(entry)
        if acknowledged:
            # $pullAll by exact value: FerretDB v1 ignores $pull with a condition like
            # {"id": {"$in": [...]}}; each entry holds a unique event id, so this is the same.
            # If this fails (store down, DocumentBusy) the entries stay: republished later.
            async with self._locks.locked(collection.full_name, str(document["_id"])):
                await collection.update_one(
                    {"_id": document["_id"]}, {"$pullAll": {OUTBOX_FIELD: acknowledged}}
                )
        if failure is not None:
            raise failure
        return len(acknowledged)


async def _first_of(seconds: float, *waits: Coroutine[Any, Any, Any]) -> None:
    """Wait until one of ``waits`` finishes or ``seconds`` pass; cancel the others."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def serve(db_name: str, collections: Sequence[str], topic: str, service: str) -> None:
    """Run a relay with ``Settings()`` until SIGTERM or SIGINT."""
    settings = Settings()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signals.SIGTERM, signals.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    store = store_client(settings.mongo_url)
    redis = redis_client(settings.redis_url)
    publisher = EventPublisher(settings.kafka_bootstrap, topic)
    try:
        if await _start_publisher(publisher, stop):
            relay = OutboxRelay(
                store[db_name],
                collections,
                publisher,
                RelaySignal(),
                locks=DocumentLocks(redis),
                redis=redis,
                service=service,
            )
            await relay.run(stop)
    finally:
        await publisher.stop()
        await redis.aclose()
        await store.close()


async def _start_publisher(publisher: EventPublisher, stop: asyncio.Event) -> bool:
    """Start the producer, retrying while Kafka is unreachable; False if stopped first."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            await publisher.start()
            return True
        except INFRASTRUCTURE_ERRORS as exc:
            delay = backoff.next_delay()
            log.warning("Kafka unavailable (%r); retrying in %.1fs", exc, delay)
            await _first_of(delay, stop.wait())
    return False


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bff.kit.relay", description="Publish a service's outbox to Kafka."
    )
    parser.add_argument("--db", required=True, help="the service's database")
    parser.add_argument("--collections", required=True, help="comma-separated collections")
    parser.add_argument("--topic", help="Kafka topic (default: FD_KAFKA_TOPIC)")
    parser.add_argument("--service", help="name for the Redis wake-up channel (default: --db)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    collections = [c for c in args.collections.split(",") if c]
    topic = args.topic or Settings().kafka_topic
    asyncio.run(serve(args.db, collections, topic, args.service or args.db))


if __name__ == "__main__":
    main()
