"""The DuckDB view ``events`` over a hand-written lake: one row per id, counts per hour."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from listeners.lake import connect, counts_by_type_per_hour

T10, T11 = 1749895200000, 1749898800000  # 2025-06-14 10:00 and 11:00 UTC


def _write(lake: Path, where: str, lines: list[dict[str, Any]]) -> None:
    (lake / where).parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(line) + "\n" for line in lines)
    (lake / where).write_bytes(gzip.compress(text.encode()))


def _event(event_id: str, kind: str, stamp: int, offset: int) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": kind,
        "timestamp": stamp,
        "partitionKey": "o-1",
        "tags": {"source": "bff-customer"},
        "order": {"id": "o-1", "status": kind},
        "reason": "not a column",
        "_partition": 2,
        "_offset": offset,
    }


def _lake(tmp_path: Path) -> Path:
    _write(tmp_path, "date=2025-06-14/hour=10/01A.jsonl.gz", [
        _event("a", "order-placed", T10 + 1, 0),
        _event("b", "order-placed", T10 + 2, 1),
        _event("a", "order-placed", T10 + 1, 2),  # a duplicate: the first one counts
    ])  # fmt: skip
    _write(tmp_path, "date=2025-06-14/hour=11/01B.jsonl.gz", [
        _event("c", "order-accepted", T11 + 5, 3),
        _event("b", "order-placed", T10 + 2, 4),
    ])  # fmt: skip
    raw = {"_raw": "poison", "_partition": 2, "_offset": 5}
    _write(tmp_path, "date=unknown/hour=unknown/01C.jsonl.gz", [raw])
    return tmp_path


def test_the_view_has_each_event_once_with_its_envelope_and_snapshot(tmp_path: Path) -> None:
    con = connect(_lake(tmp_path))
    rows = con.execute(
        "SELECT id, type, _offset, ts, hour, partitionKey, tags->>'source', \"order\"->>'status',"
        " event->>'reason', file FROM events ORDER BY id"
    ).fetchall()
    assert rows == [
        ("a", "order-placed", 0, datetime(2025, 6, 14, 10, 0, 0, 1000), datetime(2025, 6, 14, 10),
         "o-1", "bff-customer", "order-placed", "not a column", "01A.jsonl.gz"),
        ("b", "order-placed", 1, datetime(2025, 6, 14, 10, 0, 0, 2000), datetime(2025, 6, 14, 10),
         "o-1", "bff-customer", "order-placed", "not a column", "01A.jsonl.gz"),
        ("c", "order-accepted", 3, datetime(2025, 6, 14, 11, 0, 0, 5000), datetime(2025, 6, 14, 11),
         "o-1", "bff-customer", "order-accepted", "not a column", "01B.jsonl.gz"),
    ]  # fmt: skip


def test_counts_by_type_per_hour(tmp_path: Path) -> None:
    assert counts_by_type_per_hour(connect(_lake(tmp_path))) == [
        (datetime(2025, 6, 14, 10), "order-placed", 2),
        (datetime(2025, 6, 14, 11), "order-accepted", 1),
    ]


def test_files_written_after_connecting_are_seen(tmp_path: Path) -> None:
    con = connect(_lake(tmp_path))
    _write(tmp_path, "date=2025-06-14/hour=11/01D.jsonl.gz", [_event("d", "order-ready", T11, 6)])
    assert con.execute("SELECT count(*) FROM events").fetchall() == [(4,)]


def test_an_empty_lake_gives_an_empty_view(tmp_path: Path) -> None:
    con = connect(tmp_path / "missing")
    assert counts_by_type_per_hour(con) == []
    assert con.execute('SELECT id, type, ts, hour, "order" FROM events').fetchall() == []
