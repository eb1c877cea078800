"""Live updates for GraphQL subscriptions: one Redis pub/sub connection per API process.

``LiveHub.run`` pattern-subscribes once to the notification channels
(``adapters.notify.Notifications`` naming, ``fd:*`` by default) and fans every message out
in memory (``bff.kit.fanout``) to the subscribers of its scope. A subscription resolver
iterates ``hub.subscribe(actor.scope)``: no Redis connection per subscriber, and every API
replica holds its own subscription, so any number of replicas push the same updates.

If Redis drops, the hub reconnects with backoff and then sends ``RESYNC`` to every
subscriber: notifications sent meanwhile were lost, so clients should refetch. Likewise,
``LiveHub.updates`` turns a message whose conversion failed because a service was
unavailable (the store down: ``bff.kit.unavailable``) into the conversion of ``RESYNC``:
the subscription goes on (an exception would end it), and the client refetches.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from adapters.notify import Notifications
from bff.kit.backoff import Backoff
from bff.kit.fanout import FanOut, Message
from bff.kit.unavailable import is_unavailable
from observability.live import pushed

log = logging.getLogger(__name__)

#: sent to every subscriber after the hub re-subscribed: "you may have missed updates"
RESYNC: Message = {"type": "resync"}
#: how many waiting messages ``LiveHub.updates`` converts at once
AHEAD = 32

T = TypeVar("T")


class LiveHub:
    """Fans the notifications matching ``pattern`` out to in-process subscribers."""

    def __init__(
        self,
        redis: Redis,
        notifications: Notifications,
        *,
        pattern: str = "*",
        queue_size: int = 100,
        backoff: Backoff | None = None,
    ) -> None:
        self._redis = redis
        self._pattern = notifications.channel(pattern)
        self._prefix = notifications.channel("")
        self._fanout = FanOut(queue_size=queue_size)
        self._backoff = backoff or Backoff()
        self.subscribed = asyncio.Event()

    async def run(self) -> None:
        """Hold the pattern subscription and fan messages out, until cancelled."""
        resubscribed = False
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(self._pattern)
                self.subscribed.set()
                self._backoff.reset()
                if resubscribed:
                    self._fanout.broadcast(RESYNC)
                resubscribed = True
                while True:
                    item = await pubsub.get_message(timeout=1.0)
                    if item is not None:
                        self._dispatch(item)
            except (RedisError, OSError) as exc:
                self.subscribed.clear()
                delay = self._backoff.next_delay()
                log.warning("live updates: Redis failed (%r); reconnecting in %.1fs", exc, delay)
                await asyncio.sleep(delay)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def updates(
        self,
        scope: str,
        convert: Callable[[Message], Awaitable[T]],
        *,
        ahead: int = AHEAD,
    ) -> AsyncIterator[T]:
        """``convert(message)`` for each notification of ``scope``, in order, converting up
        to ``ahead`` waiting messages at once.

        For a subscription that reads the view for each message (a kitchen's tickets): one
        subscriber gets every notification of its scope, and converting them one after the
        other made it fall behind (and drop messages) once each read waited a few tens of
        milliseconds on a busy store. Converted side by side, the reads of messages that
        are already waiting overlap (and a DataLoader batches them); the updates still come
        out in the order of their notifications. Pick the scope from the authenticated
        actor, never from user input.

        A message that cannot be converted because a service is unavailable (the store
        down) comes out as ``convert(RESYNC)``, which must not need that service: the
        subscriber refetches later instead of losing its subscription to the error.
        """

        async def resilient(message: Message) -> T:
            try:
                return await convert(message)
            except Exception as exc:
                if message.get("type") == RESYNC["type"] or not is_unavailable(exc):
                    raise
                log.warning("live updates: an update of %s unreadable (%r); resync", scope, exc)
                return await convert(RESYNC)

        subscriber = self._fanout.add(scope)
        pending: deque[asyncio.Future[T]] = deque()
        closed = False
        try:
            while not (closed and not pending):
                if not pending:
                    message = await subscriber.get()
                    if message is None:
                        return
                    pending.append(asyncio.ensure_future(resilient(message)))
                for message in [] if closed else subscriber.ready(ahead - len(pending)):
                    if message is None:
                        closed = True
                        break
                    pending.append(asyncio.ensure_future(resilient(message)))
                yield await pending.popleft()
        finally:
            for future in pending:
                future.cancel()
            self._fanout.remove(subscriber)

    async def subscribe(self, scope: str) -> AsyncIterator[Message]:
        """The notifications of ``scope`` from now on, until the subscriber stops or the
        hub closes. Pick the scope from the authenticated actor, never from user input."""
        subscriber = self._fanout.add(scope)
        try:
            while (message := await subscriber.get()) is not None:
                yield message
        finally:
            self._fanout.remove(subscriber)

    def deliver(self, scope: str, message: Message) -> int:
        """Hand a message to this process's subscribers directly (what ``run`` does)."""
        return self._fanout.deliver(scope, message)

    def subscribers(self, scope: str | None = None) -> int:
        return self._fanout.count(scope)

    def close(self) -> None:
        """End every subscription (at shutdown)."""
        self._fanout.close()

    def _dispatch(self, item: dict[str, Any]) -> None:
        channel = _text(item.get("channel"))
        if not channel.startswith(self._prefix):
            return
        try:
            message = json.loads(item.get("data") or b"")
        except ValueError:
            log.warning("live updates: ignored a non-JSON notification on %s", channel)
            return
        if not isinstance(message, dict):
            log.warning("live updates: ignored a notification that is not an object on %s", channel)
            return
        scope = channel[len(self._prefix) :]
        pushed(scope, message, self._fanout.deliver(scope, message))  # logged in its story


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, str) else ""
