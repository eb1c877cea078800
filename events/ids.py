"""Event ids: ULIDs, which sort by the millisecond they were recorded in.

Within one process, events recorded in the same millisecond (one command emitting two
facts) still get ids in the order they were recorded: the later id is the earlier plus one.
"""

from __future__ import annotations

import threading

from ulid import ULID

#: Crockford base32, 26 characters, first one at most 7 (48-bit timestamp)
ULID_PATTERN = r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$"

_RANDOM_BITS = 80
_RANDOM_MASK = (1 << _RANDOM_BITS) - 1


class UlidClock:
    """Hands out ULIDs; within one millisecond each id is the previous one plus one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def new_id(self, now_ms: int) -> str:
        with self._lock:
            last_ms = self._last >> _RANDOM_BITS
            if now_ms == last_ms and (self._last & _RANDOM_MASK) != _RANDOM_MASK:
                value = self._last + 1
            else:
                value = int(ULID.from_timestamp(now_ms))
            self._last = value
            return str(ULID.from_int(value))


_clock = UlidClock()


def new_event_id(now_ms: int) -> str:
    """A fresh ULID string whose time part is ``now_ms``."""
    return _clock.new_id(now_ms)


def ulid_ms(event_id: str) -> int:
    """The epoch milliseconds encoded in a ULID string."""
    return ULID.from_str(event_id).milliseconds
