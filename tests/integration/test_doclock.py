"""Per-document locks against the real Redis: the release script deletes only its own
token, a lease expires by itself, a busy document times out with DocumentBusy."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis
from ulid import ULID

from bff.kit.doclock import DocumentBusy, DocumentLocks


def unique_collection() -> str:
    return f"test-{ULID()}".lower()


async def test_a_holder_whose_lease_expired_leaves_the_next_holders_lock_alone(
    redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    collection = unique_collection()
    key = DocumentLocks.key(collection, "o-1")
    second_in, first_out = asyncio.Event(), asyncio.Event()

    async def stalled_first() -> bytes | None:
        async with DocumentLocks(redis, ttl_ms=50).locked(collection, "o-1"):
            token: bytes | None = await redis.get(key)
            await second_in.wait()  # stalls past its 50 ms lease; the second one got in
        first_out.set()
        return token

    async def second() -> tuple[bytes | None, bytes | None]:
        await asyncio.sleep(0.01)
        async with DocumentLocks(redis).locked(collection, "o-1"):
            mine: bytes | None = await redis.get(key)
            second_in.set()
            await first_out.wait()  # the first holder has run its release by now
            return mine, await redis.get(key)

    first_token, (mine, after_first_left) = await asyncio.gather(stalled_first(), second())

    assert first_token is not None and mine is not None and mine != first_token
    assert after_first_left == mine
    assert await redis.exists(key) == 0  # the second released its own lock
    assert "expired before its release" in caplog.text


async def test_a_document_held_past_the_wait_raises_document_busy(redis: Redis) -> None:
    collection = unique_collection()
    locks = DocumentLocks(redis, wait_seconds=0.1)

    async with locks.locked(collection, "o-1"):
        with pytest.raises(DocumentBusy, match="'o-1'"):
            async with locks.locked(collection, "o-1"):
                raise AssertionError("must not enter")
        async with locks.locked(collection, "o-2"):  # other documents are not affected
            pass
    assert await redis.exists(DocumentLocks.key(collection, "o-1")) == 0


async def test_a_lock_left_by_a_dead_holder_expires_after_its_ttl(redis: Redis) -> None:
    collection = unique_collection()
    key = DocumentLocks.key(collection, "o-1")
    await redis.set(key, "a crashed relay", px=200)
    locks = DocumentLocks(redis, wait_seconds=2.0)

    loop = asyncio.get_running_loop()
    start = loop.time()
    async with locks.locked(collection, "o-1"):
        waited = loop.time() - start
    assert 0.1 <= waited < 1.0
    assert await redis.exists(key) == 0
