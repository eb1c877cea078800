"""The writer's flush/commit order against a fake consumer: offsets are committed only after
the files are on disk, a disk error keeps the batch, a failed commit is not fatal."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError

from listeners.lake import LakeWriter, read_lake
from listeners.lake import writer as writer_module

TP = TopicPartition("t", 0)
STAMP = 1749920531000


@dataclass
class Record:
    offset: int
    value: bytes


class FakeConsumer:
    def __init__(self, lake: Path, values: list[bytes], fail_commits: int = 0) -> None:
        self.lake, self.fail_commits = lake, fail_commits
        self.pending = [Record(n, v) for n, v in enumerate(values)]
        self.commits: list[tuple[dict[Any, int], int]] = []  # offsets, events on disk then
        self.stopped = False

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        self.stopped = True

    def assignment(self) -> set[TopicPartition]:
        return {TP}

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[Any, list[Record]]:
        if not self.pending:
            await asyncio.sleep(timeout_ms / 1000)
            return {}
        taken, self.pending = self.pending[:max_records], self.pending[max_records:]
        return {TP: taken}

    async def commit(self, offsets: dict[Any, int]) -> None:
        if self.fail_commits:
            self.fail_commits -= 1
            raise CommitFailedError("rebalanced")
        self.commits.append((dict(offsets), len(list(read_lake(self.lake)))))


def _events(count: int) -> list[bytes]:
    return [json.dumps({"id": f"e{n}", "timestamp": STAMP}).encode() for n in range(count)]


async def _run_until(writer: LakeWriter, done: Any, seconds: float = 10) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(writer.run(stop))
    async with asyncio.timeout(seconds):
        while not done():
            assert not task.done(), task.result()
            await asyncio.sleep(0.02)
    stop.set()
    await task


async def test_a_disk_error_keeps_the_batch_uncommitted_until_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = tmp_path / "lake"
    lake.write_text("a file where the lake folder should be")  # every write fails
    consumer = FakeConsumer(lake, _events(5))
    monkeypatch.setattr(writer_module, "event_consumer", lambda *a, **k: consumer)
    writer = LakeWriter("unused", "t", lake, max_events=5)

    stop = asyncio.Event()
    task = asyncio.create_task(writer.run(stop))
    await asyncio.sleep(0.3)
    assert consumer.commits == [] and not consumer.pending
    lake.unlink()  # the disk is fixed: the retry writes the same batch
    async with asyncio.timeout(10):
        while not consumer.commits:
            assert not task.done(), task.result()
            await asyncio.sleep(0.02)
    stop.set()
    await task
    assert consumer.commits == [({TP: 5}, 5)]
    assert [e["id"] for e in read_lake(lake)] == [f"e{n}" for n in range(5)]


async def test_a_failed_commit_is_logged_and_the_writer_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    consumer = FakeConsumer(tmp_path, _events(7), fail_commits=1)
    monkeypatch.setattr(writer_module, "event_consumer", lambda *a, **k: consumer)
    writer = LakeWriter("unused", "t", tmp_path, max_events=4, max_seconds=60)
    await _run_until(writer, lambda: not consumer.pending)
    # the first batch (4) was written but its commit failed; stopping flushed the other 3
    assert consumer.commits == [({TP: 7}, 7)]
    assert consumer.stopped
