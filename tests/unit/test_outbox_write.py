"""The outbox write side: one update document appends the events, in order, as wire JSON."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from bson import ObjectId
from pymongo import ReturnDocument
from redis.exceptions import ConnectionError as RedisConnectionError

from bff.kit.doclock import DocumentBusy, DocumentLocks
from bff.kit.outbox import OUTBOX_FIELD, Outbox, outbox_entry, with_outbox
from bff.kit.wakeup import RelaySignal, encode_hint, outbox_channel
from events import DriverLocationChanged, DriverPosition, Event, GeoPoint, parse_event, to_wire
from tests.unit.test_doclock import LockRedis


def moved(driver_id: str, lat: float) -> Event:
    position = DriverPosition(driver_id=driver_id, location=GeoPoint(lat=lat, lng=13.4))
    return DriverLocationChanged.record(
        position=position, source="bff-driver", actor=f"driver:{driver_id}"
    )


class FakeCollection:
    """Records the writes it is asked for, and which locks were held during each;
    matches documents by ``_id`` and equality."""

    full_name = "db.things"

    def __init__(self, documents: list[dict[str, Any]] | None = None) -> None:
        self.documents = {d["_id"]: d for d in documents or []}
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.locks = LockRedis()
        self.held: list[list[str]] = []

    def outbox(self, service: str, **options: Any) -> Outbox:
        """An Outbox whose locks live in this collection's fake Redis."""
        return Outbox(service, locks=DocumentLocks(self.locks), **options)  # type: ignore[arg-type]

    async def find_one_and_update(self, filter: Any, update: Any, **options: Any) -> Any:
        self.calls.append(("find_one_and_update", (filter, update), options))
        self.held.append(list(self.locks.values))
        document = self.documents.get(filter["_id"])
        if document is None or any(document.get(k) != v for k, v in filter.items()):
            return None
        document.update(update.get("$set", {}))
        for field, push in update.get("$push", {}).items():
            document.setdefault(field, []).extend(push["$each"])
        return dict(document)

    async def insert_one(self, document: dict[str, Any]) -> None:
        self.calls.append(("insert_one", (document,), {}))
        self.held.append(list(self.locks.values))
        self.documents[document["_id"]] = document


class FakeRedis:
    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.published: list[tuple[str, bytes]] = []

    async def publish(self, channel: str, message: bytes) -> int:
        if self.fail:
            raise RedisConnectionError("Redis is down")
        self.published.append((channel, message))
        return 1


def test_an_entry_holds_id_key_type_and_the_exact_wire_json() -> None:
    event = moved("d-1", 52.5)
    entry = outbox_entry(event)
    assert entry == {
        "id": event.id,
        "key": "d-1",
        "type": "driver-location-changed",
        "value": to_wire(event).decode(),
    }
    assert entry["value"].encode() == to_wire(event)
    assert parse_event(entry["value"]) == event


def test_the_update_appends_the_events_in_order_and_keeps_the_rest() -> None:
    events = [moved("d-1", 52.0 + n / 10) for n in range(3)]
    update = with_outbox({"$set": {"lat": 52.2}, "$inc": {"moves": 3}}, events)
    assert update == {
        "$set": {"lat": 52.2},
        "$inc": {"moves": 3},
        "$push": {OUTBOX_FIELD: {"$each": [outbox_entry(e) for e in events]}},
    }


def test_the_update_merges_with_a_push_of_its_own() -> None:
    event = moved("d-1", 52.0)
    update = with_outbox({"$push": {"trail": 52.0}}, [event])
    assert update == {"$push": {"trail": 52.0, OUTBOX_FIELD: {"$each": [outbox_entry(event)]}}}


def test_without_events_the_update_is_unchanged() -> None:
    assert with_outbox({"$set": {"a": 1}}, []) == {"$set": {"a": 1}}


@pytest.mark.parametrize(
    "update",
    [
        {"status": "accepted"},
        {"$set": {OUTBOX_FIELD: []}},
        {"$unset": {f"{OUTBOX_FIELD}.0": ""}},
        {"$push": {OUTBOX_FIELD: {"id": "x"}}},
    ],
)
def test_replacements_and_writes_to_the_outbox_itself_are_refused(update: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        with_outbox(update, [moved("d-1", 52.0)])


async def test_update_is_one_find_one_and_update_returning_the_new_document() -> None:
    collection = FakeCollection([{"_id": "d-1", "lat": 52.0}])
    signal = RelaySignal()
    redis = FakeRedis()
    events = [moved("d-1", 52.1), moved("d-1", 52.2)]
    outbox = collection.outbox("bff-driver", signal=signal, redis=redis)

    document = await outbox.update(
        collection,
        {"_id": "d-1"},
        {"$set": {"lat": 52.2}},
        events,
    )

    assert [name for name, _, _ in collection.calls] == ["find_one_and_update"]
    _, (filter, update), options = collection.calls[0]
    assert filter == {"_id": "d-1"}
    assert update == with_outbox({"$set": {"lat": 52.2}}, events)
    assert options == {"upsert": False, "return_document": ReturnDocument.AFTER}
    assert document is not None
    assert document["lat"] == 52.2
    assert [e["id"] for e in document[OUTBOX_FIELD]] == [e.id for e in events]
    assert signal.take_hints() == [("things", "d-1")]  # the relay reads just this document
    assert redis.published == []  # the command did not wait for the announcement
    await outbox.settled()
    assert redis.published == [(outbox_channel("bff-driver"), encode_hint("things", "d-1"))]
    assert collection.held == [["fd:lock:db.things:d-1"]]  # the write held the lock
    assert collection.locks.values == {}  # and released it


async def test_a_guard_that_does_not_match_writes_nothing_and_wakes_nobody() -> None:
    collection = FakeCollection([{"_id": "o-1", "status": "cancelled"}])
    signal = RelaySignal()
    redis = FakeRedis()
    outbox = collection.outbox("bff-restaurant", signal=signal, redis=redis)

    document = await outbox.update(
        collection,
        {"_id": "o-1", "status": "placed"},
        {"$set": {"status": "accepted"}},
        [moved("d-1", 52.0)],
    )

    assert document is None
    assert collection.documents["o-1"] == {"_id": "o-1", "status": "cancelled"}
    assert not signal.is_set()
    assert redis.published == []
    assert collection.held == [["fd:lock:db.things:o-1"]]
    assert collection.locks.values == {}


async def test_insert_creates_the_entity_with_its_events() -> None:
    collection = FakeCollection()
    signal = RelaySignal()
    event = moved("d-7", 52.0)

    created = await collection.outbox("bff-driver", signal=signal).insert(
        collection,
        {"_id": "d-7", "lat": 52.0},
        [event],
    )

    assert created == {"_id": "d-7", "lat": 52.0, OUTBOX_FIELD: [outbox_entry(event)]}
    assert collection.documents["d-7"] == created
    assert signal.take_hints() == [("things", "d-7")]
    assert collection.held == [["fd:lock:db.things:d-7"]]
    with pytest.raises(ValueError):
        await collection.outbox("bff-driver").insert(collection, {OUTBOX_FIELD: []}, [event])


async def test_insert_without_an_id_gets_an_object_id_and_locks_it() -> None:
    collection = FakeCollection()

    created = await collection.outbox("bff-driver").insert(collection, {"lat": 1.0}, [])

    assert isinstance(created["_id"], ObjectId)
    assert collection.documents == {created["_id"]: created}
    assert collection.held == [[f"fd:lock:db.things:{created['_id']}"]]


@pytest.mark.parametrize("filter", [{"status": "placed"}, {"_id": {"$in": ["a", "b"]}}])
async def test_an_update_must_name_one_document_by_id(filter: dict[str, Any]) -> None:
    collection = FakeCollection([{"_id": "a", "status": "placed"}])

    with pytest.raises(ValueError, match="one exact _id"):
        await collection.outbox("bff-x").update(collection, filter, {"$set": {"x": 1}}, [])

    assert collection.calls == []


async def test_a_busy_document_raises_document_busy_and_writes_nothing() -> None:
    collection = FakeCollection([{"_id": "o-1", "status": "placed"}])
    collection.locks.values["fd:lock:db.things:o-1"] = "another replica"
    outbox = Outbox(
        "bff-restaurant",
        locks=DocumentLocks(collection.locks, wait_seconds=0.02),  # type: ignore[arg-type]
    )

    with pytest.raises(DocumentBusy):
        await outbox.update(
            collection, {"_id": "o-1"}, {"$set": {"status": "accepted"}}, [moved("d-1", 1.0)]
        )

    assert collection.calls == []
    assert collection.documents["o-1"] == {"_id": "o-1", "status": "placed"}


async def test_a_failed_redis_announcement_does_not_fail_the_command(
    caplog: pytest.LogCaptureFixture,
) -> None:
    collection = FakeCollection([{"_id": "d-1"}])
    signal = RelaySignal()
    outbox = collection.outbox("bff-driver", signal=signal, redis=FakeRedis(fail=True))

    document = await outbox.update(
        collection,
        {"_id": "d-1"},
        {"$set": {"lat": 1.0}},
        [moved("d-1", 1.0)],
    )
    await outbox.settled()

    assert document is not None
    assert signal.is_set()
    assert "could not wake the bff-driver outbox relay" in caplog.text


class SlowRedis(FakeRedis):
    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()

    async def publish(self, channel: str, message: bytes) -> int:
        await self.gate.wait()
        return await super().publish(channel, message)


async def test_the_command_does_not_wait_for_a_slow_announcement() -> None:
    collection = FakeCollection([{"_id": "d-1"}])
    redis = SlowRedis()
    outbox = collection.outbox("bff-driver", redis=redis)

    async with asyncio.timeout(1):
        document = await outbox.update(
            collection, {"_id": "d-1"}, {"$set": {"lat": 1.0}}, [moved("d-1", 1.0)]
        )
    assert document is not None and redis.published == []

    redis.gate.set()
    await outbox.settled()
    assert redis.published == [(outbox_channel("bff-driver"), encode_hint("things", "d-1"))]
