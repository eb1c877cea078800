"""The outbox relay with in-memory fakes: order kept, only published entries removed,
infrastructure errors retried without losing anything."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiokafka.errors import KafkaConnectionError

from bff.kit.backoff import Backoff
from bff.kit.doclock import DocumentBusy, DocumentLocks
from bff.kit.outbox import OUTBOX_FIELD, outbox_entry
from bff.kit.relay import INFRASTRUCTURE_ERRORS, PENDING, OutboxRelay
from bff.kit.wakeup import RelaySignal
from events import DriverLocationChanged, DriverPosition, Event, GeoPoint, to_wire
from tests.unit.test_doclock import LockRedis


def moved(driver_id: str, lat: float) -> Event:
    position = DriverPosition(driver_id=driver_id, location=GeoPoint(lat=lat, lng=13.4))
    return DriverLocationChanged.record(
        position=position, source="bff-driver", actor=f"driver:{driver_id}"
    )


class FakeCursor:
    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self._documents = documents

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[dict[str, Any]]:
        for document in self._documents:
            yield document

    async def __aenter__(self) -> FakeCursor:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        pass


class FakeCollection:
    """The few MongoDB operations the relay uses, with MongoDB's meaning; records which
    locks (in ``locks``, set by ``relay_for``) were held during each removal, and how
    often the collection was scanned."""

    full_name = "db.drivers"

    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.documents = {d["_id"]: d for d in documents}
        self.indexes: list[Any] = []
        self.locks = LockRedis()
        self.held: list[list[str]] = []
        self.scans = 0
        self.reads: list[Any] = []

    async def create_index(self, keys: Any, **options: Any) -> str:
        self.indexes.append((keys, options))
        return str(options.get("name"))

    def find(self, filter: dict[str, Any], projection: dict[str, Any]) -> FakeCursor:
        assert filter == PENDING
        assert projection == {"_id": 1}
        self.scans += 1
        pending = [d for d in self.documents.values() if d.get(OUTBOX_FIELD)]
        return FakeCursor([{"_id": d["_id"]} for d in pending])

    async def find_one(
        self, filter: dict[str, Any], projection: dict[str, Any]
    ) -> dict[str, Any] | None:
        assert list(filter) == ["_id"] and projection == {OUTBOX_FIELD: 1}
        self.reads.append(filter["_id"])
        document = self.documents.get(filter["_id"])
        if document is None:
            return None
        return {"_id": document["_id"], OUTBOX_FIELD: copy.deepcopy(document.get(OUTBOX_FIELD))}

    async def update_one(self, filter: dict[str, Any], update: dict[str, Any]) -> None:
        (field, values), *rest = update["$pullAll"].items()
        assert field == OUTBOX_FIELD and not rest and list(update) == ["$pullAll"]
        self.held.append(list(self.locks.values))
        document = self.documents[filter["_id"]]
        document[field] = [entry for entry in document[field] if entry not in values]


class FakeDatabase(dict[str, FakeCollection]):
    pass


class FakePublisher:
    """Acknowledges each message after ``before_ack`` ran; ``failures`` sends fail first."""

    def __init__(self, *, failures: int = 0, fail_at: int | None = None) -> None:
        self.sent: list[tuple[str, bytes]] = []
        self.failures = failures
        self.fail_at = fail_at
        self.before_ack: Callable[[], None] = lambda: None
        self._sent_more = asyncio.Event()

    async def until_sent(self, count: int) -> None:
        while len(self.sent) < count:
            self._sent_more.clear()
            await self._sent_more.wait()

    async def publish_raw(self, key: str, value: bytes) -> None:
        if self.failures:
            self.failures -= 1
            raise KafkaConnectionError("broker down")
        if self.fail_at is not None and len(self.sent) == self.fail_at:
            self.fail_at = None
            raise KafkaConnectionError("broker went away")
        self.before_ack()
        self.sent.append((key, value))
        self._sent_more.set()


def relay_for(
    db: FakeDatabase, publisher: FakePublisher, *, lock_wait: float = 5.0, **options: Any
) -> OutboxRelay:
    redis = LockRedis()
    for collection in db.values():
        collection.locks = redis
    return OutboxRelay(
        db,
        list(db),
        publisher,
        options.pop("signal", RelaySignal()),
        locks=DocumentLocks(redis, wait_seconds=lock_wait),  # type: ignore[arg-type]
        service="bff-driver",
        **options,
    )


def pending(*events: Event) -> list[dict[str, Any]]:
    return [outbox_entry(e) for e in events]


async def test_a_pass_publishes_each_documents_events_in_order_and_clears_them() -> None:
    trips = {d: [moved(d, 52.0 + n / 10) for n in range(5)] for d in ("d-1", "d-2", "d-3")}
    db = FakeDatabase(
        drivers=FakeCollection([{"_id": d, OUTBOX_FIELD: pending(*es)} for d, es in trips.items()])
    )
    publisher = FakePublisher()

    assert await relay_for(db, publisher).publish_pending() == 15

    for driver, events in trips.items():
        assert [v for k, v in publisher.sent if k == driver] == [to_wire(e) for e in events]
    assert all(d[OUTBOX_FIELD] == [] for d in db["drivers"].documents.values())
    # each removal held exactly its own document's lock; all were released
    assert sorted(db["drivers"].held) == [[f"fd:lock:db.drivers:{d}"] for d in sorted(trips)]
    assert db["drivers"].locks.values == {}


async def test_publishing_happens_outside_the_lock() -> None:
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: pending(moved("d-1", 1.0))}])
    publisher = FakePublisher()
    relay = relay_for(FakeDatabase(drivers=drivers), publisher)
    held_while_publishing: list[list[str]] = []
    publisher.before_ack = lambda: held_while_publishing.append(list(drivers.locks.values))

    assert await relay.publish_pending() == 1
    assert held_while_publishing == [[]]
    assert drivers.held == [["fd:lock:db.drivers:d-1"]]


async def test_a_document_locked_by_a_command_keeps_its_entries_for_a_retry() -> None:
    event = moved("d-1", 1.0)
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: pending(event)}])
    publisher = FakePublisher()
    relay = relay_for(FakeDatabase(drivers=drivers), publisher, lock_wait=0.01)
    drivers.locks.values["fd:lock:db.drivers:d-1"] = "a stuck command"

    try:
        await relay.publish_pending()
    except DocumentBusy:
        pass
    else:
        raise AssertionError("DocumentBusy must surface (the run loop retries it)")
    assert drivers.documents["d-1"][OUTBOX_FIELD] == pending(event)  # republished later

    del drivers.locks.values["fd:lock:db.drivers:d-1"]
    assert await relay.publish_pending() == 1
    assert [v for _, v in publisher.sent] == [to_wire(event)] * 2  # a duplicate, not a gap
    assert isinstance(DocumentBusy("x"), INFRASTRUCTURE_ERRORS)


async def test_entries_appended_while_publishing_stay_for_the_next_pass() -> None:
    first, second, late = moved("d-1", 1.0), moved("d-1", 2.0), moved("d-1", 3.0)
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: pending(first, second)}])
    db = FakeDatabase(drivers=drivers)
    publisher = FakePublisher()

    def command_writes_meanwhile() -> None:
        publisher.before_ack = lambda: None
        drivers.documents["d-1"][OUTBOX_FIELD].append(outbox_entry(late))

    publisher.before_ack = command_writes_meanwhile
    relay = relay_for(db, publisher)

    assert await relay.publish_pending() == 2
    assert drivers.documents["d-1"][OUTBOX_FIELD] == pending(late)
    assert await relay.publish_pending() == 1
    assert [v for _, v in publisher.sent] == [to_wire(e) for e in (first, second, late)]
    assert drivers.documents["d-1"][OUTBOX_FIELD] == []


async def test_a_kafka_failure_midway_removes_only_what_was_acknowledged() -> None:
    events = [moved("d-1", n) for n in range(4)]
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: pending(*events)}])
    publisher = FakePublisher(fail_at=2)
    relay = relay_for(FakeDatabase(drivers=drivers), publisher)

    try:
        await relay.publish_pending()
    except KafkaConnectionError:
        pass
    else:
        raise AssertionError("the Kafka error must surface")
    assert drivers.documents["d-1"][OUTBOX_FIELD] == pending(*events[2:])

    assert await relay.publish_pending() == 2
    assert [v for _, v in publisher.sent] == [to_wire(e) for e in events]


async def test_run_retries_with_backoff_until_kafka_is_back_and_loses_nothing() -> None:
    events = [moved("d-1", 1.0), moved("d-2", 2.0)]
    drivers = FakeCollection([{"_id": e.partition_key, OUTBOX_FIELD: pending(e)} for e in events])
    publisher = FakePublisher(failures=5)
    backoff = Backoff(initial=0.001, maximum=0.01)
    relay = relay_for(FakeDatabase(drivers=drivers), publisher, backoff=backoff, sweep_seconds=60)
    stop = asyncio.Event()

    running = asyncio.create_task(relay.run(stop))
    async with asyncio.timeout(5):
        await publisher.until_sent(2)
    stop.set()
    await asyncio.wait_for(running, 5)

    assert sorted(v for _, v in publisher.sent) == sorted(to_wire(e) for e in events)
    assert all(d[OUTBOX_FIELD] == [] for d in drivers.documents.values())
    assert drivers.indexes == [
        ([(f"{OUTBOX_FIELD}.0", 1)], {"name": "outbox_pending", "sparse": True})
    ]


async def test_run_sweeps_at_start_and_wakes_on_the_signal() -> None:
    left_by_a_crash = moved("d-1", 1.0)
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: pending(left_by_a_crash)}])
    publisher = FakePublisher()
    signal = RelaySignal()
    relay = relay_for(FakeDatabase(drivers=drivers), publisher, signal=signal, sweep_seconds=60)
    stop = asyncio.Event()

    running = asyncio.create_task(relay.run(stop))
    async with asyncio.timeout(5):
        await publisher.until_sent(1)
        new = moved("d-1", 2.0)
        drivers.documents["d-1"][OUTBOX_FIELD].append(outbox_entry(new))
        signal.notify()
        await publisher.until_sent(2)
    stop.set()
    await asyncio.wait_for(running, 5)

    assert [v for _, v in publisher.sent] == [to_wire(left_by_a_crash), to_wire(new)]


def test_backoff_doubles_up_to_its_cap_and_resets() -> None:
    backoff = Backoff(initial=0.1, maximum=0.5)
    assert [backoff.next_delay() for _ in range(5)] == [0.1, 0.2, 0.4, 0.5, 0.5]
    backoff.reset()
    assert backoff.next_delay() == 0.1


async def test_a_wake_up_naming_a_document_reads_just_that_one_and_never_scans() -> None:
    first, second = moved("d-1", 1.0), moved("d-2", 2.0)
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: []}, {"_id": "d-2", OUTBOX_FIELD: []}])
    publisher = FakePublisher()
    signal = RelaySignal()
    relay = relay_for(FakeDatabase(drivers=drivers), publisher, signal=signal, sweep_seconds=60)
    stop = asyncio.Event()

    running = asyncio.create_task(relay.run(stop))
    async with asyncio.timeout(5):
        while drivers.scans < 1:  # noqa: ASYNC110 (the start sweep runs in its own task)
            await asyncio.sleep(0.001)
        drivers.documents["d-1"][OUTBOX_FIELD].append(outbox_entry(first))
        drivers.documents["d-2"][OUTBOX_FIELD].append(outbox_entry(second))
        signal.notify("drivers", "d-1")
        signal.notify("elsewhere", "d-2")  # not one of the relay's collections: ignored
        await publisher.until_sent(1)
    stop.set()
    await asyncio.wait_for(running, 5)

    assert [v for _, v in publisher.sent] == [to_wire(first)]
    assert drivers.reads == ["d-1"]
    assert drivers.scans == 1  # only the start sweep
    assert drivers.documents["d-1"][OUTBOX_FIELD] == []
    assert drivers.documents["d-2"][OUTBOX_FIELD] == pending(second)  # for the next sweep


async def test_a_named_document_whose_pass_failed_is_retried_until_published() -> None:
    event = moved("d-1", 1.0)
    drivers = FakeCollection([])
    publisher = FakePublisher()
    signal = RelaySignal()
    backoff = Backoff(initial=0.001, maximum=0.01)
    relay = relay_for(
        FakeDatabase(drivers=drivers), publisher, signal=signal, backoff=backoff, sweep_seconds=60
    )
    stop = asyncio.Event()

    running = asyncio.create_task(relay.run(stop))
    async with asyncio.timeout(5):
        while drivers.scans < 1:  # noqa: ASYNC110 (the start sweep runs in its own task)
            await asyncio.sleep(0.001)
        publisher.failures = 3
        drivers.documents["d-1"] = {"_id": "d-1", OUTBOX_FIELD: pending(event)}
        signal.notify("drivers", "d-1")
        await publisher.until_sent(1)
    stop.set()
    await asyncio.wait_for(running, 5)

    assert [v for _, v in publisher.sent] == [to_wire(event)]
    assert drivers.reads == ["d-1"] * 4  # three failed passes, then the one that published
    assert drivers.scans == 1


class GatedPublisher(FakePublisher):
    """Holds every message for ``held`` keys until ``gate`` is set."""

    def __init__(self, held: set[str]) -> None:
        super().__init__()
        self.held = held
        self.gate = asyncio.Event()

    async def publish_raw(self, key: str, value: bytes) -> None:
        if key in self.held:
            await self.gate.wait()
        await super().publish_raw(key, value)


async def started(relay: OutboxRelay, drivers: FakeCollection, stop: asyncio.Event) -> Any:
    running = asyncio.create_task(relay.run(stop))
    async with asyncio.timeout(5):
        while drivers.scans < 1:  # noqa: ASYNC110 (the start sweep runs in its own task)
            await asyncio.sleep(0.001)
    return running


async def test_a_slow_document_does_not_hold_up_the_next_ones() -> None:
    slow, quick = moved("d-1", 1.0), moved("d-2", 2.0)
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: []}, {"_id": "d-2", OUTBOX_FIELD: []}])
    publisher = GatedPublisher({"d-1"})
    signal = RelaySignal()
    relay = relay_for(FakeDatabase(drivers=drivers), publisher, signal=signal, sweep_seconds=60)
    stop = asyncio.Event()
    running = await started(relay, drivers, stop)

    drivers.documents["d-1"][OUTBOX_FIELD].append(outbox_entry(slow))
    signal.notify("drivers", "d-1")
    await asyncio.sleep(0.01)
    drivers.documents["d-2"][OUTBOX_FIELD].append(outbox_entry(quick))
    signal.notify("drivers", "d-2")
    async with asyncio.timeout(5):
        await publisher.until_sent(1)
    assert [v for _, v in publisher.sent] == [to_wire(quick)]  # d-1 is still being sent
    publisher.gate.set()
    async with asyncio.timeout(5):
        await publisher.until_sent(2)
    stop.set()
    await asyncio.wait_for(running, 5)
    assert all(d[OUTBOX_FIELD] == [] for d in drivers.documents.values())


async def test_a_document_named_again_while_in_flight_is_read_again_after() -> None:
    first, second = moved("d-1", 1.0), moved("d-1", 2.0)
    drivers = FakeCollection([{"_id": "d-1", OUTBOX_FIELD: []}])
    publisher = GatedPublisher({"d-1"})
    signal = RelaySignal()
    relay = relay_for(FakeDatabase(drivers=drivers), publisher, signal=signal, sweep_seconds=60)
    stop = asyncio.Event()
    running = await started(relay, drivers, stop)

    drivers.documents["d-1"][OUTBOX_FIELD].append(outbox_entry(first))
    signal.notify("drivers", "d-1")
    await asyncio.sleep(0.01)  # the first is being sent (held at the gate)
    drivers.documents["d-1"][OUTBOX_FIELD].append(outbox_entry(second))
    signal.notify("drivers", "d-1")
    await asyncio.sleep(0.01)
    publisher.gate.set()
    async with asyncio.timeout(5):
        await publisher.until_sent(2)
    stop.set()
    await asyncio.wait_for(running, 5)

    assert [v for _, v in publisher.sent] == [to_wire(first), to_wire(second)]  # no duplicate
    assert drivers.reads == ["d-1", "d-1"]
    assert drivers.documents["d-1"][OUTBOX_FIELD] == []
    assert len(relay._turns) == 0  # nothing kept per document afterwards
