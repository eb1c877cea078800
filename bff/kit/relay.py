"""The outbox relay (a BFF's "trigger" role): publishes pending events, then clears them.

Each pass reads the documents that have pending events by ``_id``, publishes each
document's entries in array order (the next only after Kafka acknowledged the previous),
and then removes exactly the acknowledged entries with ``$pullAll`` (entries a command
appended meanwhile stay), holding the document's write lock (``bff.kit.doclock``) for that
one write so that it cannot overwrite a concurrent command on FerretDB v1. Publishing
happens outside the lock. A crash between publishing and removing republishes those events
on the next pass: duplicates with the same ids, which consumers drop. One document is
published by one task at a time (``Turns``).

Which documents: a write's wake-up names its document (``bff.kit.wakeup``), and the relay
reads just the named documents. A *sweep* finds every document with pending events (a
scan: FerretDB has no index for it) at start (what a crash left), when a wake-up came
without a name, and every ``sweep_seconds`` (what a lost wake-up left); it runs beside
the wake-up passes, which it never holds up while it scans.
Infrastructure errors (store or hub down) are retried with capped exponential backoff.

Run on its own: ``python -m bff.kit.relay --db <name> --collections a,b [--topic t]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal as signals
from collections.abc import AsyncIterator, Coroutine, Sequence
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
from bff.kit.wakeup import Hint, RelaySignal, relay_wakeups
from observability.logs import setup_logging
from observability.metrics import observe_backlog
from observability.serve import serve_metrics

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
        sweep_seconds: float = 30.0,
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
        self._turns = Turns()
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
        """A sweep: every document with pending events in every collection; returns how many
        events Kafka acknowledged.

        Raises the first infrastructure error after clearing what was acknowledged.
        """
        return await self.publish_documents(await self.pending_documents())

    async def pending_documents(self) -> list[Hint]:
        """Every document with pending events (a scan of each collection)."""
        found: list[Hint] = []
        for name in self._collections:
            async with self._db[name].find(PENDING, {"_id": 1}) as cursor:
                found.extend([(name, document["_id"]) async for document in cursor])
        observe_backlog(self.service, len(found))  # fd_outbox_backlog
        return found

    async def publish_documents(self, hints: Sequence[Hint]) -> int:
        """Publish the pending events of the named documents (names in other collections
        are ignored), ``concurrency`` documents at a time; returns how many events Kafka
        acknowledged.

        Raises the first infrastructure error once every document has cleared what was
        acknowledged.
        """
        wanted = [h for h in dict.fromkeys(hints) if h[0] in self._collections]
        published = 0
        for start in range(0, len(wanted), self._concurrency):
            chunk = wanted[start : start + self._concurrency]
            results = await asyncio.gather(
                *(self.publish_document(h) for h in chunk), return_exceptions=True
            )
            for result in results:
                if isinstance(result, BaseException):
                    raise result
            published += sum(r for r in results if isinstance(r, int))
        return published

    async def publish_document(self, hint: Hint) -> int:
        """Read the named document by ``_id``, publish its pending events in order and
        remove the acknowledged ones; returns how many. One document's turn at a time in
        this relay (a wake-up and a sweep may name the same document)."""
        name, doc_id = hint
        async with self._turns.turn(hint):
            collection = self._db[name]
            document = await collection.find_one({"_id": doc_id}, {OUTBOX_FIELD: 1})
            if document is None or not document.get(OUTBOX_FIELD):
                return 0
            return await self._publish_document(collection, document)

    async def run(self, stop: asyncio.Event) -> None:
        """Publish what each wake-up names, and sweep at start, on request and every
        ``sweep_seconds``, until ``stop``.

        Each named document is published on its own as soon as its wake-up arrives (up to
        ``concurrency`` at once): no document waits for a batch of others, or for their
        removals, to finish.
        """
        wakeups = (
            asyncio.create_task(relay_wakeups(self._redis, self.service, self._signal))
            if self._redis is not None
            else None
        )
        sweeps = asyncio.create_task(self._sweep(stop))
        slots = asyncio.Semaphore(self._concurrency)
        working: dict[Hint, asyncio.Task[None]] = {}
        again: set[Hint] = set()

        async def relay(hint: Hint) -> None:
            try:
                while True:
                    again.discard(hint)
                    try:
                        async with slots:
                            count = await self.publish_document(hint)
                    except INFRASTRUCTURE_ERRORS as exc:
                        delay = self._backoff.next_delay()
                        log.warning(
                            "outbox relay of %s failed (%r); retry in %.1fs", hint, exc, delay
                        )
                        await _first_of(delay, stop.wait())
                        again.add(hint)
                    else:
                        self._backoff.reset()
                        if count:
                            log.debug("published %d pending events of %s", count, hint)
                    if hint not in again or stop.is_set():
                        return
            finally:
                del working[hint]

        log.info("outbox relay for %s started on %s", self.service, ", ".join(self._collections))
        try:
            while not stop.is_set():
                hints = self._signal.take_hints()
                if not hints:
                    await _first_of(None, stop.wait(), self._signal.wait_hints())
                    continue
                for hint in hints:
                    if hint[0] not in self._collections:
                        continue
                    if hint in working:  # its turn comes again once the running one is done
                        again.add(hint)
                    else:
                        working[hint] = asyncio.create_task(relay(hint))
        finally:
            tasks = [t for t in (sweeps, wakeups) if t is not None]
            if working:
                await asyncio.wait(list(working.values()), timeout=5)
            tasks += list(working.values())
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            log.info("outbox relay for %s stopped", self.service)

    async def _sweep(self, stop: asyncio.Event) -> None:
        """Sweep now, then whenever asked to and every ``sweep_seconds``."""
        backoff = Backoff(self._backoff.initial, self._backoff.maximum, self._backoff.factor)
        while not stop.is_set():
            self._signal.take_sweep()
            try:
                if not self._indexed:
                    await self.ensure_indexes()
                count = await self.publish_pending()
            except INFRASTRUCTURE_ERRORS as exc:
                delay = backoff.next_delay()
                log.warning("outbox relay sweep failed (%r); retrying in %.1fs", exc, delay)
                await _first_of(delay, stop.wait())
                continue
            backoff.reset()
            if count:
                log.info("the sweep published %d pending events", count)
            await _first_of(self._sweep_seconds, stop.wait(), self._signal.wait_sweep())

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


class Turns:
    """In-process turns per document: ``async with turns.turn(key):`` (a lock per key, kept
    only while someone holds or waits for it)."""

    def __init__(self) -> None:
        self._locks: dict[Hint, tuple[asyncio.Lock, list[int]]] = {}

    @contextlib.asynccontextmanager
    async def turn(self, key: Hint) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


async def _first_of(seconds: float | None, *waits: Coroutine[Any, Any, Any]) -> None:
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
    setup_logging()  # as every process: INFO, the story's fields, tokens redacted
    serve_metrics()  # FD_METRICS_PORT, on 127.0.0.1
    collections = [c for c in args.collections.split(",") if c]
    topic = args.topic or Settings().kafka_topic
    asyncio.run(serve(args.db, collections, topic, args.service or args.db))


if __name__ == "__main__":
    main()
