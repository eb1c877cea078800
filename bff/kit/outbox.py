"""The write side of the transactional outbox.

A command changes its entity and records the resulting events in ONE atomic
single-document write: the events ride along in the document's ``_outbox`` array, in
order, as ``{"id", "key", "type", "value"}`` where ``value`` is the event's wire JSON.
The relay (``bff.kit.relay``) publishes them and removes them. FerretDB has no
multi-document transactions, so one document is the unit of atomicity.

FerretDB v1 does not even make that one write atomic against a concurrent write to the
same document (it reads, modifies and writes back): every write here holds the document's
Redis lock (``bff.kit.doclock``), and so does the relay's removal of published entries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from redis.asyncio import Redis

from adapters.store import Document
from bff.kit.doclock import DocumentLocks
from bff.kit.wakeup import RelaySignal, announce_pending
from events import Event, to_wire
from observability.tracing import note_written

log = logging.getLogger(__name__)

#: the array of pending events on every document that has an outbox
OUTBOX_FIELD = "_outbox"


def outbox_entry(event: Event) -> Document:
    """The stored form of one pending event; ``value`` is the exact bytes to publish."""
    return {
        "id": event.id,
        "key": event.partition_key,
        "type": event.type,
        "value": to_wire(event).decode(),
    }


def with_outbox(update: Mapping[str, Any], events: Sequence[Event]) -> dict[str, Any]:
    """``update`` (an operator document) plus a ``$push`` appending ``events`` in order.

    Raises ValueError for a replacement document or one that touches ``_outbox`` itself.
    """
    if not all(op.startswith("$") for op in update):
        raise ValueError("an outbox write needs an update document of $-operators")
    for op, fields in update.items():
        if any(_is_outbox_path(path) for path in fields):
            raise ValueError(f"{op} must not touch {OUTBOX_FIELD}; it is the outbox's own field")
    combined = dict(update)
    if events:
        push = {
            **update.get("$push", {}),
            OUTBOX_FIELD: {"$each": [outbox_entry(e) for e in events]},
        }
        combined["$push"] = push
    return combined


def _is_outbox_path(path: str) -> bool:
    return path == OUTBOX_FIELD or path.startswith(f"{OUTBOX_FIELD}.")


def document_id(filter: Mapping[str, Any]) -> Any:
    """The one ``_id`` a write's filter names; ValueError if it names none or many.

    The per-document lock needs to know which document a write touches before it runs.
    """
    doc_id = filter.get("_id")
    if doc_id is None or isinstance(doc_id, Mapping | list):
        raise ValueError("an outbox write needs a filter with one exact _id (not an operator)")
    return doc_id


def collection_name(collection: AsyncCollection[Document]) -> str:
    """The collection's name within its database (what the relay is configured with);
    from ``full_name``, ``<db>.<name>``: a database name has no dots."""
    return collection.full_name.split(".", 1)[1]


class Outbox:
    """Writes entities with their pending events, then wakes the relay.

    ``locks`` serializes the writes to one document across processes (required: FerretDB
    v1 loses concurrent writes to one document otherwise). ``signal`` wakes a relay in
    this process; ``redis`` announces on ``outbox:<service>`` for a relay in another
    process (best effort; the relay's sweep catches up). Both name the written document,
    so that the relay reads just that one.

    The command does not wait for the Redis announcement: it is sent in the background
    (``settled`` waits for those sent so far). Awaited with a 1 s limit, it timed out on
    a busy API process (the limit ran out on the process's own backlog, not on Redis) and
    the wake-up was lost until the next sweep: in the end-to-end benchmark at 50 orders/s,
    2,207 of them in one run, and their orders reached the kitchen up to 30 s late.
    """

    def __init__(
        self,
        service: str,
        *,
        locks: DocumentLocks,
        signal: RelaySignal | None = None,
        redis: Redis | None = None,
        announce_timeout: float = 10.0,
    ) -> None:
        self.service = service
        self._locks = locks
        self._signal = signal
        self._redis = redis
        self._announce_timeout = announce_timeout
        self._announcing: set[asyncio.Task[bool]] = set()

    async def update(
        self,
        collection: AsyncCollection[Document],
        filter: Mapping[str, Any],
        update: Mapping[str, Any],
        events: Sequence[Event],
        *,
        upsert: bool = False,
    ) -> Document | None:
        """Apply ``update`` and append ``events`` to the one document ``filter`` matches.

        ``filter`` must name the document's ``_id``; the write holds that document's lock.
        Returns the document after the write, or None when nothing matched (a guard such
        as ``{"_id": x, "status": "placed"}`` failed): then nothing was written.
        Raises ``DocumentBusy`` (retryable) when the lock stays taken too long.
        """
        combined = with_outbox(update, events)
        async with self._locks.locked(collection.full_name, str(document_id(filter))):
            document: Document | None = await collection.find_one_and_update(
                filter, combined, upsert=upsert, return_document=ReturnDocument.AFTER
            )
        if document is not None and events:
            note_written(events)  # the command's log line names them
            self._wake_relay(collection_name(collection), document["_id"])
        return document

    async def insert(
        self,
        collection: AsyncCollection[Document],
        document: Mapping[str, Any],
        events: Sequence[Event],
    ) -> Document:
        """Create a new entity with its pending events; returns it with its ``_id``
        (a new ObjectId when ``document`` has none).

        A duplicate ``_id`` raises pymongo's DuplicateKeyError and writes nothing.
        """
        if OUTBOX_FIELD in document:
            raise ValueError(f"the new document must not carry {OUTBOX_FIELD} itself")
        created: Document = {
            "_id": ObjectId(),
            **document,
            OUTBOX_FIELD: [outbox_entry(e) for e in events],
        }
        async with self._locks.locked(collection.full_name, str(document_id(created))):
            await collection.insert_one(created)
        if events:
            note_written(events)
            self._wake_relay(collection_name(collection), created["_id"])
        return created

    def _wake_relay(self, collection: str, doc_id: Any) -> None:
        """Tell the relay which document has pending events (it reads just that one)."""
        if self._signal is not None:
            self._signal.notify(collection, doc_id)
        if self._redis is not None:
            hint = (collection, doc_id)
            limit = self._announce_timeout
            task = asyncio.create_task(
                announce_pending(self._redis, self.service, hint, limit_seconds=limit)
            )
            self._announcing.add(task)
            task.add_done_callback(self._announcing.discard)

    async def settled(self) -> None:
        """Until the Redis announcements sent so far are out (or given up)."""
        if self._announcing:
            await asyncio.gather(*self._announcing, return_exceptions=True)
