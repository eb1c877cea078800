"""Telling live subscribers never fails a command (bff.kit.tell)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from adapters.notify import Notifications
from bff.kit import tell as telling
from bff.kit.tell import tell


class FakeNotifications:
    def __init__(self, fail: BaseException | None = None, delay: float = 0.0) -> None:
        self.sent: list[tuple[str, Mapping[str, Any]]] = []
        self.fail = fail
        self.delay = delay

    async def publish(self, scope: str, message: Mapping[str, Any]) -> int:
        await asyncio.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        self.sent.append((scope, message))
        return 1


def as_notifications(fake: FakeNotifications) -> Notifications:
    return cast(Notifications, fake)


async def test_a_notification_is_published_to_its_scope() -> None:
    fake = FakeNotifications()
    assert await tell(as_notifications(fake), "driver:d-1", {"type": "x"})
    assert fake.sent == [("driver:d-1", {"type": "x"})]


async def test_redis_down_slow_or_absent_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(telling, "NOTIFY_SECONDS", 0.05)
    down = FakeNotifications(fail=RedisConnectionError("refused"))
    slow = FakeNotifications(delay=1.0)
    assert not await tell(as_notifications(down), "driver:d-1", {"type": "x"})
    assert not await tell(as_notifications(slow), "driver:d-1", {"type": "y"})
    assert not await tell(None, "driver:d-1", {"type": "z"})
    assert slow.sent == [] and down.sent == []
    assert sum("could not notify driver:d-1" in r.message for r in caplog.records) == 2
