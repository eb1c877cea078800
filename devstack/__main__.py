"""Command line for the local stack: ``python -m devstack {install,up,down,status,run}``.

- ``install``  fetch and build what the stack needs into the per-user cache
- ``up``       start Kafka, FerretDB and Redis in the background (idempotent) and wait
               until each answers
- ``down``     stop them, with no orphan processes left
- ``status``   show what runs where
- ``run``      ``up``, then wait; Ctrl-C (or SIGTERM) stops everything

Ports and the state folder come from the FD_* settings (adapters/settings.py).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from adapters.settings import Settings
from devstack import service
from devstack.errors import StackError
from devstack.stack import services


def _say(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


def install(settings: Settings) -> None:
    for svc in services(settings):
        svc.install()
    _say("everything the stack needs is installed and cached")


def up(settings: Settings) -> None:
    for svc in services(settings):
        service.start(svc, _say)


def down(settings: Settings) -> None:
    for svc in reversed(services(settings)):
        service.stop(svc, _say)


def status(settings: Settings) -> int:
    all_up = True
    for svc in services(settings):
        pid = svc.process.pid()
        state = f"running (pid {pid}) on {svc.describe()}" if pid else "stopped"
        all_up = all_up and pid is not None
        _say(f"{svc.name}: {state}")
    return 0 if all_up else 3


def run(settings: Settings) -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        up(settings)
        _say("stack is up; press Ctrl-C to stop it")
        stop.wait()
    finally:
        down(settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devstack",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["install", "up", "down", "status", "run"])
    args = parser.parse_args(argv)
    settings = Settings()
    # readiness probes expect refusals while a service starts; keep client logs quiet
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        if args.command == "status":
            return status(settings)
        {"install": install, "up": up, "down": down, "run": run}[args.command](settings)
    except StackError as exc:
        print(f"[devstack] error: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
