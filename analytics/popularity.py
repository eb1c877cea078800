"""Menu popularity from the lake: how often customers opened a restaurant's menu
(``menu-viewed``), how many different customers did, and how many orders they placed
(``order-placed``), per restaurant and per day.

``menu-viewed`` carries the restaurant and the customer, not menu items: popularity is
per restaurant (and per day), the most ordered items come from the orders. Days are
local days at a fixed offset from UTC (``utc_offset_minutes``, 0 = UTC days). Every count
is one SQL query over the lake's view ``events``, which holds each event once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from analytics.times import local_day, to_ms
from listeners.lake.query import connect

TYPES = ("menu-viewed", "order-placed")
#: per (restaurant, day) and per restaurant over the whole range (day NULL)
POPULARITY_SQL = """
WITH facts AS (
    SELECT CASE type WHEN 'menu-viewed' THEN "view"->>'restaurantId'
                     ELSE "order"->>'restaurantId' END AS restaurant,
           type,
           CASE type WHEN 'menu-viewed' THEN "view"->>'customerId' END AS viewer,
           CAST(epoch_ms(timestamp + CAST($offset_ms AS BIGINT)) AS DATE) AS day
    FROM events
    WHERE type IN ('menu-viewed', 'order-placed')
      AND (CAST($since AS BIGINT) IS NULL OR timestamp >= CAST($since AS BIGINT))
      AND (CAST($until AS BIGINT) IS NULL OR timestamp < CAST($until AS BIGINT))
)
SELECT restaurant, day,
       count(*) FILTER (WHERE type = 'menu-viewed') AS views,
       count(DISTINCT viewer) AS viewers,
       count(*) FILTER (WHERE type = 'order-placed') AS orders
FROM facts
WHERE restaurant IS NOT NULL
  AND (CAST($restaurant AS VARCHAR) IS NULL OR restaurant = CAST($restaurant AS VARCHAR))
GROUP BY GROUPING SETS ((restaurant, day), (restaurant))
ORDER BY restaurant, day NULLS FIRST
"""


@dataclass(frozen=True, slots=True)
class DayPopularity:
    day: date
    #: menu-viewed events, the different customers among them, order-placed events
    views: int
    viewers: int
    orders: int


@dataclass(frozen=True, slots=True)
class Popularity:
    """One restaurant's figures over a time range."""

    restaurant_id: str
    views: int
    #: different customers over the whole range (not the sum of the days' viewers)
    viewers: int
    #: orders placed (whatever the kitchen decided later)
    orders: int
    #: every day of the range, oldest first, days without events as zeros
    days: tuple[DayPopularity, ...]


def popularity(
    lake_dir: Path,
    restaurant_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    utc_offset_minutes: int = 0,
) -> Popularity:
    """One restaurant's menu views, viewers and orders placed in ``[since, until)``."""
    found = _query(lake_dir, _ms(since), _ms(until), utc_offset_minutes, restaurant_id)
    return found.get(restaurant_id) or no_popularity(
        restaurant_id, since, until, utc_offset_minutes=utc_offset_minutes
    )


def popularity_by_restaurant(
    lake_dir: Path,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    utc_offset_minutes: int = 0,
) -> dict[str, Popularity]:
    """Every restaurant with a menu view or an order in ``[since, until)``, in one scan
    of the lake (what a cache shared by all restaurants needs)."""
    return _query(lake_dir, _ms(since), _ms(until), utc_offset_minutes, None)


def no_popularity(
    restaurant_id: str,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    utc_offset_minutes: int = 0,
) -> Popularity:
    """A restaurant without events in the range: zeros, for every day of it."""
    days = _range_of(_ms(since), _ms(until), utc_offset_minutes, {})
    return Popularity(restaurant_id, 0, 0, 0, tuple(DayPopularity(d, 0, 0, 0) for d in days))


def _query(
    lake_dir: Path,
    since_ms: int | None,
    until_ms: int | None,
    utc_offset_minutes: int,
    restaurant_id: str | None,
) -> dict[str, Popularity]:
    if since_ms is not None and until_ms is not None and until_ms < since_ms:
        raise ValueError("until is before since")
    con = connect(lake_dir, since_ms=since_ms, until_ms=until_ms, types=TYPES)
    try:
        rows = con.execute(
            POPULARITY_SQL,
            {
                "since": since_ms,
                "until": until_ms,
                "offset_ms": utc_offset_minutes * 60_000,
                "restaurant": restaurant_id,
            },
        ).fetchall()
    finally:
        con.close()
    totals: dict[str, tuple[int, int, int]] = {}
    per_day: dict[str, dict[date, DayPopularity]] = defaultdict(dict)
    for restaurant, day, views, viewers, orders in rows:
        if day is None:
            totals[restaurant] = (int(views), int(viewers), int(orders))
        else:
            per_day[restaurant][day] = DayPopularity(day, int(views), int(viewers), int(orders))
    days = _range_of(since_ms, until_ms, utc_offset_minutes, per_day)
    return {
        restaurant: Popularity(
            restaurant,
            *total,
            tuple(per_day[restaurant].get(day) or DayPopularity(day, 0, 0, 0) for day in days),
        )
        for restaurant, total in totals.items()
    }


def _range_of(
    since_ms: int | None,
    until_ms: int | None,
    utc_offset_minutes: int,
    per_day: dict[str, dict[date, DayPopularity]],
) -> list[date]:
    """The days from since's (or the first with events) to until's (or the last with events)."""
    seen = [day for days in per_day.values() for day in days]
    first = min(seen, default=None) if since_ms is None else local_day(since_ms, utc_offset_minutes)
    last = (
        max(seen, default=None) if until_ms is None else local_day(until_ms - 1, utc_offset_minutes)
    )
    if first is None or last is None or last < first:
        return []
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else to_ms(moment)
