"""What the lake already holds, per hour folder: the keys of its lines (``lines.Line.key``,
the event id), so that the writer stores every event once.

Two things bring an event to the writer again: its records were written but the offsets
not committed (the writer was killed in between, or the commit failed after a
rebalance), or the event was published again (a relay republishes after a crash, a
slice of the lake is replayed into the hub). Either way the copy has the same id and
the same timestamp, so it belongs in the same hour folder: the writer looks its key up
there and drops it.

An hour's keys are read from its files the first time the writer meets the hour (in a
thread: ``read_keys``), then kept in memory, with every key the writer buffers since.
After a flush (every key on disk) the hours met least recently are forgotten beyond
``max_hours``; one that comes back is read again. Memory: about 100 bytes per event of
the hours held.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path

from listeners.lake.layout import SUFFIX, Hour, folder
from listeners.lake.lines import key_of

log = logging.getLogger(__name__)

#: hours whose keys stay in memory after a flush (the current hour and a few before)
MAX_HOURS = 4


class StoredKeys:
    """The keys of the lake's lines, per hour, for the hours the writer met lately."""

    def __init__(self, lake_dir: Path, max_hours: int = MAX_HOURS) -> None:
        if max_hours < 1:
            raise ValueError("max_hours must be at least 1")
        self.lake_dir = lake_dir
        self.max_hours = max_hours
        self._hours: OrderedDict[Hour, set[str]] = OrderedDict()

    def unknown(self, hours: Iterable[Hour]) -> set[Hour]:
        """Those of ``hours`` whose keys are not in memory (``read_keys`` them)."""
        return {hour for hour in hours if hour not in self._hours}

    def adopt(self, keys: Mapping[Hour, set[str]]) -> None:
        """Take the keys ``read_keys`` found (an hour already in memory is kept as it is)."""
        for hour, found in keys.items():
            self._hours.setdefault(hour, found)

    def add(self, hour: Hour, key: str) -> bool:
        """Remember that ``key`` is (about to be) stored in ``hour``; False when the hour
        holds it already. The hour's keys must be in memory."""
        keys = self._hours[hour]
        self._hours.move_to_end(hour)
        if key in keys:
            return False
        keys.add(key)
        return True

    def forget(self) -> None:
        """Forget the hours met least recently beyond ``max_hours``. Only when every key
        added is on disk (after a flush): a forgotten hour is read from its files again."""
        while len(self._hours) > self.max_hours:
            self._hours.popitem(last=False)

    @property
    def hours(self) -> list[Hour]:
        """The hours in memory, least recently met first."""
        return list(self._hours)


def read_keys(lake_dir: Path, hours: Iterable[Hour]) -> dict[Hour, set[str]]:
    """The keys of every line in each hour's files (blocking: run it in a thread)."""
    found: dict[Hour, set[str]] = {}
    for hour in hours:
        keys: set[str] = set()
        place = folder(lake_dir, hour)
        for path in sorted(place.glob(f"*{SUFFIX}")) if place.is_dir() else ():
            with gzip.open(path, "rb") as lines:
                for number, line in enumerate(lines, 1):
                    try:
                        keys.add(key_of(json.loads(line)))
                    except (ValueError, KeyError, TypeError):
                        log.warning("lake: %s line %d is not a lake line; ignored", path, number)
        found[hour] = keys
    return found
