"""The clients one BFF process holds, created in its lifespan and passed on as typed state.

``open_services`` creates them (never at import time) and closes them afterwards. The
outbox wakes a relay in the same process through ``signal``, and announces on Redis only
when the trigger role runs elsewhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from adapters.notify import Notifications, redis_client
from adapters.settings import Settings
from adapters.store import Document, store_client
from bff.kit.auth import Authenticator
from bff.kit.doclock import DocumentLocks
from bff.kit.live import LiveHub
from bff.kit.outbox import Outbox
from bff.kit.probes import HubProbe
from bff.kit.ratelimit import MutationLimiter
from bff.kit.wakeup import RelaySignal
from observability.live import watch_subscribers

if TYPE_CHECKING:
    from bff.kit.spec import BffSpec


@dataclass
class Services:
    spec: BffSpec
    settings: Settings
    roles: frozenset[str]
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    redis: Redis
    notifications: Notifications
    live: LiveHub
    locks: DocumentLocks
    signal: RelaySignal
    outbox: Outbox
    auth: Authenticator
    hub: HubProbe
    #: the per-actor limit on mutations (``bff.kit.ratelimit``), shared through Redis
    limiter: MutationLimiter
    #: the running roles' background tasks by name (filled by ``bff.kit.runtime``)
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)


@asynccontextmanager
async def open_services(
    spec: BffSpec, settings: Settings, roles: Collection[str]
) -> AsyncIterator[Services]:
    auth = Authenticator(settings, spec.role)  # a bad auth configuration fails at start
    mongo = store_client(settings.mongo_url)
    redis = redis_client(settings.redis_url)
    notifications = Notifications(redis)
    locks = DocumentLocks(redis)
    signal = RelaySignal()
    relay_elsewhere = "trigger" not in roles
    services = Services(
        spec=spec,
        settings=settings,
        roles=frozenset(roles),
        mongo=mongo,
        db=mongo[settings.database(spec.database)],
        redis=redis,
        notifications=notifications,
        live=LiveHub(redis, notifications, pattern=spec.live_pattern),
        locks=locks,
        signal=signal,
        outbox=Outbox(
            spec.service, locks=locks, signal=signal, redis=redis if relay_elsewhere else None
        ),
        auth=auth,
        hub=HubProbe(settings.kafka_bootstrap),
        limiter=MutationLimiter(
            redis,
            service=spec.service,
            limit=settings.rate_limit,
            window_seconds=settings.rate_limit_window_seconds,
            prefix=settings.prefix,
        ),
    )
    if "api" in roles:
        watch_subscribers(spec.service, services.live.subscribers)  # fd_live_subscribers
    try:
        yield services
    finally:
        await services.hub.close()
        await redis.aclose()
        await mongo.close()


def services_of(connection: HTTPConnection) -> Services:
    """The process's services from the lifespan state of a request or websocket."""
    services = getattr(connection.state, "services", None)
    if not isinstance(services, Services):
        raise RuntimeError("no services in the lifespan state: is the app's lifespan running?")
    return services
