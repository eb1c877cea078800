"""An in-memory store for the BFFs' unit tests, holding to FerretDB's rules
the code relies on: single-document reads and writes name exactly one ``_id``, and an
insert of an existing ``_id`` fails and writes nothing. (Tested here too.)

Lists (``find(filter).sort(...).limit(n)``, iterated with ``async for``) support what the
queries use: equality, ``$in``/``$nin``/``$ne``/``$exists``, ``$gt``/``$gte``/``$lt``/
``$lte``, ``$or``/``$and``, dotted paths, and sorts on several keys (a missing field sorts
first, as null does in MongoDB). Anything else fails the test loudly."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne, ReplaceOne, ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError
from redis.exceptions import ConnectionError as RedisConnectionError

from bff.kit.doclock import DocumentLocks
from bff.kit.outbox import Outbox
from bff.kit.ratelimit import COUNT
from tests.unit.test_doclock import LockRedis


class FakeCollection:
    def __init__(self, full_name: str) -> None:
        self.full_name = full_name
        self.documents: dict[str, dict[str, Any]] = {}

    async def find_one(self, filter: dict[str, Any]) -> dict[str, Any] | None:
        assert list(filter) == ["_id"], f"only _id lookups are indexed, got {filter}"
        found = self.documents.get(filter["_id"])
        return copy.deepcopy(found) if found is not None else None

    def find(self, filter: Mapping[str, Any] | None = None, projection: Any = None) -> FakeCursor:
        """Matching documents (whole: a projection is accepted and ignored)."""
        condition = dict(filter or {})
        return FakeCursor(
            lambda: [copy.deepcopy(d) for d in self.documents.values() if _matches(d, condition)]
        )

    async def insert_one(self, document: dict[str, Any]) -> None:
        if document["_id"] in self.documents:
            raise DuplicateKeyError(f"duplicate _id {document['_id']!r}")
        self.documents[document["_id"]] = copy.deepcopy(document)

    async def find_one_and_update(
        self,
        filter: dict[str, Any],
        update: dict[str, Any],
        *,
        upsert: bool = False,
        return_document: bool = ReturnDocument.BEFORE,
    ) -> dict[str, Any] | None:
        assert list(filter) == ["_id"], f"only _id lookups are indexed, got {filter}"
        assert set(update) <= {"$set", "$push"}, update
        document = self.documents.get(filter["_id"])
        if document is None:
            return None
        document.update(copy.deepcopy(update.get("$set", {})))
        for field, push in update.get("$push", {}).items():
            document.setdefault(field, []).extend(copy.deepcopy(push["$each"]))
        return copy.deepcopy(document)

    async def bulk_write(
        self, operations: list[ReplaceOne[Any] | InsertOne[Any]], ordered: bool = True
    ) -> None:
        """Replaces by ``_id`` (upserts) and inserts; an insert of an existing ``_id`` is a
        duplicate key error (the others go on unless ``ordered``), as in the store."""
        errors: list[dict[str, Any]] = []
        for index, op in enumerate(operations):
            doc = copy.deepcopy(dict(op._doc))
            if isinstance(op, InsertOne):
                if doc["_id"] in self.documents:
                    errors.append({"index": index, "code": 11000, "errmsg": "duplicate key"})
                    if ordered:
                        break
                    continue
                self.documents[doc["_id"]] = doc
                continue
            assert list(op._filter) == ["_id"]
            self.documents[op._filter["_id"]] = doc
        if errors:
            raise BulkWriteError({"writeErrors": errors, "nInserted": 0})

    def events(self, doc_id: str) -> list[str]:
        """The types of the events pending in a document's outbox."""
        return [entry["type"] for entry in self.documents.get(doc_id, {}).get("_outbox", [])]


class FakeCursor:
    """``find``'s result: ``sort`` and ``limit`` chain, ``async for`` reads."""

    def __init__(self, fetch: Callable[[], list[dict[str, Any]]]) -> None:
        self._fetch = fetch
        self._sort: list[tuple[str, int]] = []
        self._limit = 0

    def sort(self, key: str | Sequence[tuple[str, int]], direction: int = 1) -> FakeCursor:
        self._sort = [(key, direction)] if isinstance(key, str) else list(key)
        return self

    def limit(self, count: int) -> FakeCursor:
        self._limit = count  # 0: no limit, as in PyMongo
        return self

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        docs = self._fetch()
        for path, direction in reversed(self._sort):  # stable: the last key first
            assert direction in (1, -1), direction
            docs.sort(key=_sort_key(path), reverse=direction == -1)
        for doc in docs[: self._limit or None]:
            yield doc


_MISSING = object()
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": lambda a, b: a > b,
    "$gte": lambda a, b: a >= b,
    "$lt": lambda a, b: a < b,
    "$lte": lambda a, b: a <= b,
}


def _get(doc: Mapping[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _sort_key(path: str) -> Callable[[Mapping[str, Any]], tuple[int, Any]]:
    def key(doc: Mapping[str, Any]) -> tuple[int, Any]:
        value = _get(doc, path)
        return (0, 0) if value is _MISSING or value is None else (1, value)

    return key


def _matches(doc: Mapping[str, Any], condition: Mapping[str, Any]) -> bool:
    for path, test in condition.items():
        if path == "$or":
            if not any(_matches(doc, c) for c in test):
                return False
        elif path == "$and":
            if not all(_matches(doc, c) for c in test):
                return False
        elif not _field_matches(_get(doc, path), test):
            return False
    return True


def _field_matches(value: Any, test: Any) -> bool:
    if not (isinstance(test, Mapping) and test and all(k.startswith("$") for k in test)):
        return value is not _MISSING and value == test
    for op, arg in test.items():
        if op == "$eq":
            ok = value is not _MISSING and value == arg
        elif op == "$ne":
            ok = value is _MISSING or value != arg
        elif op == "$in":
            ok = value is not _MISSING and value in arg
        elif op == "$nin":
            ok = value is _MISSING or value not in arg
        elif op == "$exists":
            ok = (value is not _MISSING) == bool(arg)
        elif op in _COMPARE:
            ok = type(value) is type(arg) and _COMPARE[op](value, arg)
        else:
            raise AssertionError(f"the fake store does not support {op}")
        if not ok:
            return False
    return True


class FakeDatabase:
    name = "restaurant"

    def __init__(self) -> None:
        self.collections: dict[str, FakeCollection] = {}
        self.redis = LockRedis()

    def __getitem__(self, name: str) -> FakeCollection:
        return self.collections.setdefault(name, FakeCollection(f"{self.name}.{name}"))

    def locks(self) -> DocumentLocks:
        return DocumentLocks(self.redis, wait_seconds=0.5)  # type: ignore[arg-type]

    def outbox(self) -> Outbox:
        return Outbox("bff-restaurant", locks=self.locks())

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Everything stored, to compare before and after a command."""
        return {name: copy.deepcopy(c.documents) for name, c in self.collections.items()}


class RateRedis:
    """The rate limit's counting script (``bff.kit.ratelimit.COUNT``) in memory, on a clock
    the test moves (``advance``); ``down`` makes every call fail as an unreachable Redis
    does, ``hang`` makes every call wait forever."""

    def __init__(self) -> None:
        self.now_ms = 0
        self.counts: dict[str, int] = {}
        self.expires_at: dict[str, int] = {}
        self.calls = 0
        self.down = False
        self.hang = False

    async def eval(self, script: str, numkeys: int, key: str, cost: str, window_ms: str) -> Any:
        self.calls += 1
        if self.hang:
            await asyncio.Event().wait()
        if self.down:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Refused.")
        assert script == COUNT and numkeys == 1
        if key in self.expires_at and self.now_ms >= self.expires_at[key]:
            del self.counts[key], self.expires_at[key]  # the window's key expired
        self.counts[key] = self.counts.get(key, 0) + int(cost)
        self.expires_at.setdefault(key, self.now_ms + int(window_ms))
        return [self.counts[key], self.expires_at[key] - self.now_ms]

    def advance(self, seconds: float) -> None:
        self.now_ms += round(seconds * 1000)
