"""``python -m analytics popularity | rate``: the lake's analytics as text tables.

``popularity [--restaurant ID] [--days N | --since ISO]``: per restaurant (most viewed
first), or one restaurant's days. ``rate [--minutes N] [--at ISO] [--check]``: orders
placed per minute and the health signal (``--check`` exits 0 OK, 2 DROPPED, 3 UNKNOWN).
Ad-hoc SQL is ``python -m listeners.lake query "SELECT ..."`` (the same view ``events``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from adapters.settings import Settings
from analytics.popularity import popularity, popularity_by_restaurant
from analytics.rate import (
    BASELINE_MINUTES,
    MIN_BASELINE_ORDERS,
    RECENT_MINUTES,
    THRESHOLD,
    Status,
    assess,
    order_rate,
)
from analytics.times import from_ms, last_days_since, now_ms
from listeners.lake.layout import event_files
from listeners.lake.table import format_table

#: ``rate --check`` exit codes (the monitoring-plugin convention)
EXIT_CODES = {Status.OK: 0, Status.DROPPED: 2, Status.UNKNOWN: 3}
_BAR_WIDTH = 40


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lake_dir: Path = args.lake_dir or Settings().lake_dir
    if not event_files(lake_dir):
        print(f"note: no event files in {lake_dir} yet", file=sys.stderr)
    if args.command == "popularity":
        return _popularity(lake_dir, args)
    return _rate(lake_dir, args)


def _popularity(lake_dir: Path, args: argparse.Namespace) -> int:
    offset: int = args.utc_offset
    since = args.since or from_ms(last_days_since(args.days, offset))
    until = from_ms(now_ms())
    if args.restaurant is None:
        every = sorted(
            popularity_by_restaurant(lake_dir, since, until, utc_offset_minutes=offset).values(),
            key=lambda p: (-p.views, p.restaurant_id),
        )
        rows = [(p.restaurant_id, p.views, p.viewers, p.orders) for p in every]
        print(f"since {since:%Y-%m-%d %H:%M} UTC")
        print(format_table(["restaurant", "views", "viewers", "orders"], rows))
        return 0
    found = popularity(lake_dir, args.restaurant, since, until, utc_offset_minutes=offset)
    rows = [(d.day.isoformat(), d.views, d.viewers, d.orders) for d in found.days]
    print(
        f"{found.restaurant_id} since {since:%Y-%m-%d %H:%M} UTC: {found.views} menu views, "
        f"{found.viewers} different customers, {found.orders} orders placed"
    )
    print(format_table(["day", "views", "viewers", "orders"], rows))
    return 0


def _rate(lake_dir: Path, args: argparse.Namespace) -> int:
    recent: int = args.recent
    minutes = max(args.minutes, recent + BASELINE_MINUTES)
    series = order_rate(lake_dir, minutes, now=args.at)
    shown = series[-args.minutes :]
    top = max((m.orders for m in shown), default=0) or 1
    rows = [
        (f"{m.minute:%Y-%m-%d %H:%M}", m.orders, "#" * round(m.orders / top * _BAR_WIDTH))
        for m in shown
    ]
    print(format_table(["minute (UTC)", "orders", ""], rows))
    signal = assess(
        series[-(recent + BASELINE_MINUTES) :],
        recent_minutes=recent,
        threshold=args.threshold,
        min_baseline_orders=args.min_baseline_orders,
    )
    print(f"health {signal.describe()}")
    return EXIT_CODES[signal.status] if args.check else 0


def _moment(text: str) -> datetime:
    """An ISO 8601 time; without a zone it is UTC."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics",
        description="Analytics over the event lake (DuckDB). Definitions: docs/analytics.md.",
        epilog='ad-hoc SQL over the same view: python -m listeners.lake query "SELECT ..."',
    )
    commands = parser.add_subparsers(dest="command", required=True)
    pop = commands.add_parser("popularity", help="menu views, viewers and orders placed")
    pop.add_argument("--restaurant", help="one restaurant's days (default: every restaurant)")
    window = pop.add_mutually_exclusive_group()
    window.add_argument("--days", type=_positive, default=14, help="the last N days (14)")
    window.add_argument("--since", type=_moment, help="from this time on (ISO 8601, UTC)")
    pop.add_argument(
        "--utc-offset", type=int, default=0, help="days at this offset from UTC, in minutes"
    )
    rate = commands.add_parser("rate", help="orders placed per minute, and the health signal")
    rate.add_argument("--minutes", type=_positive, default=60, help="minutes shown (60)")
    rate.add_argument("--at", type=_moment, help="as at this time (ISO 8601; default now)")
    rate.add_argument("--recent", type=_positive, default=RECENT_MINUTES, help="recent minutes")
    rate.add_argument("--threshold", type=float, default=THRESHOLD, help="DROPPED below (0.5)")
    rate.add_argument("--min-baseline-orders", type=int, default=MIN_BASELINE_ORDERS)
    rate.add_argument("--check", action="store_true", help="exit 0 OK, 2 DROPPED, 3 UNKNOWN")
    for each in (pop, rate):
        each.add_argument("--lake-dir", type=Path, help="default: FD_LAKE_DIR")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


if __name__ == "__main__":
    sys.exit(main())
