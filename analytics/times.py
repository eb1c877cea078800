"""Moments for the analytics: epoch milliseconds (the events' ``timestamp``), whole UTC
minutes, and local days given as a fixed offset from UTC in minutes."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

MINUTE_MS = 60_000
DAY_MS = 86_400_000
_EPOCH_DAY = date(1970, 1, 1)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of ``moment`` (a naive datetime is taken as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return int(aware.timestamp() * 1000)


def from_ms(stamp_ms: int) -> datetime:
    """The UTC datetime of epoch milliseconds."""
    return datetime.fromtimestamp(stamp_ms / 1000, UTC)


def local_day(stamp_ms: int, utc_offset_minutes: int = 0) -> date:
    """The day that ``stamp_ms`` falls on at ``utc_offset_minutes`` from UTC."""
    return _EPOCH_DAY + timedelta(days=(stamp_ms + utc_offset_minutes * MINUTE_MS) // DAY_MS)


def day_start_ms(day: date, utc_offset_minutes: int = 0) -> int:
    """Epoch milliseconds of that local day's midnight."""
    return (day - _EPOCH_DAY).days * DAY_MS - utc_offset_minutes * MINUTE_MS


def last_days_since(days: int, utc_offset_minutes: int = 0, at_ms: int | None = None) -> int:
    """The start (epoch ms) of the last ``days`` local days, today included."""
    if days < 1:
        raise ValueError("days must be at least 1")
    today = local_day(now_ms() if at_ms is None else at_ms, utc_offset_minutes)
    return day_start_ms(today - timedelta(days=days - 1), utc_offset_minutes)
