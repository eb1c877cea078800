"""The lake's analytics over small lakes written with the lake writer's own code (its
buffer, ``Batch``, and ``write_file``): menu popularity per restaurant and day, the order
rate per minute, and the health signal in each of its states."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiokafka import TopicPartition

from analytics.__main__ import main
from analytics.popularity import DayPopularity, popularity, popularity_by_restaurant
from analytics.rate import MinuteCount, Status, assess, health, order_rate
from analytics.times import last_days_since, local_day, to_ms
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.lake_views import LakeUnreadable, LakeViews
from events import Event, to_wire
from listeners.lake.batch import Batch
from listeners.lake.durable import write_file
from listeners.lake.query import connect, hour_folders
from tests.support import upstream

A, B = "r-a", "r-b"
DAY = datetime(2025, 6, 14, tzinfo=UTC)  # a Saturday
NOW = datetime(2025, 6, 14, 18, 30, 20, tzinfo=UTC)


def _write(lake: Path, events: Sequence[Event], *, repeat: Sequence[Event] = ()) -> None:
    """The events (and copies of ``repeat``, as a republish would bring them) stored the
    way the lake writer stores a batch: one file per hour, partitions in offset order."""
    batch = Batch()
    for offset, event in enumerate([*events, *repeat]):
        batch.add(TopicPartition("events", offset % 3), offset, to_wire(event))
    for hour, lines in batch.files:
        write_file(lake, hour, lines)


def _viewed(restaurant: str, customer: str, at: datetime) -> Event:
    event = upstream.menu_viewed(restaurant, customer)
    return event.model_copy(update={"timestamp": to_ms(at)})


def _placed(restaurant: str, at: datetime) -> Event:
    order = upstream.order_from_menu(restaurant, "Test", RESTAURANTS[0].items)
    event = upstream.placed(order)
    return event.model_copy(update={"timestamp": to_ms(at)})


def _popular_lake(lake: Path) -> None:
    """A: 3 views by 2 customers on the 14th (one at 23:30 UTC), 1 view and 2 orders on
    the 12th; B: 2 views; one view republished (a duplicate) and one poison line."""
    a1 = _viewed(A, "c-1", DAY + timedelta(hours=9))
    events = [
        a1,
        _viewed(A, "c-1", DAY + timedelta(hours=12)),
        _viewed(A, "c-2", DAY + timedelta(hours=23, minutes=30)),
        _viewed(A, "c-3", DAY - timedelta(days=2) + timedelta(hours=8)),
        _placed(A, DAY - timedelta(days=2) + timedelta(hours=9)),
        _placed(A, DAY - timedelta(days=2) + timedelta(hours=10)),
        _viewed(B, "c-1", DAY + timedelta(hours=10)),
        _viewed(B, "c-9", DAY + timedelta(hours=11)),
    ]
    _write(lake, events, repeat=[a1])
    poison = b'{"id": "x", "type": "menu-viewed", "timestamp": %d}' % to_ms(DAY)
    batch = Batch()
    batch.add(TopicPartition("events", 0), 99, poison)
    for hour, lines in batch.files:
        write_file(lake, hour, lines)


# popularity


def test_popularity_counts_views_viewers_and_orders_per_day(tmp_path: Path) -> None:
    _popular_lake(tmp_path)
    since = DAY - timedelta(days=3)
    found = popularity(tmp_path, A, since, DAY + timedelta(days=1))
    assert (found.views, found.viewers, found.orders) == (4, 3, 2)
    assert found.days == (
        DayPopularity(date(2025, 6, 11), 0, 0, 0),
        DayPopularity(date(2025, 6, 12), 1, 1, 2),
        DayPopularity(date(2025, 6, 13), 0, 0, 0),
        DayPopularity(date(2025, 6, 14), 3, 2, 0),
    )


def test_a_window_and_a_utc_offset_move_events_between_days(tmp_path: Path) -> None:
    _popular_lake(tmp_path)
    # at UTC+2 the 23:30 UTC view is on the 15th; the window starts at the 14th's midnight
    since = datetime(2025, 6, 14, tzinfo=UTC) - timedelta(hours=2)
    found = popularity(tmp_path, A, since, NOW + timedelta(hours=6), utc_offset_minutes=120)
    assert [(d.day.day, d.views, d.viewers) for d in found.days] == [(14, 2, 1), (15, 1, 1)]
    assert (found.views, found.viewers, found.orders) == (3, 2, 0)


def test_every_restaurant_in_one_scan_and_one_restaurant_only_its_own(tmp_path: Path) -> None:
    _popular_lake(tmp_path)
    every = popularity_by_restaurant(tmp_path, DAY, DAY + timedelta(days=1))
    assert {r: (p.views, p.viewers, p.orders) for r, p in every.items()} == {
        A: (3, 2, 0),
        B: (2, 2, 0),
    }
    assert popularity(tmp_path, B).views == 2
    nobody = popularity(tmp_path, "r-nobody", DAY, DAY + timedelta(days=2))
    assert (nobody.views, [d.views for d in nobody.days]) == (0, [0, 0])


def test_an_empty_or_missing_lake_has_no_popularity(tmp_path: Path) -> None:
    assert popularity(tmp_path / "missing", A).days == ()
    assert popularity_by_restaurant(tmp_path) == {}


def test_the_last_days_start_at_local_midnight() -> None:
    at = to_ms(NOW)
    assert last_days_since(1, 0, at) == to_ms(DAY)
    assert last_days_since(7, 120, at) == to_ms(DAY - timedelta(days=6, hours=2))
    assert local_day(to_ms(DAY) - 1, 120) == date(2025, 6, 14)
    with pytest.raises(ValueError):
        last_days_since(0)


def test_bounds_read_only_the_hour_folders_they_overlap(tmp_path: Path) -> None:
    _popular_lake(tmp_path)
    start = to_ms(DAY + timedelta(hours=10, minutes=30))
    names = [f"{p.parent.name}/{p.name}" for p in hour_folders(tmp_path, start, None)]
    assert names == [  # 10:30 is in hour 10
        "date=2025-06-14/hour=10",
        "date=2025-06-14/hour=11",
        "date=2025-06-14/hour=12",
        "date=2025-06-14/hour=23",
    ]
    assert hour_folders(tmp_path, None, to_ms(DAY - timedelta(days=2, hours=-9))) == [
        tmp_path / "date=2025-06-12" / "hour=08"
    ]


# order rate and health


def _orders_per_minute(lake: Path, counts: dict[int, int], end: datetime = NOW) -> None:
    """``counts[k]`` orders placed in the k-th whole minute before ``end``'s minute."""
    stop = end.replace(second=0, microsecond=0)
    events = [
        _placed(A, stop - timedelta(minutes=k) + timedelta(seconds=1 + n))
        for k, count in counts.items()
        for n in range(count)
    ]
    _write(lake, events)


def test_the_order_rate_is_a_series_of_whole_minutes_with_zeros(tmp_path: Path) -> None:
    _orders_per_minute(tmp_path, {1: 2, 3: 1, 61: 5})
    _write(tmp_path, [_placed(A, NOW)])  # the running minute is not in the series
    series = order_rate(tmp_path, 5, now=NOW)
    assert series == [
        MinuteCount(datetime(2025, 6, 14, 18, 25, tzinfo=UTC), 0),
        MinuteCount(datetime(2025, 6, 14, 18, 26, tzinfo=UTC), 0),
        MinuteCount(datetime(2025, 6, 14, 18, 27, tzinfo=UTC), 1),
        MinuteCount(datetime(2025, 6, 14, 18, 28, tzinfo=UTC), 0),
        MinuteCount(datetime(2025, 6, 14, 18, 29, tzinfo=UTC), 2),
    ]
    assert sum(m.orders for m in order_rate(tmp_path, 61, now=NOW)) == 8


def _hour_then(recent_each: int, baseline_each: int) -> dict[int, int]:
    """Minutes 1-5 (recent) with ``recent_each`` orders, 6-65 (baseline) ``baseline_each``."""
    return {k: recent_each if k <= 5 else baseline_each for k in range(1, 66)}


def test_health_is_ok_at_the_usual_rate(tmp_path: Path) -> None:
    _orders_per_minute(tmp_path, _hour_then(recent_each=2, baseline_each=2))
    signal = health(tmp_path, now=NOW)
    assert signal.status is Status.OK
    assert (signal.recent_orders, signal.baseline_orders) == (10, 120)
    assert (signal.recent_rate, signal.baseline_rate) == (2.0, 2.0)
    assert signal.end == datetime(2025, 6, 14, 18, 30, tzinfo=UTC)


def test_health_is_dropped_below_half_the_previous_hours_rate(tmp_path: Path) -> None:
    _orders_per_minute(tmp_path, {**_hour_then(recent_each=0, baseline_each=2), 1: 4})
    signal = health(tmp_path, now=NOW)  # 4 in 5 min = 0.8/min, under half of 2/min
    assert signal.status is Status.DROPPED
    assert signal.describe().startswith("DROPPED: 0.80 orders/min in the last 5 min vs 2.00")


def test_health_is_unknown_with_too_few_orders_in_the_previous_hour(tmp_path: Path) -> None:
    _orders_per_minute(tmp_path, {k: 1 for k in range(6, 35)})  # 29 < 30
    signal = health(tmp_path, now=NOW)
    assert (signal.status, signal.baseline_orders) == (Status.UNKNOWN, 29)
    assert "fewer than the 30 needed" in signal.describe()
    assert health(tmp_path / "missing", now=NOW).status is Status.UNKNOWN


def test_assess_at_the_edges() -> None:
    def series(recent: int, baseline: int) -> list[MinuteCount]:
        minute = datetime(2025, 6, 14, tzinfo=UTC)
        return [MinuteCount(minute, baseline), MinuteCount(minute, recent)]

    half = assess(series(recent=5, baseline=10), recent_minutes=1, min_baseline_orders=10)
    assert half.status is Status.OK  # exactly half is not below half
    below = assess(series(recent=4, baseline=10), recent_minutes=1, min_baseline_orders=10)
    assert below.status is Status.DROPPED
    assert assess(series(30, 9), recent_minutes=1, min_baseline_orders=10).status is Status.UNKNOWN
    with pytest.raises(ValueError):
        assess(series(1, 1), recent_minutes=2)


# the CLI


def test_the_cli_prints_popularity_and_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _popular_lake(tmp_path)
    _orders_per_minute(tmp_path, _hour_then(recent_each=0, baseline_each=1))
    lake = ["--lake-dir", str(tmp_path)]
    assert main(["popularity", *lake, "--since", "2025-06-14T00:00"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:5] == [
        "restaurant  views  viewers  orders",
        "----------  -----  -------  ------",
        "r-a             3        2      60",
        "r-b             2        2       0",
    ]
    assert main(["popularity", *lake, "--restaurant", B, "--since", "2025-06-13"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("r-b since 2025-06-13 00:00 UTC: 2 menu views")
    assert out[3:5] == ["2025-06-13      0        0       0", "2025-06-14      2        2       0"]
    rate = [*lake, "--at", "2025-06-14T18:30:20", "--minutes", "3"]
    assert main(["rate", *rate]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2].startswith("2025-06-14 18:27       0")
    assert out[-1].startswith("health DROPPED: 0.00 orders/min")
    assert main(["rate", *rate, "--check"]) == 2


# the restaurant BFF's cache of lake readings


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_one_scan_serves_every_restaurant_until_the_ttl_passes(tmp_path: Path) -> None:
    _popular_lake(tmp_path)
    clock = _Clock()
    at = to_ms(DAY + timedelta(hours=23, minutes=59))
    views = LakeViews(tmp_path, ttl=10, clock=clock, wall_ms=lambda: at)
    first, *others = await asyncio.gather(*(views.reading(3) for _ in range(5)))
    assert views.scans == 1 and all(other is first for other in others)
    assert (first.of(A).views, first.of(B).views, first.since_ms) == (
        4,
        2,
        to_ms(DAY) - 2 * 86_400_000,
    )
    assert [d.views for d in first.of("r-nobody").days] == [0, 0, 0]

    _write(tmp_path, [_viewed(B, "c-5", DAY + timedelta(hours=13))])
    clock.now = 9.9
    assert (await views.reading(3)).of(B).views == 2  # cached
    clock.now = 10.0
    assert (await views.reading(3)).of(B).views == 3
    await views.reading(1)  # another window, another scan
    assert views.scans == 3


async def test_an_unreadable_lake_is_reported_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "date=2025-06-14" / "hour=10"
    folder.mkdir(parents=True)
    (folder / "01A.jsonl.gz").write_bytes(b"not gzip")
    views = LakeViews(tmp_path, wall_ms=lambda: to_ms(NOW))
    with pytest.raises(LakeUnreadable):
        await views.reading(1)


async def test_a_slow_scan_is_kept_for_longer(tmp_path: Path) -> None:
    _popular_lake(tmp_path)
    clock = _Clock()

    def slow_wall_ms() -> int:  # called inside the scan: the scan "takes" 4 s
        clock.now += 4
        return to_ms(NOW)

    views = LakeViews(tmp_path, ttl=10, clock=clock, wall_ms=slow_wall_ms)
    await views.reading(1)
    clock.now = 4 + 19.9  # SCAN_SHARE (5) x 4 s, counted from the scan's end
    await views.reading(1)
    assert views.scans == 1
    clock.now = 4 + 20
    await views.reading(1)
    assert views.scans == 2


def test_connect_narrowed_to_types_and_times_has_the_same_rows(tmp_path: Path) -> None:
    _popular_lake(tmp_path)
    _write(tmp_path, [_placed(A, DAY + timedelta(hours=9, minutes=5))])
    since, until = to_ms(DAY + timedelta(hours=9)), to_ms(DAY + timedelta(hours=12))
    sql = "SELECT id, type, timestamp FROM events {} ORDER BY id"
    wanted = f"WHERE type = 'menu-viewed' AND timestamp >= {since} AND timestamp < {until}"
    every = connect(tmp_path).execute(sql.format(wanted)).fetchall()
    narrowed = connect(tmp_path, since_ms=since, until_ms=until, types=["menu-viewed"])
    assert narrowed.execute(sql.format("")).fetchall() == every
    assert len(every) == 3  # A at 9:00 (stored twice: once here), B at 10:00 and 11:00
    assert connect(tmp_path, types=[]).execute("SELECT count(*) FROM events").fetchall() == [(0,)]
