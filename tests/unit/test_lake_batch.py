"""A batch groups lines into one file per hour, keeping each partition in offset order."""

from __future__ import annotations

import json

from aiokafka import TopicPartition

from listeners.lake.batch import Batch

H10, H11 = 1749895200000, 1749898800000  # 2025-06-14 10:00 and 11:00 UTC
P0, P1 = TopicPartition("t", 0), TopicPartition("t", 1)


def _event(n: int, stamp: int) -> bytes:
    return json.dumps({"id": f"e{n}", "timestamp": stamp}).encode()


def _ids(lines: list[bytes]) -> list[str]:
    return [json.loads(line)["id"] for line in lines]


def test_one_file_per_hour_in_order_of_first_appearance() -> None:
    batch = Batch()
    batch.add(P0, 10, _event(1, H11))
    batch.add(P1, 20, _event(2, H10))
    batch.add(P0, 11, _event(3, H11 + 5))
    batch.add(P1, 21, b"poison")
    assert [hour for hour, _ in batch.files] == [
        ("2025-06-14", "11"),
        ("2025-06-14", "10"),
        ("unknown", "unknown"),
    ]
    assert _ids(batch.files[0][1]) == ["e1", "e3"]
    assert batch.offsets == {P0: 12, P1: 22}
    assert batch.events == 4
    assert batch.bytes == sum(len(line) for _, lines in batch.files for line in lines)


def test_a_partition_going_back_to_an_earlier_file_starts_a_new_one() -> None:
    batch = Batch()
    batch.add(P0, 0, _event(1, H10))
    batch.add(P0, 1, _event(2, H11))
    batch.add(P0, 2, _event(3, H10 + 1))  # would come before e2 if added to the first file
    batch.add(P1, 0, _event(4, H10))  # another partition may use the newest H10 file
    in_file_order = [n for _, lines in batch.files for n in _ids(lines)]
    assert in_file_order == ["e1", "e2", "e3", "e4"]
    assert [hour[1] for hour, _ in batch.files] == ["10", "11", "10"]


def test_due_when_full_or_old() -> None:
    batch = Batch()
    assert not batch.due(2, 1 << 20, 60)
    assert batch.seconds_left(60) is None
    batch.add(P0, 0, _event(1, H10))
    assert not batch.due(2, 1 << 20, 60)
    assert batch.due(1, 1 << 20, 60)
    assert batch.due(2, 10, 60)
    assert batch.due(2, 1 << 20, 0)
    left = batch.seconds_left(60)
    assert left is not None and 59 < left <= 60
