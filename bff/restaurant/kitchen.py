"""The kitchen's decisions on orders: accept (with a prep time), reject (with a reason),
mark ready.

A decision is this BFF's own entity: one document per order in ``decisions`` (``_id`` =
order id) with its outbox. The order itself is known from the ``tickets`` view, so a
command first checks the ticket: it must be the acting restaurant's, and "placed" to be
accepted or rejected. Exactly one accept-or-reject per order, however many arrive at once:
the decision is *inserted*, and a second insert of the same ``_id`` fails and writes
nothing. Marking ready changes the decision under its command lock, only after this
restaurant accepted the order.

The ticket view may lag (an order cancelled a moment ago may still show "placed"): then
the decision is published and the hub settles the race by partition order, the first of
order-cancelled and order-accepted winning in every view (docs/restaurant.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Literal

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from adapters.store import Document
from bff.kit import inputs
from bff.kit.clock import Clock, causal_now, system_clock
from bff.kit.commandlock import busy_as_failure, one_command_at_a_time
from bff.kit.doclock import DocumentLocks
from bff.kit.failures import InvalidState, NotAllowed, NotFound
from bff.kit.outbox import Outbox
from bff.restaurant.names import DECISIONS, RESTAURANTS, SERVICE, TICKETS, actor
from bff.restaurant.profile import RestaurantProfile
from bff.restaurant.tickets import Ticket
from events import Address, Event, Order, OrderAccepted, OrderReady, OrderRejected
from events.wire import WireModel

DecisionStatus = Literal["accepted", "rejected", "ready"]
MINUTE_MS = 60_000


class Decision(WireModel):
    """What the kitchen decided about one order, and the last event that recorded it."""

    order_id: str
    restaurant_id: str
    status: DecisionStatus
    #: the order as the last event carried it (its status is the decision's)
    order: Order
    decided_at: int
    prep_minutes: int | None = None
    estimated_ready_at: int | None = None
    reason: str | None = None
    ready_at: int | None = None
    event_id: str
    correlation_id: str
    last_event_ms: int

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Decision:
        return cls.model_validate({**doc, "orderId": doc["_id"]})

    def to_document(self) -> Document:
        doc = self.model_dump(mode="json", by_alias=True, exclude={"order_id"})
        return {"_id": self.order_id, **doc}


class KitchenCommands:
    """The restaurant's verbs on the orders placed with it."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        outbox: Outbox,
        locks: DocumentLocks,
        *,
        clock: Clock = system_clock,
        region: str = "local",
    ) -> None:
        self._tickets = db[TICKETS]
        self._decisions = db[DECISIONS]
        self._restaurants = db[RESTAURANTS]
        self._outbox = outbox
        self._locks = locks
        self._clock = clock
        self._region = region

    async def accept(self, restaurant_id: str, order_id: str, prep_minutes: int) -> Decision:
        """Accept a new order, ready in ``prep_minutes`` (1-240): order-accepted with the
        estimated ready time and the restaurant's address for the driver."""
        prep = inputs.whole_number("prepMinutes", prep_minutes, low=1, high=240)
        # both reads at once; the ticket's refusal, if any, comes first
        ticket, pickup = await asyncio.gather(
            self._undecided_ticket(restaurant_id, order_id),
            self._pickup_address(restaurant_id),
            return_exceptions=True,
        )
        if isinstance(ticket, BaseException):
            raise ticket
        if isinstance(pickup, BaseException):
            raise pickup
        now = causal_now(self._clock, ticket.last_event_ms)
        order = ticket.order.model_copy(update={"status": "accepted"})
        event = OrderAccepted.record(
            order=order,
            estimated_ready_at=now + prep * MINUTE_MS,
            prep_minutes=prep,
            pickup_address=pickup,
            **self._story(ticket, now),
        )
        return await self._decide(
            event,
            ticket,
            prep_minutes=prep,
            estimated_ready_at=event.estimated_ready_at,
        )

    async def reject(self, restaurant_id: str, order_id: str, reason: str) -> Decision:
        """Turn a new order down, telling the customer why (1-200 characters)."""
        why = inputs.text("reason", reason, max_length=inputs.REASON_MAX)
        ticket = await self._undecided_ticket(restaurant_id, order_id)
        now = causal_now(self._clock, ticket.last_event_ms)
        order = ticket.order.model_copy(update={"status": "rejected"})
        event = OrderRejected.record(order=order, reason=why, **self._story(ticket, now))
        return await self._decide(event, ticket, reason=why)

    async def mark_ready(self, restaurant_id: str, order_id: str) -> Decision:
        """The food is ready for its driver: order-ready, only after this kitchen accepted."""
        order_id = inputs.identifier("orderId", order_id)
        async with one_command_at_a_time(self._locks, self._decisions, order_id):
            ticket = await self._own_ticket(restaurant_id, order_id)
            doc = await self._decisions.find_one({"_id": order_id})
            decision = _accepted(ticket, Decision.from_document(doc) if doc else None)
            now = causal_now(self._clock, max(ticket.last_event_ms, decision.last_event_ms))
            order = decision.order.model_copy(update={"status": "ready"})
            event = OrderReady.record(
                order=order,
                source=SERVICE,
                actor=actor(restaurant_id),
                region=self._region,
                correlation_id=decision.correlation_id,
                causation_id=decision.event_id,
                now_ms=now,
            )
            ready = decision.model_copy(
                update={
                    "status": "ready",
                    "order": order,
                    "ready_at": now,
                    "event_id": event.id,
                    "last_event_ms": now,
                }
            )
            changed = {k: v for k, v in ready.to_document().items() if k != "_id"}
            written = await self._outbox.update(
                self._decisions, {"_id": order_id}, {"$set": changed}, [event]
            )
        if written is None:  # deleted meanwhile (not something the BFF does)
            raise NotFound(f"order {order_id!r} has no decision")
        return ready

    async def _own_ticket(self, restaurant_id: str, order_id: str) -> Ticket:
        order_id = inputs.identifier("orderId", order_id)
        doc = await self._tickets.find_one({"_id": order_id})
        ticket = Ticket.from_document(doc) if doc is not None else None
        if ticket is None:
            raise NotFound(f"order {order_id!r} was not found")
        if ticket.restaurant_id != restaurant_id:
            raise NotAllowed(f"order {order_id!r} was placed with another restaurant")
        return ticket

    async def _undecided_ticket(self, restaurant_id: str, order_id: str) -> Ticket:
        ticket = await self._own_ticket(restaurant_id, order_id)
        if ticket.status == "cancelled":
            raise InvalidState(f"order {ticket.order_id!r} was cancelled by the customer")
        if ticket.status != "placed":
            raise InvalidState(f"order {ticket.order_id!r} was already {ticket.status}")
        return ticket

    async def _pickup_address(self, restaurant_id: str) -> Address:
        doc = await self._restaurants.find_one({"_id": restaurant_id})
        if doc is None:
            raise InvalidState("set up your restaurant's profile and address before accepting")
        return RestaurantProfile.from_document(doc).restaurant.address

    def _story(self, ticket: Ticket, now: int) -> dict[str, Any]:
        """Tags of a decision: caused by the order-placed event, in its correlation."""
        return {
            "source": SERVICE,
            "actor": actor(ticket.restaurant_id),
            "region": self._region,
            "correlation_id": ticket.correlation_id,
            "causation_id": ticket.placed_event_id,
            "now_ms": now,
        }

    async def _decide(
        self, event: OrderAccepted | OrderRejected, ticket: Ticket, **details: Any
    ) -> Decision:
        """Insert the one decision of this order with its event; a second one fails."""
        decision = Decision(
            order_id=ticket.order_id,
            restaurant_id=ticket.restaurant_id,
            status=event.order.status,
            order=event.order,
            decided_at=event.timestamp,
            event_id=event.id,
            correlation_id=event.tags.correlation_id,
            last_event_ms=event.timestamp,
            **details,
        )
        events: list[Event] = [event]
        try:
            with busy_as_failure():
                await self._outbox.insert(self._decisions, decision.to_document(), events)
        except DuplicateKeyError:
            doc = await self._decisions.find_one({"_id": ticket.order_id})
            earlier = Decision.from_document(doc).status if doc is not None else "decided"
            raise InvalidState(f"order {ticket.order_id!r} was already {earlier}") from None
        return decision


def _accepted(ticket: Ticket, decision: Decision | None) -> Decision:
    """The decision if the order can be marked ready now; InvalidState saying why not."""
    order_id = ticket.order_id
    if ticket.status == "cancelled":
        raise InvalidState(f"order {order_id!r} was cancelled by the customer")
    if decision is None:
        raise InvalidState(f"accept order {order_id!r} before marking it ready")
    if decision.status == "rejected":
        raise InvalidState(f"order {order_id!r} was rejected")
    if decision.status == "ready":
        raise InvalidState(f"order {order_id!r} is already marked ready")
    if ticket.status not in ("placed", "accepted"):  # "placed": the view has not caught up
        raise InvalidState(f"order {order_id!r} was already {ticket.status}")
    return decision
