"""Running a BFF process's roles around its services.

``running(spec, settings, roles)`` opens the services, starts a background task per role
and yields the services; on exit it stops the tasks (cleanly, then by cancellation after
``grace`` seconds) and closes the clients:

- ``api``: the live-update hub's Redis subscription (GraphQL itself is served by the app);
- ``listener``: the BFF's listener (``listeners.process.run_listener``);
- ``trigger``: the outbox relay (``bff.kit.relay.OutboxRelay``) with its own producer.

A role task that dies is logged with its exception, and makes ``/readyz`` answer 503.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Collection, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Any

from adapters.hub import EventPublisher
from adapters.settings import Settings
from bff.kit.backoff import Backoff
from bff.kit.relay import INFRASTRUCTURE_ERRORS, OutboxRelay
from bff.kit.services import Services, open_services
from bff.kit.spec import ROLE_NAMES, BffSpec
from listeners.process import run_listener

log = logging.getLogger(__name__)


def parse_roles(text: str) -> frozenset[str]:
    """``"api,listener"`` -> the roles; ValueError for an unknown or empty selection."""
    roles = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = roles - set(ROLE_NAMES)
    if unknown or not roles:
        raise ValueError(f"roles must be some of {', '.join(ROLE_NAMES)}; got {text!r}")
    return roles


@asynccontextmanager
async def running(
    spec: BffSpec, settings: Settings, roles: Collection[str], *, grace: float = 10.0
) -> AsyncIterator[Services]:
    stop = asyncio.Event()
    async with open_services(spec, settings, roles) as services:
        jobs: dict[str, Coroutine[Any, Any, None]] = {}
        if "api" in roles:
            jobs["live"] = services.live.run()
        if "listener" in roles and spec.listener is not None:
            jobs["listener"] = run_listener(spec.listener, settings, stop)
        if "trigger" in roles and spec.outbox_collections:
            jobs["trigger"] = _trigger(services, stop)
        for name, job in jobs.items():
            task = asyncio.create_task(job, name=f"{spec.service}.{name}")
            task.add_done_callback(_report_end)
            services.tasks[name] = task
        log.info("%s running roles: %s", spec.service, ", ".join(sorted(roles)))
        try:
            yield services
        finally:
            stop.set()
            services.live.close()
            with suppress(TimeoutError):  # the commands' last wake-ups of the relay
                await asyncio.wait_for(services.outbox.settled(), 2)
            await _stop(services.tasks, grace)
            log.info("%s stopped", spec.service)


async def _trigger(services: Services, stop: asyncio.Event) -> None:
    spec, settings = services.spec, services.settings
    publisher = EventPublisher(settings.kafka_bootstrap, settings.kafka_topic)
    if not await _start(publisher, stop):
        return
    try:
        relay = OutboxRelay(
            services.db,
            spec.outbox_collections,
            publisher,
            services.signal,
            locks=services.locks,
            redis=services.redis,
            service=spec.service,
        )
        await relay.run(stop)
    finally:
        await publisher.stop()


async def _start(publisher: EventPublisher, stop: asyncio.Event) -> bool:
    """Start the producer, retrying while Kafka is unreachable; False if stopped first."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            await publisher.start()
            return True
        except INFRASTRUCTURE_ERRORS as exc:
            await publisher.stop()
            delay = backoff.next_delay()
            log.warning("Kafka unavailable for the outbox relay (%r); retry in %.1fs", exc, delay)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
    return False


async def _stop(tasks: dict[str, asyncio.Task[None]], grace: float) -> None:
    live = tasks.get("live")
    if live is not None:
        live.cancel()  # it runs until cancelled
    pending = [t for t in tasks.values() if not t.done()]
    if pending:
        _, late = await asyncio.wait(pending, timeout=grace)
        for task in late:
            log.warning("%s did not stop within %.0fs; cancelling it", task.get_name(), grace)
            task.cancel()
        if late:
            await asyncio.wait(late)


def _report_end(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        log.error("role task %s failed", task.get_name(), exc_info=exc)
