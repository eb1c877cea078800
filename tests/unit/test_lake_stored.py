"""What the lake holds, per hour: a line's key read back equals the key it was written
with, the keys of an hour are read from its files, a key is taken once, and the writer
stores nothing twice (against a fake consumer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listeners.lake import LakeWriter, read_lake
from listeners.lake import writer as writer_module
from listeners.lake.durable import write_file
from listeners.lake.layout import UNKNOWN
from listeners.lake.lines import encode_line, key_of
from listeners.lake.stored import StoredKeys, read_keys
from tests.unit.test_lake_writer import TP, FakeConsumer, _run_until

STAMP = 1749920531000  # 2025-06-14 17:02:11 UTC
HOUR = ("2025-06-14", "17")


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (b'{"id":"e1","type":"t","timestamp":%d}' % STAMP, "e1"),
        (b'{"id":"e1","timestamp":%d,"_offset":"mine"}' % STAMP, "e1"),
        (b'{"id":5,"timestamp":%d}' % STAMP, "@3:41"),
        (b'{"timestamp":%d}' % STAMP, "@3:41"),
        (b'{"id":"e1","timestamp":"late"}', "@3:41"),
        (b"\x00not json", "@3:41"),
        (b"[1, 2]", "@3:41"),
        (None, "@3:41"),
    ],
)
def test_a_lines_key_is_its_id_or_where_it_was_on_the_hub(value: bytes | None, key: str) -> None:
    line = encode_line(value, 3, 41)
    assert line.key == key
    assert key_of(json.loads(line.data)) == key  # read back from the file: the same key


def test_an_hours_keys_are_read_from_its_files(tmp_path: Path) -> None:
    lines = [encode_line(b'{"id":"e%d","timestamp":%d}' % (n, STAMP), 0, n) for n in range(3)]
    write_file(tmp_path, HOUR, [line.data for line in lines[:2]])
    write_file(tmp_path, HOUR, [lines[2].data])
    poison = encode_line(b"junk", 1, 7)
    write_file(tmp_path, UNKNOWN, [poison.data])
    other = ("2025-06-14", "18")
    found = read_keys(tmp_path, [HOUR, UNKNOWN, other])
    assert found == {HOUR: {"e0", "e1", "e2"}, UNKNOWN: {"@1:7"}, other: set()}


def test_a_key_is_taken_once_and_old_hours_are_forgotten_after_a_flush(tmp_path: Path) -> None:
    stored = StoredKeys(tmp_path, max_hours=2)
    hours = [("2025-06-14", f"{h:02d}") for h in range(3)]
    assert stored.unknown(hours) == set(hours)
    stored.adopt(read_keys(tmp_path, hours))
    assert stored.unknown(hours) == set()
    assert stored.add(hours[0], "a") and not stored.add(hours[0], "a")
    assert stored.add(hours[1], "a")  # another hour: another folder
    stored.add(hours[2], "b")
    stored.add(hours[0], "c")  # met again: now the most recent
    stored.forget()
    assert stored.hours == [hours[2], hours[0]]
    assert stored.unknown(hours) == {hours[1]}
    stored.adopt({hours[0]: set()})  # an hour in memory is kept as it is
    assert not stored.add(hours[0], "a")


async def test_the_writer_stores_each_key_once_and_commits_what_it_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = [b'{"id":"e%d","timestamp":%d}' % (n % 3, STAMP) for n in range(6)]  # 3 twice
    first = FakeConsumer(tmp_path, [*values, b"junk"])
    monkeypatch.setattr(writer_module, "event_consumer", lambda *a, **k: first)
    await _run_until(LakeWriter("unused", "t", tmp_path, max_seconds=0.05), lambda: first.commits)
    assert [e["id"] for e in read_lake(tmp_path)] == ["e0", "e1", "e2"]

    # the same records again (a writer started after a crash before its commit): nothing
    # new is written, and their offsets are committed all the same
    again = FakeConsumer(tmp_path, [*values, b"junk"])
    monkeypatch.setattr(writer_module, "event_consumer", lambda *a, **k: again)
    files = _files(tmp_path)
    await _run_until(LakeWriter("unused", "t", tmp_path, max_seconds=0.05), lambda: again.commits)
    assert _files(tmp_path) == files
    assert again.commits[0][0] == {TP: 7}


def _files(lake: Path) -> list[Path]:
    return sorted(lake.rglob("*.jsonl.gz"))
