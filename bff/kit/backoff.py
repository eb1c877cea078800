"""Capped exponential backoff for retrying infrastructure errors (store or hub down)."""

from __future__ import annotations


class Backoff:
    """Delays that double from ``initial`` up to ``maximum`` seconds until ``reset``."""

    def __init__(self, initial: float = 0.1, maximum: float = 5.0, factor: float = 2.0) -> None:
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self._next = initial

    def next_delay(self) -> float:
        """The delay to wait before the next attempt; each call waits longer, up to the cap."""
        delay = self._next
        self._next = min(self._next * self.factor, self.maximum)
        return delay

    def reset(self) -> None:
        """After a success: the next failure waits ``initial`` again."""
        self._next = self.initial
