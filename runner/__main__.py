"""``python -m runner``: the whole system locally, in the foreground.

Starts the local stack (Kafka, FerretDB, Redis), every BFF's api, listener and trigger
processes and the event lake writer, seeds the demo data through the BFFs' own commands,
prints the three apps' URLs, and stops everything on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from adapters.settings import Settings
from devstack import __main__ as devstack
from devstack.errors import StackError
from runner.plan import BFFS, METRICS_BASE, app_urls
from runner.system import running_system

BANNER = """
  The food delivery platform is running. Open the apps and pick a demo identity:

    customer app     {customer}
    kitchen console  {restaurant}
    driver app       {driver}

  Dev sign-in: no passwords; each page lists its demo identities (local auth mode).
  Metrics: /metrics on each app's port; the other processes' on 127.0.0.1:{metrics}.
  Traffic: .venv/bin/python -m simulator --rate 1 --duration 60
  Ctrl-C stops everything.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m runner", description=__doc__)
    parser.add_argument(
        "--no-stack", action="store_true", help="use a stack that is already up; leave it up"
    )
    parser.add_argument("--no-seed", action="store_true", help="do not seed the demo data")
    return parser


async def _serve(seed: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_system(seed=seed, metrics_base=METRICS_BASE) as supervisor:
        ports = [p.metrics_port for p in supervisor.programs if p.metrics_port is not None]
        metrics = f"{min(ports)}-{max(ports)}" if ports else "-"
        print(BANNER.format(**app_urls(), metrics=metrics), flush=True)
        await stop.wait()
        print("[runner] stopping...", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        if not args.no_stack:
            devstack.up(settings)
        asyncio.run(_serve(seed=not args.no_seed))
    except StackError as exc:
        print(f"[runner] error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if not args.no_stack:
            devstack.down(settings)
    print(f"[runner] stopped {len(BFFS)} BFFs, the lake writer and the stack", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
