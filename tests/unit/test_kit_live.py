"""Live updates without Redis: the in-memory fan-out (scopes, bounded queues, close) and
the hub's one pattern subscription, fed by a fake pub/sub."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from adapters.notify import Notifications
from bff.kit.backoff import Backoff
from bff.kit.fanout import FanOut, Message
from bff.kit.live import RESYNC, LiveHub


class FakePubSub:
    """Hands out what the test feeds; an Exception fed in is raised by get_message."""

    def __init__(self, feed: asyncio.Queue[dict[str, Any] | Exception]) -> None:
        self.feed = feed
        self.patterns: list[str] = []
        self.closed = False

    async def psubscribe(self, *patterns: str) -> None:
        self.patterns.extend(patterns)

    async def get_message(self, timeout: float = 0.0) -> dict[str, Any] | None:  # noqa: ASYNC109
        try:
            item = await asyncio.wait_for(self.feed.get(), timeout)
        except TimeoutError:
            return None
        if isinstance(item, Exception):
            raise item
        return item

    async def aclose(self) -> None:
        self.closed = True


class FakeRedis:
    def __init__(self) -> None:
        self.feed: asyncio.Queue[dict[str, Any] | Exception] = asyncio.Queue()
        self.pubsubs: list[FakePubSub] = []

    def pubsub(self, **options: Any) -> FakePubSub:
        pubsub = FakePubSub(self.feed)
        self.pubsubs.append(pubsub)
        return pubsub

    def send(self, channel: str, message: Any) -> None:
        data = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.feed.put_nowait(
            {"type": "pmessage", "pattern": b"fd:*", "channel": channel.encode(), "data": data}
        )


async def take(stream: AsyncIterator[Message], n: int) -> list[Message]:
    async with asyncio.timeout(5):
        return [await anext(stream) for _ in range(n)]


def test_a_message_reaches_every_subscriber_of_its_scope_only() -> None:
    fanout = FanOut()
    a1, a2, b = fanout.add("restaurant:r-1"), fanout.add("restaurant:r-1"), fanout.add("x:y")
    assert fanout.deliver("restaurant:r-1", {"n": 1}) == 2
    assert fanout.deliver("restaurant:r-9", {"n": 2}) == 0
    assert [a1._queue.qsize(), a2._queue.qsize(), b._queue.qsize()] == [1, 1, 0]
    fanout.remove(a1)
    fanout.remove(a2)
    assert fanout.count("restaurant:r-1") == 0 and fanout.count() == 1


async def test_a_slow_subscriber_loses_its_oldest_messages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fanout = FanOut(queue_size=3)
    slow = fanout.add("s")
    for n in range(5):
        fanout.deliver("s", {"n": n})
    assert slow.dropped == 2
    assert [await slow.get() for _ in range(3)] == [{"n": 2}, {"n": 3}, {"n": 4}]
    assert "too slow: dropped 1 oldest" in caplog.text


async def test_closing_ends_every_subscription_even_a_full_one() -> None:
    fanout = FanOut(queue_size=1)
    full = fanout.add("s")
    fanout.deliver("s", {"n": 1})
    fanout.close()
    assert await full.get() is None
    assert await fanout.add("s").get() is None  # subscribing after the close ends at once


async def test_the_hub_fans_redis_messages_out_by_scope() -> None:
    redis = FakeRedis()
    hub = LiveHub(redis, Notifications(redis))  # type: ignore[arg-type]
    runner = asyncio.create_task(hub.run())
    mine, theirs = hub.subscribe("driver:d-1"), hub.subscribe("driver:d-2")
    first_mine, first_theirs = (
        asyncio.ensure_future(anext(mine)),
        asyncio.ensure_future(anext(theirs)),
    )
    async with asyncio.timeout(5):
        while hub.subscribers() < 2:  # noqa: ASYNC110 (the generators register when started)
            await asyncio.sleep(0)
    redis.send("fd:driver:d-1", {"id": "o-1"})
    redis.send("fd:driver:d-1", b"not json")
    redis.send("fd:driver:d-1", [1, 2])
    redis.send("other:driver:d-1", {"id": "elsewhere"})
    redis.send("fd:driver:d-2", {"id": "o-2"})
    redis.send("fd:driver:d-1", {"id": "o-3"})
    assert await first_mine == {"id": "o-1"}
    assert await take(mine, 1) == [{"id": "o-3"}]
    assert await first_theirs == {"id": "o-2"}
    assert redis.pubsubs[0].patterns == ["fd:*"]  # one pattern subscription for everyone

    hub.close()
    with pytest.raises(StopAsyncIteration):
        await anext(mine)
    assert hub.subscribers() == 0
    await theirs.aclose()  # type: ignore[attr-defined]
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)
    assert redis.pubsubs[-1].closed


async def test_after_a_redis_failure_the_hub_resubscribes_and_asks_for_a_resync(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redis = FakeRedis()
    hub = LiveHub(redis, Notifications(redis), backoff=Backoff(initial=0.01))  # type: ignore[arg-type]
    runner = asyncio.create_task(hub.run())
    stream = hub.subscribe("customer:c-1")
    pending = asyncio.ensure_future(anext(stream))
    async with asyncio.timeout(5):
        await hub.subscribed.wait()
        while hub.subscribers() < 1:  # noqa: ASYNC110
            await asyncio.sleep(0)
    with caplog.at_level(logging.WARNING):
        redis.feed.put_nowait(RedisConnectionError("gone"))
        assert await pending == RESYNC
    redis.send("fd:customer:c-1", {"after": True})
    assert await take(stream, 1) == [{"after": True}]
    assert len(redis.pubsubs) == 2 and redis.pubsubs[0].closed
    assert "reconnecting" in caplog.text
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)
    await stream.aclose()  # type: ignore[attr-defined]


async def test_updates_convert_waiting_messages_side_by_side_and_keep_their_order() -> None:
    hub = LiveHub(FakeRedis(), Notifications(FakeRedis()))  # type: ignore[arg-type]
    started: list[int] = []
    running = 0
    most = 0
    release = asyncio.Event()

    async def convert(message: Message) -> int:
        nonlocal running, most
        started.append(message["n"])
        running += 1
        most = max(most, running)
        await release.wait()
        await asyncio.sleep(0.001 * (5 - message["n"] % 5))  # later ones finish first
        running -= 1
        return int(message["n"])

    stream = hub.updates("restaurant:r-1", convert, ahead=4)
    first = asyncio.ensure_future(anext(stream))
    while hub.subscribers("restaurant:r-1") < 1:  # noqa: ASYNC110 (the generator registers)
        await asyncio.sleep(0.001)
    for n in range(10):
        hub.deliver("restaurant:r-1", {"n": n})
    await asyncio.sleep(0.01)
    assert started == [0, 1, 2, 3]  # the first, and the waiting ones up to `ahead`
    release.set()

    async with asyncio.timeout(5):
        got = [await first] + [await anext(stream) for _ in range(9)]
    assert got == list(range(10))  # in notification order
    assert most == 4
    await stream.aclose()
    assert hub.subscribers() == 0


async def test_updates_end_after_the_waiting_ones_when_the_hub_closes() -> None:
    hub = LiveHub(FakeRedis(), Notifications(FakeRedis()))  # type: ignore[arg-type]

    async def convert(message: Message) -> str:
        await asyncio.sleep(0)
        return str(message["n"])

    stream = hub.updates("customer:c-1", convert)
    first = asyncio.ensure_future(anext(stream))
    while hub.subscribers("customer:c-1") < 1:  # noqa: ASYNC110 (the generator registers)
        await asyncio.sleep(0.001)
    for n in range(3):
        hub.deliver("customer:c-1", {"n": n})
    hub.close()

    async with asyncio.timeout(5):
        got = [await first] + [item async for item in stream]
    assert got == ["0", "1", "2"]
