"""Reads for the kitchen console, always for one restaurant (the acting one).

A ticket is looked up by ``_id`` (FerretDB's one indexed filter). Lists of a restaurant's
tickets or menu views filter on ``restaurantId``: on FerretDB that scans the collection
(acceptable for lists shown on demand; MongoDB uses the listener's indexes).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from adapters.store import Document
from bff.restaurant.names import MENU_VIEWS, RESTAURANTS, TICKETS
from bff.restaurant.profile import RestaurantProfile
from bff.restaurant.tickets import ACTIVE_COLUMNS, COLUMN_STATUSES, Column, Ticket

#: at most this many finished tickets are listed (newest first)
DONE_LIMIT = 50
#: statuses whose orders count for item popularity (the customer got, or gets, the food)
ORDERED = ("accepted", "ready", "picked-up", "delivered")


@dataclass(frozen=True, slots=True)
class ItemPopularity:
    menu_item_id: str
    name: str
    quantity: int
    orders: int


@dataclass(frozen=True, slots=True)
class Popularity:
    """How much customers look at and order from one restaurant."""

    restaurant_id: str
    #: menu views in total, and how many different customers viewed
    menu_views: int
    viewers: int
    #: orders the kitchen accepted (including those since ready, picked up, delivered)
    orders: int
    #: the most ordered items, most first
    items: list[ItemPopularity]


class RestaurantQueries:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._tickets = db[TICKETS]
        self._menu_views = db[MENU_VIEWS]
        self._restaurants = db[RESTAURANTS]

    async def tickets(
        self, restaurant_id: str, column: Column, *, limit: int = DONE_LIMIT
    ) -> list[Ticket]:
        """One column: active ones oldest first (the kitchen's queue), DONE newest first."""
        newest_first = column is Column.DONE
        cursor = (
            self._tickets.find(
                {"restaurantId": restaurant_id, "status": {"$in": list(COLUMN_STATUSES[column])}}
            )
            .sort([("placedAt", DESCENDING if newest_first else ASCENDING), ("_id", ASCENDING)])
            .limit(limit if newest_first else 0)
        )
        return _tickets([doc async for doc in cursor])

    async def board(self, restaurant_id: str) -> dict[Column, list[Ticket]]:
        """Every active column in one read, each oldest first."""
        statuses = [s for column in ACTIVE_COLUMNS for s in COLUMN_STATUSES[column]]
        cursor = self._tickets.find(
            {"restaurantId": restaurant_id, "status": {"$in": statuses}}
        ).sort([("placedAt", ASCENDING), ("_id", ASCENDING)])
        board: dict[Column, list[Ticket]] = {column: [] for column in ACTIVE_COLUMNS}
        for ticket in _tickets([doc async for doc in cursor]):
            board[ticket.column].append(ticket)
        return board

    async def ticket(self, restaurant_id: str, order_id: str) -> Ticket | None:
        """The ticket, only if it is this restaurant's."""
        return (await self.tickets_by_id(restaurant_id, [order_id]))[0]

    async def tickets_by_id(
        self, restaurant_id: str, order_ids: Sequence[str]
    ) -> list[Ticket | None]:
        """Tickets in the order asked (None: unknown or another restaurant's); for loaders."""
        docs = await asyncio.gather(*(self._tickets.find_one({"_id": i}) for i in order_ids))
        found = [Ticket.from_document(doc) if doc is not None else None for doc in docs]
        return [t if t is not None and t.restaurant_id == restaurant_id else None for t in found]

    async def profile(self, restaurant_id: str) -> RestaurantProfile | None:
        """The restaurant's details and menu, as it last saved them."""
        doc = await self._restaurants.find_one({"_id": restaurant_id})
        return RestaurantProfile.from_document(doc) if doc is not None else None

    async def popularity(self, restaurant_id: str, *, top: int = 10) -> Popularity:
        """Menu views (from menu-viewed) and the most ordered items (from the tickets)."""
        views = [
            doc
            async for doc in self._menu_views.find({"restaurantId": restaurant_id}, {"views": 1})
        ]
        ordered = [
            doc
            async for doc in self._tickets.find(
                {"restaurantId": restaurant_id, "status": {"$in": list(ORDERED)}},
                {"order.items": 1},
            )
        ]
        quantities: Counter[str] = Counter()
        orders: Counter[str] = Counter()
        names: dict[str, str] = {}
        for doc in ordered:
            for item in doc.get("order", {}).get("items", []):
                item_id = item["menuItemId"]
                quantities[item_id] += item["quantity"]
                orders[item_id] += 1
                names.setdefault(item_id, item["name"])
        items = [
            ItemPopularity(item_id, names[item_id], quantity, orders[item_id])
            for item_id, quantity in sorted(quantities.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return Popularity(
            restaurant_id=restaurant_id,
            menu_views=sum(int(doc.get("views", 0)) for doc in views),
            viewers=len(views),
            orders=len(ordered),
            items=items[:top],
        )


def _tickets(docs: Iterable[Document]) -> list[Ticket]:
    return [t for t in (Ticket.from_document(doc) for doc in docs) if t is not None]
