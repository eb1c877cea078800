"""Per-document write locks shared by every process through Redis.

FerretDB v1 applies an update as read, modify, write back, with nothing in between: two
concurrent writes to one document can lose one, and two guarded updates can both pass.
Every write to a document with an outbox therefore holds ``fd:lock:<collection>:<id>``
(``SET NX PX``: a lease that expires after ``ttl_ms`` if its holder dies). Only the holder
releases it: a compare-and-delete script checks the random token. See docs/outbox.md.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

#: delete the key only if it still holds our token (an expired lock may be someone else's)
RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end
return 0
"""


class RetryableError(Exception):
    """A transient failure: nothing was written; trying again later may succeed."""


class DocumentBusy(RetryableError):
    """Another writer held the document's lock for longer than we were willing to wait."""


class DocumentLocks:
    """``async with locks.locked("orders", "o-1"):`` serializes writes to one document."""

    def __init__(self, redis: Redis, *, ttl_ms: int = 5000, wait_seconds: float = 5.0) -> None:
        self._redis = redis
        self.ttl_ms = ttl_ms
        self.wait_seconds = wait_seconds

    @staticmethod
    def key(collection: str, doc_id: str) -> str:
        return f"fd:lock:{collection}:{doc_id}"

    @asynccontextmanager
    async def locked(self, collection: str, doc_id: str) -> AsyncIterator[None]:
        """Hold the document's lock for the block; raises DocumentBusy after ``wait_seconds``."""
        key, token = self.key(collection, doc_id), secrets.token_hex(16)
        deadline = time.monotonic() + self.wait_seconds
        delay = 0.001
        while not await self._redis.set(key, token, nx=True, px=self.ttl_ms):
            if time.monotonic() >= deadline:
                raise DocumentBusy(
                    f"document {doc_id!r} in {collection!r} is locked by another writer "
                    f"(waited {self.wait_seconds:g} s); retry later"
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.02)
        try:
            yield
        finally:
            try:
                released = await self._redis.eval(RELEASE, 1, key, token)  # type: ignore[misc]
            except (RedisError, OSError) as exc:  # the lease expires by itself
                log.warning("could not release %s (%r); it expires in %d ms", key, exc, self.ttl_ms)
            else:
                if not released:
                    log.warning("%s expired before its release (ttl %d ms)", key, self.ttl_ms)
