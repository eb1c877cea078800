"""Helpers for the listener tests: run a runtime in-process, wait for views, compare."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from pymongo.asynchronous.database import AsyncDatabase

from adapters.settings import Settings
from adapters.store import Document
from events import Event
from listeners.materializer import Materializer
from listeners.process import listener_runtime
from listeners.rules import Listener
from listeners.runtime import ListenerRuntime
from listeners.views import Views


def for_test(listener: Listener, topic: str, db: AsyncDatabase[Document]) -> Listener:
    return dataclasses.replace(listener, group=f"{topic}.{listener.name}", database=db.name)


@asynccontextmanager
async def running(
    listener: Listener, settings: Settings, topic: str
) -> AsyncIterator[ListenerRuntime]:
    """The listener consuming `topic` in the background while the block runs."""
    settings = settings.model_copy(update={"kafka_topic": topic})
    async with listener_runtime(listener, settings) as runtime:
        stop = asyncio.Event()
        task = asyncio.create_task(runtime.run(stop))
        try:
            yield runtime
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


async def wait_for(what: str, check: Callable[[], Awaitable[bool]], seconds: float = 60) -> None:
    try:
        async with asyncio.timeout(seconds):
            while not await check():  # noqa: ASYNC110 (polling a store, not an in-process event)
                await asyncio.sleep(0.2)
    except TimeoutError:
        raise AssertionError(f"timed out after {seconds}s waiting for {what}") from None


async def in_order(
    listener: Listener, db: AsyncDatabase[Document], events: Sequence[Event]
) -> None:
    """The reference: the same rules applied straight, in order (in chunks of 500)."""
    materializer = Materializer(listener, Views(db))
    for start in range(0, len(events), 500):
        await materializer.apply(events[start : start + 500])


async def dump(db: AsyncDatabase[Document], collection: str) -> list[Document]:
    return [doc async for doc in db[collection].find().sort("_id", 1)]
