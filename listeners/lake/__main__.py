"""``python -m listeners.lake [run]`` stores the hub's events until SIGINT/SIGTERM;
``python -m listeners.lake query "SELECT ..." | --counts-by-type-per-hour`` prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from adapters.settings import Settings
from listeners.lake.layout import event_files
from listeners.lake.query import COUNTS_BY_TYPE_PER_HOUR, connect
from listeners.lake.table import format_table
from listeners.lake.writer import LakeWriter
from observability.logs import setup_logging
from observability.serve import serve_metrics


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    lake_dir: Path = getattr(args, "lake_dir", None) or settings.lake_dir
    if args.command == "query":
        return _query(lake_dir, args.sql or COUNTS_BY_TYPE_PER_HOUR)
    setup_logging()  # as every process: INFO, the story's fields, tokens redacted
    serve_metrics()  # FD_METRICS_PORT, on 127.0.0.1
    group = settings.group(args.group)
    writer = LakeWriter(settings.kafka_bootstrap, settings.kafka_topic, lake_dir, group=group)
    asyncio.run(_run(writer))
    return 0


async def _run(writer: LakeWriter) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await writer.run(stop)


def _query(lake_dir: Path, sql: str) -> int:
    if not event_files(lake_dir):
        print(f"note: no event files in {lake_dir} yet", file=sys.stderr)
    con = connect(lake_dir)
    try:
        result = con.execute(sql)
        columns = [column[0] for column in result.description or ()]
        rows = result.fetchall() if columns else []
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: {first}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print(format_table(columns, rows))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m listeners.lake")
    parser.set_defaults(command="run", group="lake")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="store the hub's events (the default)")
    run.add_argument("--group", default="lake", help="the consumer group (default: lake)")
    query = commands.add_parser("query", help="SQL over the lake's view `events` (DuckDB)")
    what = query.add_mutually_exclusive_group(required=True)
    what.add_argument("sql", nargs="?", help='e.g. "SELECT type, count(*) FROM events GROUP BY 1"')
    what.add_argument("--counts-by-type-per-hour", action="store_true", help="a canned query")
    for each in (parser, run, query):  # accepted before or after the command
        each.add_argument("--lake-dir", type=Path, default=argparse.SUPPRESS, help="FD_LAKE_DIR")
    return parser


if __name__ == "__main__":
    sys.exit(main())
