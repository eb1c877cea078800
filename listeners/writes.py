"""Applying rule writes to the views: order-safe, idempotent, batched with ``bulk_write``.

Per batch: each touched document is read once (by ``_id``, concurrently), every write is
applied to it in memory in event order, and each changed document is stored once, whole:
inserted when it was new, else with a ``ReplaceOne`` by ``_id`` (chunks of 50: FerretDB v1
deadlocks on an ``update`` command with 100 or more matching statements). A write applies
only when its event is newer than the document's ``_v`` (the newest applied event) and the
rule's ``when`` holds; an older or repeated event changes nothing. An unordered write
(``ViewWrite.ordered=False``) skips only the exact repeat of the newest event: its ``when``
alone keeps it in order.

One listener process writes a given view database at a time (its consumer group's
partitions are consumed by one process locally), so the read and the write of a batch do
not race with another writer. A replay, the only writer of the fresh collections it
builds, holds their documents in memory instead (``listeners.held``).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any, Protocol

from pymongo import InsertOne, ReplaceOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from events import Event
from listeners.documents import apply_update, matches
from listeners.rules import ViewWrite, version_of
from listeners.views import Document, Views

CHUNK = 50
DUPLICATE_KEY = 11000
#: (view, document id)
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Planned:
    event: Event
    write: ViewWrite


@dataclass
class Applied:
    """What a batch did: the writes that changed a document, and events that failed."""

    written: list[Planned]
    failed: list[tuple[Event, str]]


async def apply_writes(
    views: Views, planned: Sequence[Planned], documents: Documents | None = None
) -> Applied:
    """Apply writes in order. Infrastructure errors propagate (the caller retries).

    ``documents`` is where the documents are read from and stored to: the store itself
    (``StoredDocuments``, the default) or, for a replay, documents held in memory."""
    documents = documents or StoredDocuments(views)
    keys = list(dict.fromkeys((p.write.collection, p.write.id) for p in planned))
    docs = await documents.read(keys)
    changed: dict[Key, Document] = {}
    written: list[Planned] = []
    failed: dict[str, tuple[Event, str]] = {}
    for item in planned:
        write, key = item.write, (item.write.collection, item.write.id)
        doc = changed.get(key, docs.get(key))
        version = version_of(item.event)
        applied = doc.get("_v", "") if doc is not None else ""
        if applied >= version and (write.ordered or applied == version):
            continue  # older or repeated: changes nothing
        try:
            if doc is not None and write.when and not matches(doc, write.when):
                continue
            if write.inc and key not in changed and doc is not None:
                # an inc can fail half-way (on a field that is not a number): the read
                # document stays whole for the batch's later writes. Other writes cannot
                # fail once their condition held, and change the read document in place.
                doc = copy_document(doc)
            doc = apply_update(
                doc,
                write.id,
                set_fields=write.set,
                set_on_insert=write.set_on_insert,
                inc=write.inc,
            )
        except (ValueError, TypeError) as exc:
            failed.setdefault(item.event.id, (item.event, f"{type(exc).__name__}: {exc}"))
            continue
        doc["_v"] = max(applied, version)
        changed[key] = doc
        written.append(item)
    await documents.store(changed, new={key for key in changed if key not in docs})
    return Applied(written, list(failed.values()))


class Documents(Protocol):
    """Where ``apply_writes`` reads a batch's documents and stores the changed ones."""

    async def read(self, keys: Sequence[Key]) -> dict[Key, Document]:
        """The documents that exist, by (view, id)."""
        ...

    async def store(self, changed: Mapping[Key, Document], new: Set[Key]) -> None:
        """Store each changed document whole; ``new`` ones were absent when read."""
        ...


class StoredDocuments:
    """The live listener's: each document read by ``_id`` from the store (concurrently),
    each changed one written back in the same batch."""

    def __init__(self, views: Views) -> None:
        self.views = views

    async def read(self, keys: Sequence[Key]) -> dict[Key, Document]:
        found = await asyncio.gather(*(self.views[c].find_one({"_id": i}) for c, i in keys))
        return {key: doc for key, doc in zip(keys, found, strict=True) if doc is not None}

    async def store(self, changed: Mapping[Key, Document], new: Set[Key]) -> None:
        await store_documents(self.views, changed, new)


async def store_documents(views: Views, changed: Mapping[Key, Document], new: Set[Key]) -> None:
    """Insert the new documents, replace the others by ``_id`` (upsert), per collection.

    Inserts are the store's cheapest write (a third of a replace on FerretDB). A new
    document that exists after all (a write that failed half-way and is retried) is
    replaced instead. Replaces go in chunks of ``CHUNK``."""
    inserts: dict[str, list[Document]] = {}
    replaces: dict[str, list[Document]] = {}
    for key, doc in changed.items():
        kind = inserts if key in new else replaces
        kind.setdefault(key[0], []).append(doc)
    for collection, docs in inserts.items():
        existing = await _insert(views[collection], docs)
        replaces.setdefault(collection, []).extend(existing)
    for collection, docs in replaces.items():
        ops = [ReplaceOne({"_id": doc["_id"]}, doc, upsert=True) for doc in docs]
        for start in range(0, len(ops), CHUNK):
            await views[collection].bulk_write(ops[start : start + CHUNK], ordered=False)


async def _insert(collection: AsyncCollection[Document], docs: list[Document]) -> list[Document]:
    """Insert; returns the documents that already existed (duplicate ``_id``)."""
    try:
        await collection.bulk_write([InsertOne(doc) for doc in docs], ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if not errors or any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return [docs[e["index"]] for e in errors]
    return []


def copy_document(doc: Any) -> Any:
    """A deep copy of a stored document (dicts, lists and immutable scalars): what
    ``copy.deepcopy`` gives, several times faster."""
    if type(doc) is dict:
        return {key: copy_document(value) for key, value in doc.items()}
    if type(doc) is list:
        return [copy_document(value) for value in doc]
    if isinstance(doc, dict | list):
        return copy.deepcopy(doc)
    return doc
