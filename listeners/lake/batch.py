"""Records buffered between two flushes: the files the flush will write, and the offsets
it will commit (of every record read, also those dropped as already stored).

Lines go to one file per (date, hour) in the order the hours first appear. If a
partition's next line belongs to an hour whose file comes before a file that partition
already wrote to, a further file for that hour is started, so reading the files in
creation order gives every partition's records in offset order.
"""

from __future__ import annotations

import time
from typing import Any

from listeners.lake.layout import Hour
from listeners.lake.lines import encode


class Batch:
    def __init__(self) -> None:
        #: (hour, lines) per file, in the order the files are to be created
        self.files: list[tuple[Hour, list[bytes]]] = []
        #: how many of ``files`` are already on disk (a failed flush resumes after them)
        self.written = 0
        #: the next offset to commit, per TopicPartition
        self.offsets: dict[Any, int] = {}
        #: lines to write
        self.events = 0
        #: records read: the lines and the ones dropped (``skip``)
        self.records = 0
        self.skipped = 0
        self.bytes = 0
        self.started: float | None = None
        self._open: dict[Hour, int] = {}
        self._last: dict[Any, int] = {}

    def add(self, tp: Any, offset: int, value: bytes | None) -> None:
        """Buffer one record of TopicPartition ``tp``."""
        self.put(tp, offset, *encode(value, tp.partition, offset))

    def put(self, tp: Any, offset: int, hour: Hour, line: bytes) -> None:
        """Buffer one record of ``tp`` already encoded: ``line`` in ``hour``'s file."""
        index = self._open.get(hour)
        if index is None or index < self._last.get(tp, -1):
            index = len(self.files)
            self.files.append((hour, []))
            self._open[hour] = index
        self.files[index][1].append(line)
        self._last[tp] = index
        self.events += 1
        self.bytes += len(line)
        self._read(tp, offset)

    def skip(self, tp: Any, offset: int) -> None:
        """Pass over one record of ``tp`` (the lake holds it): only its offset counts."""
        self.skipped += 1
        self._read(tp, offset)

    def _read(self, tp: Any, offset: int) -> None:
        self.offsets[tp] = offset + 1
        self.records += 1
        if self.started is None:
            self.started = time.monotonic()

    def due(self, max_events: int, max_bytes: int, max_seconds: float) -> bool:
        """Whether the batch is full, or its first record is max_seconds old."""
        if self.records >= max_events or self.bytes >= max_bytes:
            return True
        return self.started is not None and time.monotonic() - self.started >= max_seconds

    def seconds_left(self, max_seconds: float) -> float | None:
        """Seconds until the batch is due by age; None while it is empty."""
        if self.started is None:
            return None
        return max(0.0, self.started + max_seconds - time.monotonic())
