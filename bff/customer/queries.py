"""Reads for the customer's app: the catalog (for everyone), orders and positions (only
the acting customer's own).

Single documents are read by ``_id`` (FerretDB's one indexed filter): a restaurant's menu,
an order, a position, also for the pages of a list (a gather of ``_id`` lookups). Lists
filter and sort on other fields: on FerretDB that scans the collection (acceptable for
lists shown on demand; MongoDB uses the listener's indexes).

Lists are paged by keyset: a page holds at most ``limit`` (1-50) entries, and the cursor
of the next page is an opaque string naming the last entry's sort key. A page is stable
under concurrent inserts (nothing is skipped or repeated when entries are added before
the cursor), unlike an offset. A cursor that was not handed out by these queries raises
``ValueError("invalid cursor")``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Sequence
from functools import cached_property
from typing import Any, TypeVar

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from adapters.store import Document
from bff.customer.catalog import CatalogRestaurant
from bff.customer.names import MENUS, ORDERS_VIEW, POSITIONS, RESTAURANTS
from bff.customer.tracking import Position, TrackedOrder

DEFAULT_LIMIT = 20
MAX_LIMIT = 50

_K = TypeVar("_K", str, int)

_RESTAURANTS_CURSOR = "r"
_ORDERS_CURSOR = "o"


class CustomerQueries:
    """Made for each request: a collection is looked up on first use only."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._db = db

    @cached_property
    def _restaurants(self) -> AsyncCollection[Document]:
        return self._db[RESTAURANTS]

    @cached_property
    def _menus(self) -> AsyncCollection[Document]:
        return self._db[MENUS]

    @cached_property
    def _orders(self) -> AsyncCollection[Document]:
        return self._db[ORDERS_VIEW]

    @cached_property
    def _positions(self) -> AsyncCollection[Document]:
        return self._db[POSITIONS]

    # --- the catalog ----------------------------------------------------------------------

    async def restaurants(
        self, *, open_only: bool = True, after: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> tuple[list[CatalogRestaurant], str | None]:
        """Restaurants by name (then id), with their menus; and the next page's cursor
        (None on the last page)."""
        _check_limit(limit)
        query: dict[str, Any] = {"isOpen": True} if open_only else {}
        if after is not None:
            name, restaurant_id = _decode(after, _RESTAURANTS_CURSOR, str)
            query["$or"] = [
                {"name": {"$gt": name}},
                {"name": name, "_id": {"$gt": restaurant_id}},
            ]
        cursor = (
            self._restaurants.find(query)
            .sort([("name", ASCENDING), ("_id", ASCENDING)])
            .limit(limit + 1)
        )
        docs = [doc async for doc in cursor]
        page = docs[:limit]
        menus = await asyncio.gather(*(self._menus.find_one({"_id": d["_id"]}) for d in page))
        found = [CatalogRestaurant.from_documents(d, m) for d, m in zip(page, menus, strict=True)]
        more = len(docs) > limit
        last = page[-1] if page else None
        next_cursor = (
            _encode(_RESTAURANTS_CURSOR, last["name"], last["_id"]) if more and last else None
        )
        return found, next_cursor

    async def restaurant(self, restaurant_id: str) -> CatalogRestaurant | None:
        """One restaurant (open or closed) with its menu; None if unknown."""
        doc, menu = await asyncio.gather(
            self._restaurants.find_one({"_id": restaurant_id}),
            self._menus.find_one({"_id": restaurant_id}),
        )
        return CatalogRestaurant.from_documents(doc, menu) if doc is not None else None

    # --- the customer's orders ------------------------------------------------------------

    async def orders(
        self, customer_id: str, *, after: str | None = None, limit: int = DEFAULT_LIMIT
    ) -> tuple[list[TrackedOrder], str | None]:
        """The customer's orders, newest first (by placedAt, then id); and the next page's
        cursor (None on the last page)."""
        _check_limit(limit)
        query: dict[str, Any] = {"customerId": customer_id, "order": {"$exists": True}}
        if after is not None:
            placed_at, order_id = _decode(after, _ORDERS_CURSOR, int)
            query["$or"] = [
                {"placedAt": {"$lt": placed_at}},
                {"placedAt": placed_at, "_id": {"$gt": order_id}},
            ]
        cursor = (
            self._orders.find(query)
            .sort([("placedAt", DESCENDING), ("_id", ASCENDING)])
            .limit(limit + 1)
        )
        docs = [doc async for doc in cursor]
        page = docs[:limit]
        found = [o for o in (TrackedOrder.from_document(d) for d in page) if o is not None]
        more = len(docs) > limit
        last = page[-1] if page else None
        next_cursor = (
            _encode(_ORDERS_CURSOR, last["placedAt"], last["_id"]) if more and last else None
        )
        return found, next_cursor

    async def order(self, customer_id: str, order_id: str) -> TrackedOrder | None:
        """The order, only if it is this customer's."""
        return (await self.orders_by_id(customer_id, [order_id]))[0]

    async def orders_by_id(
        self, customer_id: str, order_ids: Sequence[str]
    ) -> list[TrackedOrder | None]:
        """Orders in the order asked (None: unknown or another customer's); for loaders."""
        docs = await _by_ids(self._orders, order_ids)
        found = [TrackedOrder.from_document(doc) if doc is not None else None for doc in docs]
        return [o if o is not None and o.customer_id == customer_id else None for o in found]

    async def positions_by_order(
        self, customer_id: str, order_ids: Sequence[str]
    ) -> list[Position | None]:
        """The assigned driver's last position per order asked (None: none known, another
        customer's order, or a position of another driver than the one assigned). A
        delivered order keeps its last position; whether to show it is the caller's call
        (``TrackedOrder.is_tracked``)."""
        orders, docs = await asyncio.gather(
            self.orders_by_id(customer_id, list(order_ids)),
            _by_ids(self._positions, order_ids),
        )
        return [_shown(order, doc) for order, doc in zip(orders, docs, strict=True)]


async def _by_ids(
    collection: AsyncCollection[Document], ids: Sequence[str]
) -> list[Document | None]:
    """The documents with these ``_id``s, in the order asked (None: not found); one id (a
    request's usual batch) is read without a task of its own."""
    if len(ids) == 1:
        return [await collection.find_one({"_id": ids[0]})]
    return list(await asyncio.gather(*(collection.find_one({"_id": i}) for i in ids)))


def _shown(order: TrackedOrder | None, position: Document | None) -> Position | None:
    """A position is the customer's to see: their order, and its assigned driver's."""
    if order is None or position is None or order.driver is None:
        return None
    return Position.from_document(position) if position.get("driverId") == order.driver.id else None


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1 to {MAX_LIMIT}, got {limit!r}")


def _encode(kind: str, key: Any, doc_id: Any) -> str:
    raw = json.dumps([kind, key, doc_id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, kind: str, key_type: type[_K]) -> tuple[_K, str]:
    """(sort key, id) from a cursor of this kind; ValueError("invalid cursor") otherwise."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (UnicodeError, binascii.Error, ValueError):
        raise ValueError("invalid cursor") from None
    if (
        isinstance(value, list)
        and len(value) == 3
        and value[0] == kind
        and isinstance(value[1], key_type)
        and not isinstance(value[1], bool)
        and isinstance(value[2], str)
    ):
        return value[1], value[2]
    raise ValueError("invalid cursor")
