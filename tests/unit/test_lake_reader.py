"""Replaying a hand-written lake: files in name (creation) order, first id wins, malformed
records left out."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from listeners.lake import count_lines, read_lake

H10, H11 = "date=2025-06-14/hour=10", "date=2025-06-14/hour=11"


def _write(lake: Path, where: str, lines: list[dict[str, Any]]) -> None:
    (lake / where).parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(line) + "\n" for line in lines)
    (lake / where).write_bytes(gzip.compress(text.encode()))


def _event(event_id: str | None, offset: int) -> dict[str, Any]:
    return {"id": event_id, "type": "t", "_partition": 0, "_offset": offset}


def test_files_are_read_in_name_order_across_folders_and_ids_deduped(tmp_path: Path) -> None:
    # the later hour's file was created first: its events come first
    _write(tmp_path, f"{H11}/01A.jsonl.gz", [_event("a", 0), _event("b", 1)])
    _write(tmp_path, f"{H10}/01B.jsonl.gz", [_event("c", 2), _event("a", 3), _event("d", 4)])
    _write(tmp_path, "date=2025-06-13/hour=23/01C.jsonl.gz", [_event("b", 5), _event("e", 6)])
    events = list(read_lake(tmp_path))
    offsets = [(e["id"], e["_offset"]) for e in events]
    assert offsets == [("a", 0), ("b", 1), ("c", 2), ("d", 4), ("e", 6)]
    assert events[0] == _event("a", 0)
    assert count_lines(tmp_path) == 7


def test_malformed_records_and_temp_files_are_left_out(tmp_path: Path) -> None:
    _write(tmp_path, f"{H10}/01B.jsonl.gz", [_event("a", 1)])
    raw = {"_raw": "not json", "_partition": 0, "_offset": 0}
    _write(tmp_path, "date=unknown/hour=unknown/01A.jsonl.gz", [raw])
    _write(tmp_path, f"{H10}/.01C.jsonl.gz.tmp", [_event("z", 2)])
    assert [e["id"] for e in read_lake(tmp_path)] == ["a"]
    assert count_lines(tmp_path) == 1


def test_events_without_an_id_are_all_kept(tmp_path: Path) -> None:
    _write(tmp_path, f"{H10}/01A.jsonl.gz", [_event(None, 0), _event(None, 1)])
    assert [e["_offset"] for e in read_lake(tmp_path)] == [0, 1]


def test_an_empty_or_missing_lake_has_no_events(tmp_path: Path) -> None:
    assert list(read_lake(tmp_path)) == []
    assert list(read_lake(tmp_path / "missing")) == []
    assert count_lines(tmp_path / "missing") == 0
