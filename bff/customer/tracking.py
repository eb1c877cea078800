"""The customer's view of their orders: an order with the time of each step it reached
(``TrackedOrder``), and its driver's last position on the map (``Position``).

Both are written only by the listener (``bff.customer.listener``); the commands and the
queries read them. Documents are stored in camelCase, the order snapshot as placed under
``order``; ``_v`` is the listener's version (``<timestamp>.<event id>`` of the last event
applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from events import Address, GeoPoint, Order, OrderStatus
from events.wire import WireModel

#: an order's steps, in lifecycle order (their wire names, as under ``steps``)
Step = Literal[
    "placed",
    "accepted",
    "rejected",
    "cancelled",
    "ready",
    "driverAssigned",
    "pickedUp",
    "delivered",
]
STEPS: tuple[Step, ...] = get_args(Step)
#: the statuses in which the driver is on the way (the app follows them on the map)
TRACKED: tuple[OrderStatus, ...] = ("accepted", "ready", "picked-up")
#: the statuses an order ends in
FINAL: tuple[OrderStatus, ...] = ("delivered", "cancelled", "rejected")


def version_ms(doc: Mapping[str, Any]) -> int:
    """The timestamp of the last event applied to a view document (from its ``_v``)."""
    return int(str(doc.get("_v", "0.")).split(".")[0] or 0)


class OrderSteps(WireModel):
    """When the order reached each step (epoch ms), None for the steps not reached."""

    placed: int | None = None
    accepted: int | None = None
    rejected: int | None = None
    cancelled: int | None = None
    ready: int | None = None
    driver_assigned: int | None = None
    picked_up: int | None = None
    delivered: int | None = None


class TrackedDriver(WireModel):
    id: str
    name: str
    vehicle: str


class TrackedOrder(WireModel):
    order_id: str
    customer_id: str
    restaurant_id: str
    #: the order as the customer placed it (its own ``status`` stays "placed")
    order: Order
    #: where the order is now
    status: OrderStatus
    placed_at: int
    steps: OrderSteps = OrderSteps()
    prep_minutes: int | None = None
    estimated_ready_at: int | None = None
    pickup_address: Address | None = None
    reject_reason: str | None = None
    cancel_reason: str | None = None
    driver: TrackedDriver | None = None
    #: the timestamp of the last event applied to this order (from ``_v``)
    last_event_ms: int = 0

    @property
    def is_tracked(self) -> bool:
        """The kitchen accepted the order and it is not delivered yet: its driver (once
        assigned) is shown on the map."""
        return self.status in TRACKED

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def can_cancel(self) -> bool:
        """No decision of the kitchen is known yet (the cancel command's own rule)."""
        return self.status == "placed"

    def timeline(self) -> list[tuple[Step, int]]:
        """The steps reached, oldest first, as (step, epoch ms); steps of one moment in
        lifecycle order."""
        steps = self.steps.model_dump(by_alias=True)  # once, not once per step
        reached = [(step, int(at)) for step in STEPS if (at := steps.get(step)) is not None]
        return sorted(reached, key=lambda pair: (pair[1], STEPS.index(pair[0])))

    def step_at(self, step: Step) -> int | None:
        """When the order reached one step, if it did."""
        at = self.steps.model_dump(by_alias=True).get(step)
        return int(at) if at is not None else None

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> TrackedOrder | None:
        """The order, or None for a document that is not a whole order yet (a delivery
        event seen before its order, e.g. after a partial replay)."""
        if "order" not in doc or "status" not in doc:
            return None
        return cls.model_validate({**doc, "orderId": doc["_id"], "lastEventMs": version_ms(doc)})


class Position(WireModel):
    """The driver's last known position while delivering one order."""

    order_id: str
    driver_id: str
    location: GeoPoint
    #: when the driver's phone reported it (epoch ms)
    at: int

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Position:
        return cls.model_validate({**doc, "orderId": doc["_id"]})
