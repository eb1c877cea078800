"""The kitchen's ticket: one order as the restaurant's views know it, and its board column.

Tickets are written only by the listener (``bff.restaurant.listener``); commands and
queries read them. A document is stored in camelCase, with the order snapshot as placed
under ``order`` and the lifecycle fields beside it; ``_v`` is the listener's version
(``<timestamp>.<event id>`` of the last event applied).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from events import Order, OrderStatus
from events.wire import WireModel


class Column(StrEnum):
    """The console's columns; ``DONE`` holds finished tickets (history)."""

    NEW = "new"
    PREPARING = "preparing"
    READY = "ready"
    OUT_FOR_DELIVERY = "out-for-delivery"
    DONE = "done"


#: which ticket statuses each column shows
COLUMN_STATUSES: dict[Column, tuple[OrderStatus, ...]] = {
    Column.NEW: ("placed",),
    Column.PREPARING: ("accepted",),
    Column.READY: ("ready",),
    Column.OUT_FOR_DELIVERY: ("picked-up",),
    Column.DONE: ("delivered", "cancelled", "rejected"),
}
#: the columns a kitchen works from (DONE is history)
ACTIVE_COLUMNS = (Column.NEW, Column.PREPARING, Column.READY, Column.OUT_FOR_DELIVERY)


def column_of(status: OrderStatus) -> Column:
    return next(column for column, states in COLUMN_STATUSES.items() if status in states)


class TicketDriver(WireModel):
    id: str
    name: str
    vehicle: str


class Ticket(WireModel):
    order_id: str
    restaurant_id: str
    status: OrderStatus
    #: the order as the customer placed it (its own ``status`` stays "placed")
    order: Order
    placed_at: int
    #: the order-placed event: what a kitchen decision is caused by and correlated with
    placed_event_id: str | None = None
    correlation_id: str | None = None
    accepted_at: int | None = None
    prep_minutes: int | None = None
    estimated_ready_at: int | None = None
    rejected_at: int | None = None
    reject_reason: str | None = None
    cancelled_at: int | None = None
    cancel_reason: str | None = None
    ready_at: int | None = None
    driver: TicketDriver | None = None
    driver_assigned_at: int | None = None
    picked_up_at: int | None = None
    delivered_at: int | None = None
    updated_at: int | None = None
    #: the timestamp of the last event applied to this ticket (from ``_v``)
    last_event_ms: int = 0

    @property
    def column(self) -> Column:
        return column_of(self.status)

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Ticket | None:
        """The ticket, or None for a document that is not a whole ticket yet (a delivery
        event seen before its order, e.g. after a partial replay)."""
        if "order" not in doc or "status" not in doc:
            return None
        version = str(doc.get("_v", "0."))
        return cls.model_validate(
            {**doc, "orderId": doc["_id"], "lastEventMs": int(version.split(".")[0] or 0)}
        )
