"""The kitchen's tickets: the board, the history, one ticket; accept, reject, mark ready.

Every field reads and acts for the signed-in restaurant only (its id comes from the
token); another restaurant's order is NotAllowed, an unknown one NotFound.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from bff.kit import problems
from bff.kit.outcomes import outcome
from bff.kit.permissions import IsAuthenticated
from bff.restaurant.api.context import KitchenContext
from bff.restaurant.api.loaders import load_ticket
from bff.restaurant.api.ticket_types import Board, DecisionType, TicketType
from bff.restaurant.tickets import Column

HISTORY_MAX = 200

DecisionResult = Annotated[
    DecisionType
    | problems.NotFound
    | problems.NotAllowed
    | problems.Conflict
    | problems.InvalidInput,
    strawberry.union("DecisionResult"),
]

Kitchen = Info[KitchenContext, None]
GUARDED: list[type[BasePermission]] = [IsAuthenticated]


@strawberry.type
class KitchenQuery:
    @strawberry.field(permission_classes=GUARDED, description="The active orders by column.")
    async def board(self, info: Kitchen) -> Board:
        columns = await info.context.queries.board(info.context.restaurant_id())

        def tickets(column: Column) -> list[TicketType]:
            return [TicketType.from_view(t) for t in columns[column]]

        return Board(
            new=tickets(Column.NEW),
            preparing=tickets(Column.PREPARING),
            ready=tickets(Column.READY),
            out_for_delivery=tickets(Column.OUT_FOR_DELIVERY),
        )

    @strawberry.field(
        permission_classes=GUARDED,
        description="Finished orders (delivered, cancelled, rejected), newest first.",
    )
    async def history(self, info: Kitchen, limit: int = 50) -> list[TicketType]:
        if not 1 <= limit <= HISTORY_MAX:
            raise problems.ExpectedError(f"limit must be between 1 and {HISTORY_MAX}")
        found = await info.context.queries.tickets(
            info.context.restaurant_id(), Column.DONE, limit=limit
        )
        return [TicketType.from_view(t) for t in found]

    @strawberry.field(permission_classes=GUARDED, description="One of this restaurant's orders.")
    async def ticket(self, info: Kitchen, order_id: strawberry.ID) -> TicketType | None:
        found = await load_ticket(info, str(order_id))
        return TicketType.from_view(found) if found is not None else None


@strawberry.type
class KitchenMutation:
    @strawberry.mutation(
        permission_classes=GUARDED,
        description="Accept a new order; it will be ready in prepMinutes (1-240).",
    )
    async def accept_order(
        self, info: Kitchen, order_id: strawberry.ID, prep_minutes: int
    ) -> DecisionResult:
        kitchen = info.context.commands.kitchen
        command = kitchen.accept(info.context.restaurant_id(), str(order_id), prep_minutes)
        return await outcome(command, DecisionType.from_decision)

    @strawberry.mutation(
        permission_classes=GUARDED,
        description="Turn a new order down, telling the customer why (1-200 characters).",
    )
    async def reject_order(
        self, info: Kitchen, order_id: strawberry.ID, reason: str
    ) -> DecisionResult:
        kitchen = info.context.commands.kitchen
        command = kitchen.reject(info.context.restaurant_id(), str(order_id), reason)
        return await outcome(command, DecisionType.from_decision)

    @strawberry.mutation(
        permission_classes=GUARDED, description="The food of an accepted order is ready."
    )
    async def mark_order_ready(self, info: Kitchen, order_id: strawberry.ID) -> DecisionResult:
        kitchen = info.context.commands.kitchen
        command = kitchen.mark_ready(info.context.restaurant_id(), str(order_id))
        return await outcome(command, DecisionType.from_decision)
