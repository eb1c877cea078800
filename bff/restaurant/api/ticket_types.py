"""GraphQL types of the kitchen's tickets and decisions (from ``bff.restaurant.tickets``
and ``bff.restaurant.kitchen``)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from bff.kit.snapshots import OrderLine
from bff.kit.values import Address, EpochMs, Money, maybe_ms
from bff.restaurant.api.loaders import load_ticket
from bff.restaurant.kitchen import Decision
from bff.restaurant.tickets import Column, Ticket, TicketDriver

# the board's columns are the GraphQL enum BoardColumn
strawberry.enum(Column, name="BoardColumn", description="A console column.")


@strawberry.enum(description="Where an order is in its life, as the kitchen sees it.")
class TicketStatus(Enum):
    PLACED = "placed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    READY = "ready"
    PICKED_UP = "picked-up"
    DELIVERED = "delivered"


@strawberry.enum(description="What the kitchen decided about an order.")
class DecisionStatus(Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    READY = "ready"


@strawberry.type(description="The driver who took the delivery.")
class Driver:
    id: strawberry.ID
    name: str
    vehicle: str

    @classmethod
    def from_view(cls, driver: TicketDriver) -> Driver:
        return cls(id=strawberry.ID(driver.id), name=driver.name, vehicle=driver.vehicle)


@strawberry.type(name="Ticket", description="An order placed with this restaurant.")
class TicketType:
    order_id: strawberry.ID
    status: TicketStatus
    column: Column
    customer_name: str
    items: list[OrderLine]
    subtotal: Money
    total: Money
    note: str | None
    delivery_address: Address
    placed_at: EpochMs
    accepted_at: EpochMs | None
    prep_minutes: int | None
    estimated_ready_at: EpochMs | None
    rejected_at: EpochMs | None
    reject_reason: str | None
    cancelled_at: EpochMs | None
    cancel_reason: str | None
    ready_at: EpochMs | None
    driver: Driver | None
    picked_up_at: EpochMs | None
    delivered_at: EpochMs | None
    updated_at: EpochMs = strawberry.field(
        description="when the last event about this order happened"
    )

    @strawberry.field(description="How many dishes, all lines together.")
    def item_count(self) -> int:
        return sum(item.quantity for item in self.items)

    @classmethod
    def from_view(cls, ticket: Ticket) -> TicketType:
        order = ticket.order
        return cls(
            order_id=strawberry.ID(ticket.order_id),
            status=TicketStatus(ticket.status),
            column=ticket.column,
            customer_name=order.customer_name,
            items=[OrderLine.from_wire(item) for item in order.items],
            subtotal=Money.from_wire(order.subtotal),
            total=Money.from_wire(order.total),
            note=order.note,
            delivery_address=Address.from_wire(order.delivery_address),
            placed_at=EpochMs(ticket.placed_at),
            accepted_at=maybe_ms(ticket.accepted_at),
            prep_minutes=ticket.prep_minutes,
            estimated_ready_at=maybe_ms(ticket.estimated_ready_at),
            rejected_at=maybe_ms(ticket.rejected_at),
            reject_reason=ticket.reject_reason,
            cancelled_at=maybe_ms(ticket.cancelled_at),
            cancel_reason=ticket.cancel_reason,
            ready_at=maybe_ms(ticket.ready_at),
            driver=Driver.from_view(ticket.driver) if ticket.driver else None,
            picked_up_at=maybe_ms(ticket.picked_up_at),
            delivered_at=maybe_ms(ticket.delivered_at),
            updated_at=EpochMs(ticket.last_event_ms or ticket.placed_at),
        )


@strawberry.type(description="The active columns of the console, each oldest first.")
class Board:
    new: list[TicketType]
    preparing: list[TicketType]
    ready: list[TicketType]
    out_for_delivery: list[TicketType]


@strawberry.type(
    name="KitchenDecision",
    description=(
        "The kitchen's decision, recorded and on its way to the customer. The ticket "
        "follows it a moment later (through the subscription)."
    ),
)
class DecisionType:
    order_id: strawberry.ID
    status: DecisionStatus
    decided_at: EpochMs
    prep_minutes: int | None
    estimated_ready_at: EpochMs | None
    reason: str | None
    ready_at: EpochMs | None
    restaurant_id: strawberry.Private[str]

    @strawberry.field(description="The ticket as the kitchen's view shows it right now.")
    async def ticket(self, info: Info[Any, None]) -> TicketType | None:
        ticket = await load_ticket(info, str(self.order_id))
        return TicketType.from_view(ticket) if ticket is not None else None

    @classmethod
    def from_decision(cls, decision: Decision) -> DecisionType:
        return cls(
            order_id=strawberry.ID(decision.order_id),
            status=DecisionStatus(decision.status),
            decided_at=EpochMs(decision.decided_at),
            prep_minutes=decision.prep_minutes,
            estimated_ready_at=maybe_ms(decision.estimated_ready_at),
            reason=decision.reason,
            ready_at=maybe_ms(decision.ready_at),
            restaurant_id=decision.restaurant_id,
        )
