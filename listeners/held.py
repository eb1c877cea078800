"""Documents held in memory while a replay rebuilds fresh collections.

A replay is the only writer of the ``<view>__replay`` collections it builds, and they start
empty. So it never needs to read back what it wrote: documents stay in memory between
batches (up to ``max_held``, the least recently touched leave first), and a document it
never stored is known to be absent without asking the store. A document is written once
it has not been touched for ``cold_after`` batches (most orders are over by then), in the
background while the next batches are computed, with an insert when it is new (the
store's cheapest write); what is still unwritten is written by ``flush()``. A document
touched again after it was written is written again (a replace); one that left memory is
read back by ``_id``.

On FerretDB this turns about one read and one replace per touched document and batch
(~1 ms each, one after another) into about one insert per document for the whole replay,
overlapping the rules' work.

Rules reading a view during a replay (``views[name].find_one({"_id": ...})``) see the held
documents as they were when the batch started, as they would see the store's; other
queries go to the store after a flush.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping, Sequence, Set
from typing import Any, cast

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from listeners.views import Document, Views
from listeners.writes import Key, store_documents

#: documents kept in memory at most (a ticket is a few KB in memory)
MAX_HELD = 50_000
#: a document untouched for this many batches is written out
COLD_AFTER = 4


class HeldDocuments:
    """``Documents`` for ``apply_writes`` over fresh collections with one writer."""

    def __init__(
        self, views: Views, *, max_held: int = MAX_HELD, cold_after: int = COLD_AFTER
    ) -> None:
        self.views = views
        self.max_held = max_held
        self.cold_after = cold_after
        #: (view, id) -> document, least recently touched first
        self._held: OrderedDict[Key, Document] = OrderedDict()
        #: documents changed since they were last written -> the batch that last changed
        #: them, least recently changed first
        self._dirty: OrderedDict[Key, int] = OrderedDict()
        #: documents that exist in the store (written at least once)
        self._stored: set[Key] = set()
        #: the write in flight, if any (one at a time)
        self._writing: asyncio.Task[None] | None = None
        self._batch = 0
        self.reads = 0
        self.writes = 0

    async def read(self, keys: Sequence[Key]) -> dict[Key, Document]:
        found: dict[Key, Document] = {}
        for key in keys:
            doc = self._held.get(key)
            if doc is not None:
                found[key] = doc
            elif key in self._stored:  # written and left memory, touched again: rare
                await self._written()
                doc = await self.views[key[0]].find_one({"_id": key[1]})
                self.reads += 1
                if doc is not None:
                    found[key] = doc
                    self._held[key] = doc
        return found

    async def store(self, changed: Mapping[Key, Document], new: Set[Key]) -> None:
        self._batch += 1
        for key, doc in changed.items():
            self._held[key] = doc
            self._held.move_to_end(key)
            self._dirty[key] = self._batch
            self._dirty.move_to_end(key)
        leaving: dict[Key, Document] = {}
        while len(self._held) > self.max_held:
            key, doc = self._held.popitem(last=False)
            if self._dirty.pop(key, None) is not None:
                leaving[key] = doc
        if leaving:  # out of memory before they were written: now, before anything else
            await self._written()
            await self._write(leaving)
        cold: dict[Key, Document] = {}
        while self._dirty:
            key, batch = next(iter(self._dirty.items()))
            if batch > self._batch - self.cold_after:
                break
            del self._dirty[key]
            cold[key] = self._held[key]
        if cold:
            await self._written()
            self._writing = asyncio.create_task(self._write(cold))

    async def flush(self) -> None:
        """Write every document not written yet (the end of a replay)."""
        await self._written()
        unwritten = {key: self._held[key] for key in self._dirty}
        self._dirty.clear()
        await self._write(unwritten)

    async def find_one(self, view: str, doc_id: Any) -> Document | None:
        """A view document by id as a rule sees it. A shallow copy: rules read documents and
        never change them (they return writes), and a deep copy of an order per read cost
        a customer replay an eighth of its time."""
        key = (view, doc_id)
        doc = self._held.get(key)
        if doc is not None:
            return dict(doc)
        if key not in self._stored:
            return None
        await self._written()
        self.reads += 1
        return await self.views[view].find_one({"_id": doc_id})

    async def _written(self) -> None:
        """Wait for the write in flight (its error, if any, is raised here)."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            await writing

    async def _write(self, docs: dict[Key, Document]) -> None:
        """Store documents whole. A held document changed while this write is under way is
        dirty again and written again later, so whichever state this write caught is
        overwritten by the newest."""
        if not docs:
            return
        new = {key for key in docs if key not in self._stored}
        # stored from now on: a read of one that leaves memory meanwhile waits for this
        self._stored.update(docs)
        await store_documents(self.views, docs, new)
        self.writes += len(docs)


class HeldViews(Views):
    """The replay's views for rules: ``find_one({"_id": ...})`` on a rebuilt view answers
    from the held documents; everything else is the store's collection."""

    def __init__(
        self, db: AsyncDatabase[Document], names: Mapping[str, str], held: HeldDocuments
    ) -> None:
        super().__init__(db, names)
        self.held = held
        self._rebuilt = set(names)
        self._wrapped: dict[str, AsyncCollection[Document]] = {}

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        collection = self._wrapped.get(name)
        if collection is None:
            collection = super().__getitem__(name)
            if name in self._rebuilt:
                held = _HeldCollection(name, collection, self.held)
                collection = cast(AsyncCollection[Document], held)
            self._wrapped[name] = collection
        return collection


class _HeldCollection:
    """A rebuilt view's collection as rules see it during a replay."""

    def __init__(self, view: str, collection: AsyncCollection[Document], held: HeldDocuments):
        self._view = view
        self._collection = collection
        self._held = held

    async def find_one(
        self, filter: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        if filter is not None and list(filter) == ["_id"] and not args and not kwargs:
            return await self._held.find_one(self._view, filter["_id"])
        await self._held.flush()
        return await self._collection.find_one(filter, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)
