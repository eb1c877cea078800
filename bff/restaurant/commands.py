"""The restaurant's commands, wired once per process: ``RestaurantCommands.create(...)``.

- ``profile``: register, update the profile, open, close, add/edit/remove menu items,
  set availability (``bff.restaurant.profile``);
- ``kitchen``: accept, reject, mark ready (``bff.restaurant.kitchen``).

Every method takes the acting restaurant's id first (from its token, never from input),
returns a typed result, and raises a ``bff.restaurant.failures.CommandFailed`` subclass
for an expected failure, having written nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from adapters.notify import Notifications
from adapters.store import Document
from bff.kit.clock import Clock, system_clock
from bff.kit.doclock import DocumentLocks
from bff.kit.outbox import Outbox
from bff.restaurant.kitchen import KitchenCommands
from bff.restaurant.profile import ProfileCommands


@dataclass(frozen=True, slots=True)
class RestaurantCommands:
    profile: ProfileCommands
    kitchen: KitchenCommands

    @classmethod
    def create(
        cls,
        db: AsyncDatabase[Document],
        outbox: Outbox,
        locks: DocumentLocks,
        *,
        clock: Clock = system_clock,
        region: str = "local",
        notifications: Notifications | None = None,
    ) -> RestaurantCommands:
        """``locks`` must be the same Redis-backed locks the outbox writes with;
        ``notifications`` (optional) tell other consoles about profile and menu changes."""
        return cls(
            profile=ProfileCommands(
                db, outbox, locks, clock=clock, region=region, notifications=notifications
            ),
            kitchen=KitchenCommands(db, outbox, locks, clock=clock, region=region),
        )
