"""Taking the stack's services down and up during a test, and leaving them up afterwards.

``stop_service(settings, "kafka")`` and ``start_service(...)`` stop and start one service
of the stack the settings name (``devstack``: the same procedure as ``python -m devstack
down/up``; a start waits until the service really answers). ``stack_kept_up(settings)``
starts, on exit, every service that is not running, also when the test failed midway: the
whole test run shares the stack, and later tests need all of it.

``restarts(log)`` counts the processes of a whole system that exited (and were restarted
by its supervisor), from the system's log.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from adapters.settings import Settings
from devstack import service
from devstack.ferretdb import FerretDB
from devstack.kafka import Kafka
from devstack.redis import Redis
from devstack.stack import services

#: the services an outage can take down, by the name the test uses
SERVICES: dict[str, type[service.Service]] = {"kafka": Kafka, "store": FerretDB, "redis": Redis}

_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_EXITED = re.compile(r"^(\S+)\s*\| exited with code (-?\d+)")


def _say(line: str) -> None:
    print(f"[outage] {line}", flush=True)


async def stop_service(settings: Settings, name: str) -> None:
    """Stop the service (SIGTERM, then SIGKILL after a grace period)."""
    await asyncio.to_thread(service.stop, SERVICES[name](settings), _say)


async def start_service(settings: Settings, name: str) -> None:
    """Start the service and wait until it answers a real request."""
    await asyncio.to_thread(service.start, SERVICES[name](settings), _say)


@asynccontextmanager
async def stack_kept_up(settings: Settings) -> AsyncIterator[None]:
    """On exit, start every service of the stack that is not running (idempotent)."""
    try:
        yield
    finally:
        for each in services(settings):
            await asyncio.to_thread(service.start, each, _say)


def restarts(log: Path) -> Counter[str]:
    """How often each process of a whole system exited, from its supervisor's log lines
    (``customer-api    | exited with code 1``)."""
    found: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        match = _EXITED.match(_COLOUR.sub("", line))
        if match:
            found[match.group(1)] += 1
    return found
