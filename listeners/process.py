"""Wiring a listener process: clients created here (never at import), passed in, closed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.hub import EventPublisher, event_consumer
from adapters.notify import Notifications, redis_client
from adapters.settings import Settings
from adapters.store import store_client
from listeners.faults import FaultLog
from listeners.materializer import Materializer
from listeners.rules import Listener
from listeners.runtime import ListenerRuntime
from listeners.views import Views


@asynccontextmanager
async def listener_runtime(
    listener: Listener, settings: Settings
) -> AsyncIterator[ListenerRuntime]:
    mongo = store_client(settings.mongo_url)
    redis = redis_client(settings.redis_url)
    publisher = EventPublisher(settings.kafka_bootstrap, settings.kafka_topic)
    db = mongo[settings.database(listener.database)]
    try:
        await publisher.start()
        yield ListenerRuntime(
            Materializer(listener, Views(db)),
            consumer=event_consumer(
                settings.kafka_bootstrap, settings.kafka_topic, settings.group(listener.group)
            ),
            publisher=publisher,
            faults=FaultLog(db, listener.name),
            notifications=Notifications(redis),
        )
    finally:
        await publisher.stop()
        await redis.aclose()
        await mongo.close()


async def run_listener(listener: Listener, settings: Settings, stop: asyncio.Event) -> None:
    async with listener_runtime(listener, settings) as runtime:
        await runtime.run(stop)
