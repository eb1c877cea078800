"""Redis pub/sub notifications against the real server: scoped delivery."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from adapters.notify import Notifications


async def test_a_subscriber_receives_only_its_own_scopes(redis: Redis, run_id: str) -> None:
    notes = Notifications(redis, prefix=f"test-{run_id}")
    received: list[tuple[str, dict[str, object]]] = []

    async def listen() -> None:
        async for item in notes.listen("customer:c-1"):
            received.append(item)
            if len(received) == 2:
                return

    task = asyncio.create_task(listen())
    async with asyncio.timeout(10):
        while await notes.publish("customer:c-1", {"probe": True}) == 0:  # noqa: ASYNC110
            # poll until the subscription is in place: only Redis knows when it is
            await asyncio.sleep(0.05)
        await notes.publish("customer:c-2", {"order": "o-2"})
        await notes.publish("customer:c-1", {"order": "o-1"})
        await task

    assert received[0] == ("customer:c-1", {"probe": True})
    assert received[1] == ("customer:c-1", {"order": "o-1"})
