"""How a command's write wakes the outbox relay.

In one process (api and trigger roles together) a ``RelaySignal`` is enough. Between
processes the write side also publishes on the Redis channel ``outbox:<service>``, which
the relay subscribes to. Both are hints: the relay's timed sweep catches up on any missed
wake-up, so failing to send one never fails a command.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bff.kit.backoff import Backoff

log = logging.getLogger(__name__)


class RelaySignal:
    """An in-process wake-up for the relay: ``notify`` after a write, the relay ``wait``s."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()

    def clear(self) -> None:
        self._event.clear()

    def is_set(self) -> bool:
        return self._event.is_set()

    async def wait(self) -> None:
        await self._event.wait()


def outbox_channel(service: str) -> str:
    """The Redis channel on which writes of ``service`` announce pending events."""
    return f"outbox:{service}"


async def announce_pending(redis: Redis, service: str, *, limit_seconds: float = 1.0) -> bool:
    """Tell a relay in another process that events are pending; False when Redis failed.

    Best effort: a failure is logged and swallowed (the relay's sweep catches up).
    """
    try:
        async with asyncio.timeout(limit_seconds):
            await redis.publish(outbox_channel(service), b"pending")
    except (RedisError, OSError, TimeoutError) as exc:
        log.warning("could not wake the %s outbox relay over Redis: %r", service, exc)
        return False
    return True


async def relay_wakeups(
    redis: Redis, service: str, signal: RelaySignal, *, backoff: Backoff | None = None
) -> None:
    """Notify ``signal`` for every announcement on the service's channel, until cancelled.

    Reconnects with backoff when Redis fails, and notifies once after each (re)subscription
    so that writes announced while not subscribed are picked up.
    """
    backoff = backoff or Backoff()
    channel = outbox_channel(service)
    while True:
        pubsub = redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(channel)
            signal.notify()
            backoff.reset()
            while True:
                if await pubsub.get_message(timeout=1.0) is not None:
                    signal.notify()
        except (RedisError, OSError) as exc:
            delay = backoff.next_delay()
            log.warning("outbox wake-ups on %s failed (%r); retrying in %.1fs", channel, exc, delay)
            await asyncio.sleep(delay)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
