"""Tell an app's live subscribers that something changed, without failing the command.

A command has already written its entity and events when it tells; a notification is a
hint to refetch, so Redis being slow or down is logged and otherwise ignored (the app's
next query, or its ``RESYNC`` after the live hub reconnects, shows the change).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from redis.exceptions import RedisError

from adapters.notify import Notifications

log = logging.getLogger(__name__)

#: how long a command waits for Redis to take a notification
NOTIFY_SECONDS = 1.0


async def tell(notifications: Notifications | None, scope: str, message: Mapping[str, Any]) -> bool:
    """Publish ``message`` to ``scope``; False (logged) if Redis did not take it in time."""
    if notifications is None:
        return False
    try:
        async with asyncio.timeout(NOTIFY_SECONDS):
            await notifications.publish(scope, message)
    except (RedisError, OSError, TimeoutError) as exc:
        log.warning("could not notify %s of %s (%r)", scope, message.get("type"), exc)
        return False
    return True
