"""The orders of this run: who placed them, what each actor did to them and when, and how
they ended as the customer's app saw it. Kitchens and drivers act only on orders in the
ledger, so other orders on the same system (other runs, people trying the apps) are left
alone."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.places import Point

#: the order statuses an order ends in (the customer app's ``OrderStatus``)
FINAL = frozenset({"DELIVERED", "CANCELLED", "REJECTED"})


@dataclass
class OrderTrack:
    id: str
    restaurant_id: str
    customer_id: str
    #: monotonic seconds when the customer sent ``placeOrder``
    placed_at: float
    drop_off: Point
    #: what the simulated actors did and when (monotonic seconds): "accepted",
    #: "rejected", "ready", "assigned", "picked_up", "delivered"
    steps: dict[str, float] = field(default_factory=dict)
    #: the customer asked to cancel: "cancelled" (the BFF took it) or "refused" (Conflict:
    #: the kitchen had decided)
    cancel: str | None = None
    driver_id: str | None = None
    #: the final status as the customer's app saw it, when, and whether by polling
    final: str | None = None
    final_at: float | None = None
    final_by_poll: bool = False


class Ledger:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.orders: dict[str, OrderTrack] = {}
        self._known: dict[str, asyncio.Event] = {}
        #: orders earlier runs left unfinished that this run's drivers should deliver
        self.leftovers: set[str] = set()
        self.leftovers_cleared = asyncio.Event()
        self.leftovers_cleared.set()

    def add(self, track: OrderTrack) -> OrderTrack:
        self.orders[track.id] = track
        waiting = self._known.pop(track.id, None)
        if waiting is not None:
            waiting.set()
        return track

    def knows(self, order_id: str) -> bool:
        """An order of this run, or a leftover of an earlier one to deliver."""
        return order_id in self.orders or order_id in self.leftovers

    def wants_driver(self, order_id: str) -> bool:
        """An order of this run no simulated driver took yet, or a leftover to deliver."""
        track = self.orders.get(order_id)
        if track is None:
            return order_id in self.leftovers
        return "assigned" not in track.steps and track.final is None

    def adopt(self, order_id: str) -> None:
        """Deliver this order of an earlier run too (it is not counted as this run's)."""
        if order_id not in self.orders:
            self.leftovers.add(order_id)
            self.leftovers_cleared.clear()

    def is_leftover(self, order_id: str) -> bool:
        return order_id in self.leftovers

    def leftover_done(self, order_id: str) -> None:
        self.leftovers.discard(order_id)
        if not self.leftovers:
            self.leftovers_cleared.set()

    def get(self, order_id: str) -> OrderTrack | None:
        return self.orders.get(order_id)

    async def wait_known(self, order_id: str, seconds: float) -> OrderTrack | None:
        """The order once this run placed it; None if it is not this run's (after
        ``seconds``): a push may arrive before ``placeOrder`` answered."""
        if order_id not in self.orders:
            try:
                async with asyncio.timeout(seconds):
                    await self._known_event(order_id).wait()
            except TimeoutError:
                return None
        return self.orders[order_id]

    def step(self, order_id: str, step: str, at: float | None = None) -> None:
        """An actor did ``step`` to the order ``at`` (monotonic seconds; default now);
        the first time counts."""
        track = self.orders.get(order_id)
        if track is not None:
            track.steps.setdefault(step, self.clock() if at is None else at)

    def finish(self, order_id: str, status: str, *, by_poll: bool = False) -> bool:
        """The customer's app shows the order ``status``; True if that made it final."""
        track = self.orders.get(order_id)
        if track is None or track.final is not None or status not in FINAL:
            return False
        track.final, track.final_at, track.final_by_poll = status, self.clock(), by_poll
        return True

    def awaiting_driver(self) -> list[str]:
        """Orders the kitchen accepted and no simulated driver took yet."""
        return [
            track.id
            for track in self.orders.values()
            if "accepted" in track.steps and "assigned" not in track.steps and track.final is None
        ]

    def unfinished(self) -> list[OrderTrack]:
        return [track for track in self.orders.values() if track.final is None]

    def _known_event(self, order_id: str) -> asyncio.Event:
        """Set once the order is added (kept for unknown ids only: a few at most)."""
        return self._known.setdefault(order_id, asyncio.Event())
