"""Every order on the hub and how it ended there, and whether every BFF's views show that
ending.

An order's story is the types of the events about it (its ``partitionKey``), in partition
order, each event id once. How it ends (DESIGN.md, "Order lifecycle and races"): of
``order-accepted``, ``order-rejected`` and ``order-cancelled`` the first in the partition
decides; rejected and cancelled are final, an accepted order is final once
``order-delivered`` is there. Each BFF's views then show:

| ending | customer orders_view | restaurant tickets | driver offers | driver deliveries |
|---|---|---|---|---|
| delivered | delivered | delivered | delivered | delivered |
| rejected | rejected | rejected | gone | (none) |
| cancelled | cancelled | cancelled | gone | (none) |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from events import Event
from tests.system.whole import System

DECISIONS = ("order-accepted", "order-rejected", "order-cancelled")
ENDINGS = {"order-rejected": "rejected", "order-cancelled": "cancelled"}

#: (BFF, collection) -> the status it shows for each ending
SHOWN: dict[tuple[str, str], dict[str, str]] = {
    ("customer", "orders_view"): {e: e for e in ("delivered", "rejected", "cancelled")},
    ("restaurant", "tickets"): {e: e for e in ("delivered", "rejected", "cancelled")},
    ("driver", "offers"): {"delivered": "delivered", "rejected": "gone", "cancelled": "gone"},
    ("driver", "deliveries"): {"delivered": "delivered"},
}


@dataclass
class Story:
    order_id: str
    steps: list[str] = field(default_factory=list)

    @property
    def decision(self) -> str | None:
        return next((step for step in self.steps if step in DECISIONS), None)

    @property
    def ending(self) -> str | None:
        """delivered, rejected or cancelled; None while the order is not final."""
        decision = self.decision
        if decision in ENDINGS:
            return ENDINGS[decision]
        if decision == "order-accepted" and "order-delivered" in self.steps:
            return "delivered"
        return None


def stories(events: Iterable[Event]) -> dict[str, Story]:
    """Every order placed on the hub (``events`` in partition order), by order id."""
    seen: set[str] = set()
    steps: dict[str, list[str]] = {}
    placed: set[str] = set()
    for event in events:
        if event.id in seen:
            continue
        seen.add(event.id)
        steps.setdefault(event.partition_key, []).append(event.type)
        if event.type == "order-placed":
            placed.add(event.partition_key)
    return {order: Story(order, steps[order]) for order in sorted(placed)}


async def statuses(system: System, bff: str, collection: str) -> dict[str, object]:
    """``_id`` -> ``status`` of every document of one BFF's collection."""
    found = system.db(bff)[collection].find({}, {"status": 1})
    return {str(doc["_id"]): doc.get("status") async for doc in found}


async def not_shown(system: System, orders: Iterable[Story]) -> list[str]:
    """What some view shows differently from how the order ended on the hub (or that the
    order has not ended), one line each."""
    wrong: list[str] = []
    shown = {where: await statuses(system, *where) for where in SHOWN}
    for story in orders:
        ending = story.ending
        if ending is None:
            wrong.append(f"{story.order_id}: not final on the hub: {' > '.join(story.steps)}")
            continue
        for (bff, collection), show in SHOWN.items():
            wanted = show.get(ending)
            got = shown[bff, collection].get(story.order_id)
            if wanted is not None and got != wanted:
                wrong.append(
                    f"{story.order_id}: {bff} {collection} shows {got!r}, the hub says "
                    f"{ending} ({' > '.join(story.steps)})"
                )
    return wrong
