"""Where lake files live: ``date=YYYY-MM-DD/hour=HH/<ULID>.jsonl.gz`` under the lake folder.

File names are ULIDs from one monotonic clock, so sorting files by name gives the order
they were created in, across every folder of the lake.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from events.ids import UlidClock

#: (date, hour) folder values, e.g. ("2025-06-14", "17")
Hour = tuple[str, str]

#: where records that are not JSON objects with an integer timestamp are kept
UNKNOWN: Hour = ("unknown", "unknown")
SUFFIX = ".jsonl.gz"
#: the files of events (not of malformed records), relative to the lake folder
EVENT_FILES = f"date=[0-9]*/hour=[0-9]*/*{SUFFIX}"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HOUR_MS = 3_600_000
_clock = UlidClock()


def hour_of(timestamp_ms: int) -> Hour:
    """The UTC (date, hour) of epoch milliseconds; OverflowError outside years 1-9999."""
    return _hour(timestamp_ms // _HOUR_MS)


@lru_cache(maxsize=4096)
def _hour(hours: int) -> Hour:
    moment = _EPOCH + timedelta(hours=hours)
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}", f"{moment.hour:02d}"


def folder(lake_dir: Path, hour: Hour) -> Path:
    return lake_dir / f"date={hour[0]}" / f"hour={hour[1]}"


def new_file_name() -> str:
    """A fresh ``<ULID>.jsonl.gz`` that sorts after every name made before it here."""
    return _clock.new_id(time.time_ns() // 1_000_000) + SUFFIX


def event_files(lake_dir: Path) -> list[Path]:
    """The lake's event files (not ``date=unknown``), in creation order (by file name)."""
    return sorted(lake_dir.glob(EVENT_FILES), key=lambda path: path.name)
