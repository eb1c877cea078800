"""The order rate from the lake (``order-placed`` per minute) and a health signal on it.

Minutes are whole UTC minutes; a window ends at the start of the current minute, so the
minute still running (its count still growing) is never compared.

**Health.** At a moment ``now``, let ``end`` be the start of now's minute, the *recent*
window the ``recent_minutes`` (5) minutes before ``end`` and the *baseline* the
``baseline_minutes`` (60) minutes before those (the previous hour). With ``r`` orders
placed in the recent window and ``b`` in the baseline:

- ``UNKNOWN`` if ``b < min_baseline_orders`` (30, an average of 0.5 a minute): at the
  baseline's pace the recent window would expect fewer than ``30 / 60 * 5 = 2.5`` orders,
  too few to tell a drop from chance;
- ``DROPPED`` if ``r / recent_minutes < threshold * b / baseline_minutes`` (threshold 0.5:
  the recent per-minute rate is below half the previous hour's per-minute average);
- ``OK`` otherwise (a rise is OK).

The signal reads the lake, so it also drops when the lake writer stops: no new files.
The writer flushes every 2 s, so the last minute may miss its last seconds' orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from analytics.times import MINUTE_MS, from_ms, now_ms, to_ms
from listeners.lake.query import connect

#: order-placed per whole minute in [first, stop) (minutes since the epoch), zeros included
ORDER_RATE_SQL = """
WITH placed AS (
    SELECT timestamp // 60000 AS minute, count(*) AS orders
    FROM events
    WHERE type = 'order-placed'
      AND timestamp >= CAST($first AS BIGINT) * 60000
      AND timestamp < CAST($stop AS BIGINT) * 60000
    GROUP BY 1
)
SELECT m.minute, coalesce(placed.orders, 0) AS orders
FROM range(CAST($first AS BIGINT), CAST($stop AS BIGINT)) AS m(minute)
LEFT JOIN placed ON placed.minute = m.minute
ORDER BY m.minute
"""

RECENT_MINUTES = 5
BASELINE_MINUTES = 60
THRESHOLD = 0.5
MIN_BASELINE_ORDERS = 30


class Status(StrEnum):
    OK = "OK"
    DROPPED = "DROPPED"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class MinuteCount:
    #: the minute's start (UTC)
    minute: datetime
    orders: int


@dataclass(frozen=True, slots=True)
class Health:
    status: Status
    #: the end of the recent window (the start of the minute ``now`` was in), UTC
    end: datetime
    recent_orders: int
    recent_minutes: int
    baseline_orders: int
    baseline_minutes: int
    threshold: float
    min_baseline_orders: int

    @property
    def recent_rate(self) -> float:
        """Orders a minute in the recent window."""
        return self.recent_orders / self.recent_minutes

    @property
    def baseline_rate(self) -> float:
        """Orders a minute in the baseline (the previous hour)."""
        return self.baseline_orders / self.baseline_minutes

    def describe(self) -> str:
        """One line: the status and what it compared."""
        if self.status is Status.UNKNOWN:
            return (
                f"UNKNOWN: {self.baseline_orders} orders in the {self.baseline_minutes} min "
                f"before the last {self.recent_minutes}, fewer than the "
                f"{self.min_baseline_orders} needed to judge"
            )
        return (
            f"{self.status}: {self.recent_rate:.2f} orders/min in the last "
            f"{self.recent_minutes} min vs {self.baseline_rate:.2f} in the "
            f"{self.baseline_minutes} min before (DROPPED below {self.threshold:.0%} of it)"
        )


def order_rate(
    lake_dir: Path, minutes: int = 60, *, now: datetime | None = None
) -> list[MinuteCount]:
    """Orders placed in each of the last ``minutes`` whole minutes before ``now``'s minute,
    oldest first, minutes without orders as zeros."""
    if minutes < 1:
        raise ValueError("minutes must be at least 1")
    stop = (now_ms() if now is None else to_ms(now)) // MINUTE_MS
    first = stop - minutes
    con = connect(
        lake_dir, since_ms=first * MINUTE_MS, until_ms=stop * MINUTE_MS, types=("order-placed",)
    )
    try:
        rows = con.execute(ORDER_RATE_SQL, {"first": first, "stop": stop}).fetchall()
    finally:
        con.close()
    return [MinuteCount(from_ms(int(minute) * MINUTE_MS), int(orders)) for minute, orders in rows]


def health(
    lake_dir: Path,
    *,
    now: datetime | None = None,
    recent_minutes: int = RECENT_MINUTES,
    baseline_minutes: int = BASELINE_MINUTES,
    threshold: float = THRESHOLD,
    min_baseline_orders: int = MIN_BASELINE_ORDERS,
) -> Health:
    """The signal at ``now`` (default: the current time), from the lake's order rate."""
    series = order_rate(lake_dir, recent_minutes + baseline_minutes, now=now)
    return assess(
        series,
        recent_minutes=recent_minutes,
        threshold=threshold,
        min_baseline_orders=min_baseline_orders,
    )


def assess(
    series: Sequence[MinuteCount],
    *,
    recent_minutes: int = RECENT_MINUTES,
    threshold: float = THRESHOLD,
    min_baseline_orders: int = MIN_BASELINE_ORDERS,
) -> Health:
    """The signal for a per-minute series: its last ``recent_minutes`` against the rest."""
    baseline_minutes = len(series) - recent_minutes
    if recent_minutes < 1 or baseline_minutes < 1:
        raise ValueError("the series needs recent_minutes and at least one minute before them")
    recent = sum(m.orders for m in series[baseline_minutes:])
    baseline = sum(m.orders for m in series[:baseline_minutes])
    if baseline < min_baseline_orders:
        status = Status.UNKNOWN
    elif recent * baseline_minutes < threshold * baseline * recent_minutes:  # rates, no division
        status = Status.DROPPED
    else:
        status = Status.OK
    end = from_ms(to_ms(series[-1].minute) + MINUTE_MS)
    return Health(
        status,
        end,
        recent,
        recent_minutes,
        baseline,
        baseline_minutes,
        threshold,
        min_baseline_orders,
    )
