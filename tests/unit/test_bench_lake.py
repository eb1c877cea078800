"""The lake benchmark's synthetic lake: the writer's layout and lines, read back whole."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from aiokafka.partitioner import DefaultPartitioner

from bench.lake_replay import first_day, read_all, read_plain
from bench.synthetic_lake import partition_for, split, write_lake, write_segment
from listeners.lake.layout import SUFFIX, event_files
from listeners.lake.reader import count_lines, read_lake


def test_partitions_are_kafkas_default_for_the_key() -> None:
    partitioner = DefaultPartitioner()
    for key in (b"o-bench-00000001", b"r-bench-0003", b"d-bench-0042", b"x"):
        expected = partitioner(key, list(range(12)), list(range(12)))
        assert partition_for(key, 12) == expected


def test_split_is_near_equal_and_complete() -> None:
    assert split(10, 4) == [3, 3, 2, 2]
    assert split(3, 8) == [1, 1, 1]
    assert split(0, 3) == [0]
    assert sum(split(1_000_003, 4)) == 1_000_003


def test_a_segment_is_what_the_lake_writer_would_have_written(tmp_path: Path) -> None:
    segment = write_segment(tmp_path, 12_000, seed=1, first_offset=100)
    assert segment.events == 12_000 and sum(segment.types.values()) == 12_000
    files = event_files(tmp_path)
    assert len(files) == segment.files and all(f.name.endswith(SUFFIX) for f in files)
    assert all(f.parent.name.startswith("hour=") for f in files)
    events = list(read_lake(tmp_path))
    assert len(events) == 12_000 == count_lines(tmp_path)
    last: dict[int, int] = {}
    for event in events:  # every partition in offset order, from first_offset on
        assert event["_offset"] == last.get(event["_partition"], 99) + 1
        last[event["_partition"]] = event["_offset"]
        assert event["_partition"] == partition_for(event["partitionKey"].encode(), 12)


def test_segments_follow_each_other_in_name_order_and_offsets(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    lake.mkdir()
    segments = write_lake(lake, 3000, segments=2, workers=1, seed=5)
    assert [s.events for s in segments] == [1500, 1500]
    events = list(read_lake(lake))
    assert len(events) == 3000 == read_all(lake) == read_plain(lake)
    days = [e["timestamp"] // 86_400_000 for e in events]
    assert days == sorted(days) and len(set(days)) == 2  # day 1's files, then day 2's
    offsets: dict[int, int] = {}
    for event in events:
        assert event["_offset"] > offsets.get(event["_partition"], -1)
        offsets[event["_partition"]] = event["_offset"]
    assert not list(tmp_path.glob("segments-*"))  # the generators' folders are gone

    day = tmp_path / "day1"
    linked = first_day(lake, day)
    first = list(read_lake(day))
    assert linked == len(event_files(day)) and len(first) == 1500
    assert first == events[:1500]


def test_lines_keep_the_events_bytes_with_partition_and_offset(tmp_path: Path) -> None:
    write_segment(tmp_path, 700, seed=2)
    line = gzip.decompress(event_files(tmp_path)[0].read_bytes()).splitlines()[0]
    assert line.endswith(b',"_partition":%d,"_offset":0}' % json.loads(line)["_partition"])
