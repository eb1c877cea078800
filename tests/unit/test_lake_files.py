"""Lake files are written whole (temp name, then rename) with names in creation order."""

from __future__ import annotations

import gzip
from pathlib import Path

from listeners.lake.durable import write_file
from listeners.lake.layout import event_files


def test_a_file_is_written_under_its_hour_with_nothing_left_behind(tmp_path: Path) -> None:
    path = write_file(tmp_path, ("2025-06-14", "09"), [b'{"a":1}\n', b'{"a":2}\n'])
    assert path.parent == tmp_path / "date=2025-06-14" / "hour=09"
    assert path.name.endswith(".jsonl.gz") and len(path.name) == 26 + len(".jsonl.gz")
    assert gzip.decompress(path.read_bytes()) == b'{"a":1}\n{"a":2}\n'
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_file_names_sort_in_creation_order_across_folders(tmp_path: Path) -> None:
    hours = [("2025-06-14", f"{h:02d}") for h in (5, 3, 9, 1)] * 50
    written = [write_file(tmp_path, hour, [b"{}\n"]) for hour in hours]
    assert event_files(tmp_path) == written
    assert len({p.name for p in written}) == len(written)


def test_unknown_records_are_not_event_files(tmp_path: Path) -> None:
    write_file(tmp_path, ("unknown", "unknown"), [b"{}\n"])
    assert event_files(tmp_path) == []
