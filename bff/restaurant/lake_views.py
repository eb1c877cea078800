"""Menu views per day from the event lake, for the kitchen console, cached for a few
seconds in the API process.

The lake (``FD_LAKE_DIR``) is the source of truth for analytics: it holds every
``menu-viewed`` and ``order-placed`` ever published, once per id, where the ``menu_views``
view only keeps one counter per customer. The API process reads its files with DuckDB
(``analytics.popularity``); in a distributed deployment every restaurant API replica
mounts the lake's shared storage (read only is enough).

One scan serves every restaurant: ``popularity_by_restaurant`` counts all restaurants for
the window in one pass over the window's hour folders, and the result is kept for
``ttl`` seconds (default 10) per window (days, UTC offset). Refreshing a console, or
many consoles at once, reads the lake at most once per window in that time; one scan
runs at a time (in a worker thread, so the event loop keeps serving), and a request that
arrives during a scan waits for its result. The price: figures up to ``ttl`` seconds
older than the lake, which itself trails the hub by the writer's flush (about 2 s).
At most ``MAX_WINDOWS`` windows are kept (least recently used dropped).

A scan reads every menu-viewed and order-placed line of the window's hour folders, so it
takes longer as the lake grows (docs/analytics.md has measurements). A reading is
therefore kept for at least ``SCAN_SHARE`` times as long as it took to make: however big
the lake, the process spends at most a sixth of its time scanning it (per window asked
for), and a slow scan shows older figures for longer rather than keeping the API busy.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.times import from_ms, last_days_since, now_ms

if TYPE_CHECKING:  # analytics.popularity loads DuckDB: only when the lake is first read
    from analytics.popularity import Popularity

log = logging.getLogger(__name__)

TTL_SECONDS = 10.0
#: a reading is kept at least this many times as long as its scan took
SCAN_SHARE = 5.0
MAX_WINDOWS = 16
#: (days, UTC offset in minutes)
Window = tuple[int, int]


class LakeUnreadable(Exception):
    """The lake's files could not be read (logged with the cause)."""


@dataclass(frozen=True, slots=True)
class LakeReading:
    """Every restaurant's figures for one window, as one scan found them."""

    since_ms: int
    read_at_ms: int
    restaurants: dict[str, Popularity]
    utc_offset_minutes: int

    def of(self, restaurant_id: str) -> Popularity:
        """One restaurant's figures (zeros for each day when it had none)."""
        found = self.restaurants.get(restaurant_id)
        if found is not None:
            return found
        from analytics.popularity import no_popularity

        return no_popularity(
            restaurant_id,
            from_ms(self.since_ms),
            from_ms(self.read_at_ms),
            utc_offset_minutes=self.utc_offset_minutes,
        )


class LakeViews:
    """Cached scans of one lake folder; ``for_lake(lake_dir)`` gives the process's one."""

    def __init__(
        self,
        lake_dir: Path,
        *,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        wall_ms: Callable[[], int] = now_ms,
    ) -> None:
        self.lake_dir, self.ttl, self._clock, self._wall_ms = lake_dir, ttl, clock, wall_ms
        #: window -> (until when it is fresh, on ``clock``; the reading)
        self._readings: OrderedDict[Window, tuple[float, LakeReading]] = OrderedDict()
        self._lock: asyncio.Lock | None = None
        #: how many times the lake was scanned (for tests and logs)
        self.scans = 0

    async def reading(self, days: int, utc_offset_minutes: int = 0) -> LakeReading:
        """The window's figures: the kept reading while it is fresh, else a new scan."""
        window = (days, utc_offset_minutes)
        fresh = self._fresh(window)
        if fresh is not None:
            return fresh
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            fresh = self._fresh(window)  # scanned while this request waited
            if fresh is not None:
                return fresh
            started = self._clock()
            try:
                found = await asyncio.to_thread(self._scan, days, utc_offset_minutes)
            except Exception as exc:
                log.exception("lake: reading menu views from %s failed", self.lake_dir)
                raise LakeUnreadable(str(exc)) from exc
            took = self._clock() - started
            self._readings[window] = (self._clock() + max(self.ttl, SCAN_SHARE * took), found)
            self._readings.move_to_end(window)
            while len(self._readings) > MAX_WINDOWS:
                self._readings.popitem(last=False)
            return found

    def _fresh(self, window: Window) -> LakeReading | None:
        kept = self._readings.get(window)
        if kept is None or self._clock() >= kept[0]:
            return None
        self._readings.move_to_end(window)
        return kept[1]

    def _scan(self, days: int, utc_offset_minutes: int) -> LakeReading:
        from analytics.popularity import popularity_by_restaurant

        read_at = self._wall_ms()
        since = last_days_since(days, utc_offset_minutes, read_at)
        if not self.lake_dir.is_dir():
            log.warning("no event lake at %s: menu views from the lake are zero", self.lake_dir)
        started = time.monotonic()
        restaurants = popularity_by_restaurant(
            self.lake_dir, from_ms(since), from_ms(read_at), utc_offset_minutes=utc_offset_minutes
        )
        self.scans += 1
        log.info(
            "lake: menu views of %d days scanned in %.0f ms (%d restaurants)",
            days,
            (time.monotonic() - started) * 1000,
            len(restaurants),
        )
        return LakeReading(since, read_at, restaurants, utc_offset_minutes)


_BY_LAKE: dict[Path, LakeViews] = {}


def for_lake(lake_dir: Path) -> LakeViews:
    """The process's cache for ``lake_dir`` (one per folder, made on first use)."""
    key = lake_dir.resolve()
    views = _BY_LAKE.get(key)
    if views is None:
        views = _BY_LAKE[key] = LakeViews(key)
    return views
