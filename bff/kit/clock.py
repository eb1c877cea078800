"""The commands' clock: epoch milliseconds, injectable so that tests control time."""

from __future__ import annotations

import time
from collections.abc import Callable

#: returns "now" in epoch milliseconds
Clock = Callable[[], int]


def system_clock() -> int:
    return time.time_ns() // 1_000_000


def causal_now(clock: Clock, after_ms: int) -> int:
    """Now, but later than ``after_ms`` (the last event of the same entity or story).

    Views keep an event only if it is newer than the last one they applied to a document;
    a fact caused by another must therefore never carry an earlier timestamp, even when
    this machine's clock is behind the one that recorded the cause.
    """
    return max(clock(), after_ms + 1)
