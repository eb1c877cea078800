"""Applying rule writes to the views: order-safe, idempotent, batched with ``bulk_write``.

Per batch: each touched document is read once (by ``_id``), every write is applied to it
in memory in event order, and each changed document is stored once, whole, with a
``ReplaceOne`` by ``_id`` (chunks of 50: FerretDB v1 deadlocks on an ``update`` command
with 100 or more matching statements). A write applies only when its event is newer than
the document's ``_v`` (the newest applied event) and the rule's ``when`` holds; an older or
repeated event changes nothing. An unordered write (``ViewWrite.ordered=False``) skips only
the exact repeat of the newest event: its ``when`` alone keeps it in order.

One listener process writes a given view database at a time (its consumer group's
partitions are consumed by one process locally), so the read and the write of a batch do
not race with another writer.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Sequence
from dataclasses import dataclass

from pymongo import ReplaceOne

from events import Event
from listeners.documents import apply_update, matches
from listeners.rules import ViewWrite, version_of
from listeners.views import Document, Views

CHUNK = 50


@dataclass(frozen=True, slots=True)
class Planned:
    event: Event
    write: ViewWrite


@dataclass
class Applied:
    """What a batch did: the writes that changed a document, and events that failed."""

    written: list[Planned]
    failed: list[tuple[Event, str]]


async def apply_writes(views: Views, planned: Sequence[Planned]) -> Applied:
    """Apply writes in order. Infrastructure errors propagate (the caller retries)."""
    docs = await _read(views, planned)
    changed: dict[tuple[str, str], Document] = {}
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
            if key not in changed and doc is not None:
                doc = copy.deepcopy(doc)
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
    await _store(views, changed)
    return Applied(written, list(failed.values()))


async def _read(views: Views, planned: Sequence[Planned]) -> dict[tuple[str, str], Document]:
    keys = list(dict.fromkeys((p.write.collection, p.write.id) for p in planned))
    found = await asyncio.gather(*(views[c].find_one({"_id": i}) for c, i in keys))
    return {key: doc for key, doc in zip(keys, found, strict=True) if doc is not None}


async def _store(views: Views, changed: dict[tuple[str, str], Document]) -> None:
    by_collection: dict[str, list[ReplaceOne[Document]]] = {}
    for (collection, doc_id), doc in changed.items():
        by_collection.setdefault(collection, []).append(
            ReplaceOne({"_id": doc_id}, doc, upsert=True)
        )
    for collection, ops in by_collection.items():
        for start in range(0, len(ops), CHUNK):
            await views[collection].bulk_write(ops[start : start + CHUNK], ordered=False)
