"""Per-document locks with a fake Redis: only the token holder releases, a busy document
times out with a clear retryable error, the lock is released when the block raises."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bff.kit.doclock import RELEASE, DocumentBusy, DocumentLocks, RetryableError


class LockRedis:
    """``SET NX PX`` and the release script, in memory; ``expire`` plays the TTL running out."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.ttls: dict[str, int] = {}
        self.sets = 0
        self.evals = 0

    async def set(self, key: str, value: str, *, nx: bool = False, px: int | None = None) -> bool:
        self.sets += 1
        assert nx and px is not None, "a lock must be SET NX with a PX lease"
        if key in self.values:
            return False
        self.values[key], self.ttls[key] = value, px
        return True

    async def eval(self, script: str, numkeys: int, *args: Any) -> int:
        self.evals += 1
        assert script == RELEASE and numkeys == 1
        key, token = args
        if self.values.get(key) == token:  # what the Lua script does, atomically in Redis
            del self.values[key]
            return 1
        return 0

    def expire(self, key: str) -> None:
        del self.values[key]


async def test_the_lock_is_a_lease_on_the_documents_key_and_is_released_after() -> None:
    redis = LockRedis()
    locks = DocumentLocks(redis, ttl_ms=1234)  # type: ignore[arg-type]

    async with locks.locked("db.orders", "o-1"):
        assert list(redis.values) == ["fd:lock:db.orders:o-1"]
        assert redis.ttls["fd:lock:db.orders:o-1"] == 1234
        assert len(redis.values["fd:lock:db.orders:o-1"]) >= 32  # a random token

    assert redis.values == {}
    assert (redis.sets, redis.evals) == (1, 1)


async def test_a_holder_whose_lease_expired_does_not_release_the_next_holders_lock(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis = LockRedis()
    locks = DocumentLocks(redis)  # type: ignore[arg-type]
    key = DocumentLocks.key("db.orders", "o-1")
    second_in, first_out = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with locks.locked("db.orders", "o-1"):
            redis.expire(key)  # this holder stalls past its TTL...
            await second_in.wait()  # ...and a second writer gets in
        first_out.set()

    async def second() -> str:
        await asyncio.sleep(0)
        async with locks.locked("db.orders", "o-1"):
            second_in.set()
            await first_out.wait()
            return redis.values[key]  # the first one's release left this lock alone

    _, token = await asyncio.gather(first(), second())

    assert token != ""
    assert redis.values == {}
    assert redis.evals == 2
    assert "expired before its release" in caplog.text


async def test_a_second_writer_waits_for_the_first() -> None:
    redis = LockRedis()
    locks = DocumentLocks(redis)  # type: ignore[arg-type]
    trace: list[str] = []

    async def write(name: str, hold: float) -> None:
        async with locks.locked("db.orders", "o-1"):
            trace.append(f"{name} in")
            await asyncio.sleep(hold)
            trace.append(f"{name} out")

    first = asyncio.create_task(write("a", 0.05))
    await asyncio.sleep(0)
    await asyncio.gather(first, write("b", 0))
    assert trace == ["a in", "a out", "b in", "b out"]
    assert redis.values == {}


async def test_a_document_locked_too_long_raises_a_retryable_document_busy() -> None:
    redis = LockRedis()
    redis.values[DocumentLocks.key("db.orders", "o-9")] = "someone else"
    locks = DocumentLocks(redis, wait_seconds=0.1)  # type: ignore[arg-type]

    with pytest.raises(DocumentBusy, match=r"'o-9' in 'db.orders' is locked") as raised:
        async with locks.locked("db.orders", "o-9"):
            raise AssertionError("must not enter")

    assert isinstance(raised.value, RetryableError)
    # growing sleeps from 1 ms capped at 20 ms: about 10 attempts in 0.1 s, not hundreds
    assert 3 <= redis.sets <= 12
    assert redis.evals == 0  # nothing to release
    assert redis.values == {DocumentLocks.key("db.orders", "o-9"): "someone else"}


async def test_the_lock_is_released_when_the_block_raises() -> None:
    redis = LockRedis()
    locks = DocumentLocks(redis)  # type: ignore[arg-type]

    with pytest.raises(RuntimeError):
        async with locks.locked("db.orders", "o-1"):
            raise RuntimeError("the write failed")

    assert redis.values == {}
