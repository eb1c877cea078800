"""The console's one subscription: everything that changes for the signed-in restaurant.

It follows the ``restaurant:<id>`` notifications (the listener's ticket and menu-view
writes, the profile commands' changes) and sends each as a ``KitchenUpdate``: a ticket
change carries the ticket as the view holds it now. ``RESYNC`` means updates may have
been lost (Redis reconnected): refetch the board.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from bff.kit.permissions import IsAuthenticated
from bff.restaurant.api.context import KitchenContext
from bff.restaurant.api.loaders import load_ticket
from bff.restaurant.api.ticket_types import TicketType
from bff.restaurant.names import MENU_VIEWS, RESTAURANTS, TICKETS, scope


@strawberry.enum(description="What changed.")
class UpdateKind(Enum):
    TICKET = "ticket"
    RESTAURANT = "restaurant"
    POPULARITY = "popularity"
    RESYNC = "resync"


@strawberry.type(description="A change to the restaurant's data, pushed live.")
class KitchenUpdate:
    kind: UpdateKind
    event_type: str | None = strawberry.field(description="the event that caused it")
    ticket: TicketType | None = strawberry.field(description="the changed ticket (TICKET)")


KIND_OF_VIEW = {
    TICKETS: UpdateKind.TICKET,
    RESTAURANTS: UpdateKind.RESTAURANT,
    MENU_VIEWS: UpdateKind.POPULARITY,
}


@strawberry.type(name="Subscription")
class KitchenSubscription:
    @strawberry.subscription(permission_classes=[IsAuthenticated])
    async def kitchen(
        self, info: Info[KitchenContext, None]
    ) -> AsyncGenerator[KitchenUpdate, None]:
        """Live changes to this restaurant's tickets, profile and popularity."""
        restaurant_id = info.context.restaurant_id()
        # one console gets every ticket change of its restaurant: the tickets of changes
        # already waiting are read side by side (LiveHub.updates), still sent in order
        async for update in info.context.live.updates(
            scope(restaurant_id), lambda message: as_update(info, message)
        ):
            if update is not None:
                yield update


async def as_update(info: Info[Any, Any], message: Mapping[str, Any]) -> KitchenUpdate | None:
    if message.get("type") == "resync":
        return KitchenUpdate(kind=UpdateKind.RESYNC, event_type=None, ticket=None)
    kind = KIND_OF_VIEW.get(str(message.get("view")))
    event_type = message.get("type")
    event_type = event_type if isinstance(event_type, str) else None
    if kind is None:
        return None
    if kind is not UpdateKind.TICKET:
        return KitchenUpdate(kind=kind, event_type=event_type, ticket=None)
    order_id = message.get("id")
    ticket = await load_ticket(info, order_id) if isinstance(order_id, str) else None
    if ticket is None:  # not a whole ticket yet, or not this restaurant's
        return None
    return KitchenUpdate(kind=kind, event_type=event_type, ticket=TicketType.from_view(ticket))
