"""An in-memory store for the BFFs' unit tests, holding to FerretDB's rules
the code relies on: single-document reads and writes name exactly one ``_id``, and an
insert of an existing ``_id`` fails and writes nothing. (Tested here too.)"""

from __future__ import annotations

import copy
from typing import Any

from pymongo import ReplaceOne, ReturnDocument
from pymongo.errors import DuplicateKeyError

from bff.kit.doclock import DocumentLocks
from bff.kit.outbox import Outbox
from tests.unit.test_doclock import LockRedis


class FakeCollection:
    def __init__(self, full_name: str) -> None:
        self.full_name = full_name
        self.documents: dict[str, dict[str, Any]] = {}

    async def find_one(self, filter: dict[str, Any]) -> dict[str, Any] | None:
        assert list(filter) == ["_id"], f"only _id lookups are indexed, got {filter}"
        found = self.documents.get(filter["_id"])
        return copy.deepcopy(found) if found is not None else None

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

    async def bulk_write(self, operations: list[ReplaceOne[Any]], ordered: bool = True) -> None:
        for op in operations:
            assert list(op._filter) == ["_id"]
            self.documents[op._filter["_id"]] = copy.deepcopy(dict(op._doc))

    def events(self, doc_id: str) -> list[str]:
        """The types of the events pending in a document's outbox."""
        return [entry["type"] for entry in self.documents.get(doc_id, {}).get("_outbox", [])]


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
