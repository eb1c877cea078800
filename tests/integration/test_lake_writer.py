"""The lake writer against the real broker: every event stored once (republished copies
and records read again after a crash between writing and committing are dropped), poison
kept, files by event hour, DuckDB counts equal to what was published, committed events
not stored again."""

from __future__ import annotations

import asyncio
import gzip
import json
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from adapters.hub import EventPublisher, event_consumer
from events import EVENT_TYPES, Event, to_wire
from events.ids import new_event_id
from events.samples import sample_event
from listeners.lake import LakeWriter, connect, count_lines, counts_by_type_per_hour, read_lake
from listeners.lake import writer as writer_module
from listeners.lake.layout import event_files

START = 1749920400000  # 2025-06-14 17:00 UTC
POISON = b"\x00not json \xff{"


def _events(count: int, seed: int) -> list[Event]:
    """Samples with fresh ids over ~3 hours, jittered so partitions cross hours back and forth."""
    rng = random.Random(seed)
    types = sorted(EVENT_TYPES)
    events = []
    for n in range(count):
        stamp = START + n * 5000 + rng.randint(-600_000, 600_000)
        sample = sample_event(types[n % len(types)])
        events.append(sample.model_copy(update={"id": new_event_id(stamp), "timestamp": stamp}))
    return events


async def _write_until(
    writer: LakeWriter, done: Callable[[], bool | Awaitable[bool]], seconds: float = 60
) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(writer.run(stop))
    try:
        async with asyncio.timeout(seconds):
            while not await _holds(done()):
                if task.done():
                    task.result()  # raises the writer's error, if any
                    raise AssertionError("the writer stopped early")
                await asyncio.sleep(0.2)
    finally:
        stop.set()
        await task


async def _holds(answer: bool | Awaitable[bool]) -> bool:
    return answer if isinstance(answer, bool) else await answer


async def _committed(bootstrap: str, group: str) -> int:
    """The sum of the group's committed offsets: records it has consumed for good."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return sum(offset.offset for offset in offsets.values())


def _ids(lake: Path) -> list[str]:
    return [e["id"] for e in read_lake(lake)]


def _lines(folder: Path) -> list[dict[str, Any]]:
    """Every line of every file under ``folder``, repeats included (not the readers)."""
    return [
        json.loads(line)
        for path in sorted(folder.rglob("*.jsonl.gz"))
        for line in gzip.decompress(path.read_bytes()).splitlines()
    ]


def _hour(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp // 3_600_000 * 3600, UTC).replace(tzinfo=None)


async def test_every_event_is_stored_once_and_poison_is_kept(
    kafka_bootstrap: str, topic: str, tmp_path: Path
) -> None:
    events = _events(2000, seed=1)
    repeated = events[::40]  # republished: the same ids again
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        await hub.publish_many(events)
        await hub.publish_many(repeated)
        await hub.publish_raw("poison", POISON)

    unknown = tmp_path / "date=unknown" / "hour=unknown"
    writer = LakeWriter(kafka_bootstrap, topic, tmp_path, group=f"{topic}.lake", max_seconds=0.5)
    await _write_until(writer, lambda: len(_ids(tmp_path)) == 2000 and unknown.is_dir())

    stored = list(read_lake(tmp_path))
    assert sorted(e["id"] for e in stored) == sorted(e.id for e in events)
    assert count_lines(tmp_path) == 2000  # the republished copies were dropped
    last: dict[int, int] = {}
    for event in stored:  # each partition's events in offset order
        assert event["_offset"] > last.get(event["_partition"], -1)
        last[event["_partition"]] = event["_offset"]

    (poison_file,) = unknown.iterdir()
    (line,) = gzip.decompress(poison_file.read_bytes()).splitlines()
    kept = json.loads(line)
    assert kept["_raw"] == POISON.decode("utf-8", "replace")
    assert isinstance(kept["_partition"], int) and isinstance(kept["_offset"], int)

    wire = {e.id: to_wire(e) for e in events}
    for path in event_files(tmp_path):
        for raw in gzip.decompress(path.read_bytes()).splitlines():
            event = json.loads(raw)
            assert raw[: raw.rindex(b',"_partition":')] + b"}" == wire[event["id"]]
            moment = datetime.fromtimestamp(event["timestamp"] / 1000, UTC)
            assert path.parent.name == f"hour={moment:%H}"
            assert path.parent.parent.name == f"date={moment:%Y-%m-%d}"

    con = connect(tmp_path)
    by_type = dict(con.execute("SELECT type, count(*) FROM events GROUP BY type").fetchall())
    assert by_type == Counter(e.type for e in events)
    per_hour = Counter((_hour(e.timestamp), e.type) for e in events)
    assert counts_by_type_per_hour(con) == sorted((h, t, n) for (h, t), n in per_hour.items())


async def test_a_restarted_writer_does_not_store_committed_events_again(
    kafka_bootstrap: str, topic: str, tmp_path: Path
) -> None:
    first, second = _events(300, seed=2), _events(100, seed=3)
    group = f"{topic}.lake"
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        await hub.publish_many(first)
        writer = LakeWriter(kafka_bootstrap, topic, tmp_path, group=group, max_seconds=0.5)
        await _write_until(writer, lambda: len(_ids(tmp_path)) == 300)
        before = set(event_files(tmp_path))
        await hub.publish_many(second)

    writer = LakeWriter(kafka_bootstrap, topic, tmp_path, group=group, max_seconds=0.5)
    await _write_until(writer, lambda: len(_ids(tmp_path)) == 400)
    new_files = [path for path in event_files(tmp_path) if path not in before]
    new_ids = [
        json.loads(line)["id"]
        for path in new_files
        for line in gzip.decompress(path.read_bytes()).splitlines()
    ]
    assert sorted(new_ids) == sorted(e.id for e in second)
    assert count_lines(tmp_path) == 400


class Killed(Exception):
    """The writer "dies" here: after its files are on disk, before its commit."""


async def test_a_writer_killed_between_writing_and_committing_stores_nothing_twice(
    kafka_bootstrap: str, topic: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = _events(300, seed=4)
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        await hub.publish_many(events)
        await hub.publish_raw("poison", POISON)
    group = f"{topic}.lake"
    commits = 0

    def dies_before_committing(*args: Any, **options: Any) -> Any:
        consumer = event_consumer(*args, **options)

        async def commit(offsets: object = None) -> None:
            nonlocal commits
            commits += 1
            raise Killed

        consumer.commit = commit
        return consumer

    with monkeypatch.context() as patched:
        patched.setattr(writer_module, "event_consumer", dies_before_committing)
        writer = LakeWriter(kafka_bootstrap, topic, tmp_path, group=group, max_seconds=0.5)
        with pytest.raises(Killed):
            await _write_until(writer, lambda: False)
    written = _lines(tmp_path)
    assert commits == 1 and 0 < len(written) <= 301  # the first batch is on disk

    assert await _committed(kafka_bootstrap, group) == 0

    # started again: the group's committed offsets are where they were, so every record
    # comes again; what the lake holds already is dropped
    writer = LakeWriter(kafka_bootstrap, topic, tmp_path, group=group, max_seconds=0.5)

    async def all_committed() -> bool:
        return await _committed(kafka_bootstrap, group) == 301

    await _write_until(writer, all_committed)
    lines = _lines(tmp_path)
    ids = Counter(line.get("id") for line in lines if "_raw" not in line)
    assert ids == Counter({e.id: 1 for e in events}), [i for i, n in ids.items() if n > 1][:5]
    poison = [line for line in lines if "_raw" in line]
    assert len(poison) == 1 and poison[0]["_raw"] == POISON.decode("utf-8", "replace")
