"""Listener commands.

  python -m listeners run <listener>                 consume the hub into the views
  python -m listeners resubmit <listener> [--id ID]  apply faulted events again after a fix
  python -m listeners replay <listener> [--swap]     rebuild the views from the event lake

<listener> is ``package.module:ATTRIBUTE`` (or a known short name). ``--group`` and
``--database`` override the listener's own; connections come from the FD_* settings.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from adapters.settings import Settings
from adapters.store import store_client
from listeners.faults import FaultLog
from listeners.loading import load_listener
from listeners.materializer import Materializer
from listeners.process import run_listener
from listeners.replay import replay
from listeners.rules import Listener
from listeners.views import Views
from observability.logs import setup_logging
from observability.serve import serve_metrics


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m listeners",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["run", "resubmit", "replay"])
    parser.add_argument("listener")
    parser.add_argument("--group")
    parser.add_argument("--database")
    parser.add_argument("--id", action="append", default=[], help="resubmit only these ids")
    parser.add_argument("--swap", action="store_true", help="replay: swap the rebuilt views in")
    parser.add_argument("--lake-dir", help="replay: the lake folder (default FD_LAKE_DIR)")
    return parser


async def _run(listener: Listener, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run_listener(listener, settings, stop)


async def _resubmit(listener: Listener, settings: Settings, ids: list[str]) -> int:
    mongo = store_client(settings.mongo_url)
    try:
        db = mongo[settings.database(listener.database)]
        materializer = Materializer(listener, Views(db))
        resolved, failing = await FaultLog(db, listener.name).resubmit(materializer, ids)
    finally:
        await mongo.close()
    print(f"{listener.name}: {resolved} resolved, {failing} still failing")
    return 0 if failing == 0 else 1


async def _replay(listener: Listener, settings: Settings, lake_dir: str | None, swap: bool) -> int:
    mongo = store_client(settings.mongo_url)
    try:
        report = await replay(
            listener,
            mongo[settings.database(listener.database)],
            settings.lake_dir if lake_dir is None else type(settings.lake_dir)(lake_dir),
            swap=swap,
            progress=lambda line: print(line, flush=True),
        )
    finally:
        await mongo.close()
    return 0 if report.failed == 0 else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging()  # as every process: INFO, the story's fields, tokens redacted
    settings = Settings()
    listener = load_listener(args.listener, group=args.group, database=args.database)
    if args.command == "run":
        serve_metrics()  # FD_METRICS_PORT, on 127.0.0.1
        asyncio.run(_run(listener, settings))
        return 0
    if args.command == "resubmit":
        return asyncio.run(_resubmit(listener, settings, args.id))
    return asyncio.run(_replay(listener, settings, args.lake_dir, args.swap))


if __name__ == "__main__":
    sys.exit(main())
