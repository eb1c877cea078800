"""Readiness probes: does each service this process depends on answer right now?

Kafka is asked for its cluster metadata, the store for a ``ping`` and Redis for ``PING``,
each within ``timeout`` seconds and all at once; a background role (listener, trigger)
that stopped also makes the process unready.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiokafka.admin import AIOKafkaAdminClient

from adapters.store import ping

if TYPE_CHECKING:
    from bff.kit.services import Services

OK = "ok"


class HubProbe:
    """One admin connection to Kafka, opened at the first check and reopened after a
    failure; ``check`` raises when Kafka does not answer a metadata request."""

    def __init__(self, bootstrap: str, *, timeout: float = 3.0) -> None:
        self._bootstrap = bootstrap
        self._timeout = timeout
        self._admin: AIOKafkaAdminClient | None = None
        self._lock = asyncio.Lock()

    async def check(self) -> None:
        async with self._lock:
            try:
                async with asyncio.timeout(self._timeout):
                    if self._admin is None:
                        self._admin = AIOKafkaAdminClient(
                            bootstrap_servers=self._bootstrap,
                            request_timeout_ms=int(self._timeout * 1000),
                        )
                        await self._admin.start()
                    await self._admin.describe_cluster()
            except BaseException:
                await self._drop()
                raise

    async def close(self) -> None:
        async with self._lock:
            await self._drop()

    async def _drop(self) -> None:
        admin, self._admin = self._admin, None
        if admin is not None:
            with contextlib.suppress(Exception):
                await admin.close()


async def readiness(services: Services, *, limit_seconds: float = 3.0) -> dict[str, str]:
    """``{"kafka": "ok", "store": "ok", "redis": "error: ...", "listener": "ok", ...}``."""

    async def redis_ping() -> None:
        if not await services.redis.ping():
            raise RuntimeError("PING was not answered")

    async def store_ping() -> None:
        if not await ping(services.db):
            raise RuntimeError("ping was not ok")

    names = ["kafka", "store", "redis"]
    answers = await asyncio.gather(
        _probe(services.hub.check, limit_seconds),
        _probe(store_ping, limit_seconds),
        _probe(redis_ping, limit_seconds),
    )
    report = dict(zip(names, answers, strict=True))
    for role, task in services.tasks.items():
        report[role] = _task_state(task)
    return report


async def _probe(check: Callable[[], Awaitable[None]], limit_seconds: float) -> str:
    try:
        async with asyncio.timeout(limit_seconds):
            await check()
    except Exception as exc:
        return f"error: {type(exc).__name__}: {exc}" if str(exc) else f"error: {exc!r}"
    return OK


def _task_state(task: asyncio.Task[None]) -> str:
    if not task.done():
        return OK
    if task.cancelled():
        return "error: stopped"
    exc = task.exception()
    return f"error: stopped: {exc!r}" if exc is not None else "error: stopped"
