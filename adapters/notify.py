"""Redis pub/sub for live updates: small JSON notifications on channels scoped to who may
see them (``customer:<id>``, ``restaurant:<id>``, ``drivers:available``).

Each API process holds one pub/sub connection and fans messages out in memory; see
``Notifications.listen``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

from redis.asyncio import Redis


def redis_client(url: str) -> Redis:
    client: Redis = Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
    return client


class Notifications:
    """Publish and receive JSON notifications on scoped channels."""

    def __init__(self, redis: Redis, *, prefix: str = "fd") -> None:
        self._redis = redis
        self._prefix = prefix

    def channel(self, scope: str) -> str:
        return f"{self._prefix}:{scope}"

    async def publish(self, scope: str, message: Mapping[str, Any]) -> int:
        """Send one notification; returns how many subscribers got it."""
        payload = json.dumps(message, separators=(",", ":"))
        return int(await self._redis.publish(self.channel(scope), payload))

    async def publish_many(self, notes: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Send (scope, message) notifications in order, in one round trip (a pipeline, not
        a transaction): what a listener tells after a batch."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for scope, message in notes:
                pipe.publish(self.channel(scope), json.dumps(message, separators=(",", ":")))
            if len(pipe):
                await pipe.execute()

    async def listen(self, *scopes: str) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Yield (scope, message) for notifications on the scopes, until cancelled."""
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        channels = [self.channel(s) for s in scopes]
        await pubsub.subscribe(*channels)
        strip = len(self._prefix) + 1
        try:
            while True:
                item = await pubsub.get_message(timeout=1.0)
                if item is None:
                    continue
                channel = item["channel"].decode()
                yield channel[strip:], json.loads(item["data"])
        finally:
            await pubsub.unsubscribe(*channels)
            await pubsub.aclose()  # type: ignore[no-untyped-call]
