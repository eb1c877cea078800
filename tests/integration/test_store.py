"""The MongoDB-compatible store (FerretDB) against the real server: the operations the
design relies on (upserts, conditional single-document writes, unique indexes, bulk_write)."""

from __future__ import annotations

import pytest
from pymongo import IndexModel, ReturnDocument, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from adapters.store import Document
from listeners.materializer import Materializer
from listeners.rules import Listener
from listeners.views import Views


async def test_documents_round_trip(db: AsyncDatabase[Document]) -> None:
    doc = {"_id": "o-1", "status": "placed", "items": [{"name": "Pho", "qty": 2}], "total": 2400}
    await db.orders.insert_one(doc)
    assert await db.orders.find_one({"_id": "o-1"}) == doc


async def test_unique_index_rejects_a_second_document(db: AsyncDatabase[Document]) -> None:
    await db.assignments.create_index("orderId", unique=True)
    await db.assignments.insert_one({"orderId": "o-1", "driver": "d-1"})
    with pytest.raises(DuplicateKeyError):
        await db.assignments.insert_one({"orderId": "o-1", "driver": "d-2"})
    assert [d["driver"] async for d in db.assignments.find({"orderId": "o-1"})] == ["d-1"]


async def test_conditional_update_applies_only_newer_versions(db: AsyncDatabase[Document]) -> None:
    await db.views.insert_one({"_id": "o-1", "status": "placed", "ts": 10})

    stale = await db.views.find_one_and_update(
        {"_id": "o-1", "ts": {"$lt": 5}},
        {"$set": {"status": "cancelled", "ts": 5}},
        return_document=ReturnDocument.AFTER,
    )
    fresh = await db.views.find_one_and_update(
        {"_id": "o-1", "ts": {"$lt": 20}},
        {"$set": {"status": "accepted", "ts": 20}},
        return_document=ReturnDocument.AFTER,
    )
    assert stale is None
    assert fresh is not None and fresh["status"] == "accepted"


async def test_bulk_write_upserts_many_documents_in_one_call(db: AsyncDatabase[Document]) -> None:
    ops = [UpdateOne({"_id": f"o-{n}"}, {"$set": {"n": n}}, upsert=True) for n in range(100)]
    result = await db.views.bulk_write(ops, ordered=False)
    assert result.upserted_count == 100
    assert await db.views.count_documents({}) == 100


async def test_unordered_insert_reports_duplicates_and_keeps_the_rest(
    db: AsyncDatabase[Document],
) -> None:
    await db.views.insert_one({"_id": "o-1"})
    with pytest.raises(BulkWriteError):
        await db.views.insert_many([{"_id": "o-1"}, {"_id": "o-3"}], ordered=False)
    assert {d["_id"] async for d in db.views.find({})} == {"o-1", "o-3"}


async def test_a_listener_with_two_indexes_on_a_view_restarts(db: AsyncDatabase[Document]) -> None:
    """FerretDB 1.24 drops the connection when one createIndexes names two existing
    indexes; the materializer creates them one at a time, so a restart works."""
    views = {"tickets": [IndexModel([("a", 1)], name="by_a"), IndexModel([("b", 1)], name="by_b")]}
    listener = Listener(name="probe", group="probe", database=db.name, rules={}, views=views)
    for _ in range(2):  # the first start, then a restart on the same database
        await Materializer(listener, Views(db)).ensure_indexes()
    names = sorted([ix["name"] async for ix in await db["tickets"].list_indexes()])
    assert names == ["_id_", "by_a", "by_b"]
