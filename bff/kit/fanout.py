"""In-memory fan-out of live notifications to the subscribers of one API process.

Each subscriber has a bounded queue for one scope (``restaurant:r-1``). A subscriber that
does not keep up loses its OLDEST pending messages (logged), never blocks the others, and
never grows memory without bound. ``close`` ends every subscription (shutdown).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

Message = Mapping[str, Any]


class Subscriber:
    """One subscription's queue; ``get`` returns None once the fan-out is closed."""

    def __init__(self, scope: str, maxsize: int) -> None:
        self.scope = scope
        self.dropped = 0
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize)

    def offer(self, message: Message | None) -> None:
        """Enqueue without waiting; when full, drop the oldest message first."""
        while True:
            try:
                self._queue.put_nowait(message)
                return
            except asyncio.QueueFull:
                self._queue.get_nowait()
                if message is None:
                    continue  # the end-of-stream marker always gets in
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 100 == 0:
                    log.warning(
                        "live subscriber on %s is too slow: dropped %d oldest message(s)",
                        self.scope,
                        self.dropped,
                    )

    async def get(self) -> Message | None:
        return await self._queue.get()

    def ready(self, limit: int) -> list[Message | None]:
        """Up to ``limit`` of the messages already waiting (the end-of-stream None is
        always the last), without waiting."""
        found: list[Message | None] = []
        while len(found) < limit and not self._queue.empty():
            found.append(self._queue.get_nowait())
        return found


class FanOut:
    """Subscribers grouped by scope; ``deliver`` hands one message to each of a scope's."""

    def __init__(self, *, queue_size: int = 100) -> None:
        self.queue_size = queue_size
        self._by_scope: dict[str, set[Subscriber]] = {}
        self._closed = False

    def add(self, scope: str) -> Subscriber:
        subscriber = Subscriber(scope, self.queue_size)
        if self._closed:
            subscriber.offer(None)
        else:
            self._by_scope.setdefault(scope, set()).add(subscriber)
        return subscriber

    def remove(self, subscriber: Subscriber) -> None:
        group = self._by_scope.get(subscriber.scope)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del self._by_scope[subscriber.scope]

    def deliver(self, scope: str, message: Message) -> int:
        """Give ``message`` to every subscriber of ``scope``; returns how many."""
        group = self._by_scope.get(scope, ())
        for subscriber in group:
            subscriber.offer(message)
        return len(group)

    def broadcast(self, message: Message) -> int:
        """Give ``message`` to every subscriber of every scope."""
        return sum(self.deliver(scope, message) for scope in list(self._by_scope))

    def count(self, scope: str | None = None) -> int:
        """Subscribers of ``scope`` (of all scopes when None)."""
        if scope is not None:
            return len(self._by_scope.get(scope, ()))
        return sum(len(group) for group in self._by_scope.values())

    def close(self) -> None:
        """End every subscription; later ones end at once."""
        self._closed = True
        for group in self._by_scope.values():
            for subscriber in group:
                subscriber.offer(None)
        self._by_scope.clear()
