"""Replaying the lake: every stored event once, each partition's events in offset order."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from listeners.lake.layout import event_files

_CHUNK = 1 << 20


def read_lake(lake_dir: Path) -> Iterator[dict[str, Any]]:
    """Every event dict in the lake (with ``_partition`` and ``_offset``), files in creation
    order, the first occurrence of each id only. Malformed records (``date=unknown``) are
    left out; events without a string id are never deduped."""
    seen: set[str] = set()
    remember = seen.add
    loads = json.loads
    for path in event_files(lake_dir):
        with gzip.open(path, "rb") as lines:
            for line in lines:
                event = loads(line)
                key = event.get("id")
                if key.__class__ is str:
                    if key in seen:
                        continue
                    remember(key)
                yield event


def count_lines(lake_dir: Path) -> int:
    """Lines in the lake's event files, duplicates included, without parsing (progress)."""
    total = 0
    for path in event_files(lake_dir):
        with gzip.open(path, "rb") as data:
            while chunk := data.read(_CHUNK):
                total += chunk.count(b"\n")
    return total
