"""The customer's commands: place an order, cancel it, record a menu view.

- ``place_order`` prices the cart from this BFF's own ``restaurants`` and ``menus`` views
  at that moment (never from the app): the restaurant must be open, every item on its menu
  and available, quantities 1-99, the address within delivery range. The order entity is
  *inserted* with its ``order-placed`` event (outbox). With the app's request key the
  order id is derived from it, so a retried or double-clicked request places one order.
  The delivery address is remembered for next time, beside the order's write (best
  effort: when its document stays busy, the placed order is still answered as placed).
- ``cancel_order``: only the customer's own order, and only while no kitchen decision is
  known (the ``orders_view`` still says "placed"). If the kitchen accepts at the same
  moment, both facts reach the hub and the first in the order's partition wins in every
  view (DESIGN.md "Order lifecycle and races").
- ``record_menu_view``: ``menu-viewed`` for the restaurant's popularity and the lake.

Each raises a ``bff.kit.failures.CommandFailed`` having written nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError
from ulid import ULID

from adapters.store import Document
from bff.customer.names import CUSTOMERS, MENUS, ORDERS, ORDERS_VIEW, RESTAURANTS, SERVICE, actor
from bff.kit import inputs
from bff.kit.clock import Clock, causal_now, system_clock
from bff.kit.commandlock import busy_as_failure, one_command_at_a_time
from bff.kit.doclock import DocumentLocks
from bff.kit.failures import Busy, InvalidInput, InvalidState, NotFound
from bff.kit.geo import distance_km
from bff.kit.outbox import Outbox
from events import (
    Address,
    Menu,
    MenuView,
    MenuViewed,
    Money,
    Order,
    OrderCancelled,
    OrderItem,
    OrderPlaced,
    Restaurant,
)

log = logging.getLogger(__name__)

#: most lines in one cart, and most portions of one item
MAX_LINES = 30
MAX_QUANTITY = 99
NOTE_MAX = 200
#: the reason a cancel gives when the customer gives none
REASON_DEFAULT = "Cancelled by the customer"
#: how far a restaurant delivers, and what it costs: a base fee plus a fee per started km
MAX_DISTANCE_KM = 15.0
BASE_FEE_CENTS = 199
FEE_PER_KM_CENTS = 50
FREE_KM = 2.0


@dataclass(frozen=True, slots=True)
class CartLine:
    menu_item_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Customer:
    """The acting customer, from their token."""

    id: str
    name: str


def delivery_fee_cents(km: float) -> int:
    """The base fee, plus a fee for each started kilometre beyond the first two."""
    return BASE_FEE_CENTS + FEE_PER_KM_CENTS * math.ceil(max(0.0, km - FREE_KM))


class OrderingCommands:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        outbox: Outbox,
        locks: DocumentLocks,
        *,
        clock: Clock = system_clock,
        region: str = "local",
    ) -> None:
        self._orders = db[ORDERS]
        self._customers = db[CUSTOMERS]
        self._restaurants = db[RESTAURANTS]
        self._menus = db[MENUS]
        self._orders_view = db[ORDERS_VIEW]
        self._outbox = outbox
        self._locks = locks
        self._clock = clock
        self._region = region

    async def place_order(
        self,
        customer: Customer,
        restaurant_id: str,
        lines: Sequence[CartLine],
        address: Address | Mapping[str, Any],
        *,
        note: str | None = None,
        request_key: str | None = None,
    ) -> Order:
        """Place the cart as an order; returns it as placed (once per request key)."""
        restaurant_id = inputs.identifier("restaurantId", restaurant_id)
        cart = _cart(lines)
        where = inputs.address("deliveryAddress", address)
        note = inputs.optional_text("note", note, max_length=NOTE_MAX)
        key = inputs.identifier("requestKey", request_key) if request_key is not None else None
        order_id = _order_id(customer.id, key)
        if key is not None and (earlier := await self._orders.find_one({"_id": order_id})):
            return Order.model_validate(earlier["order"])  # the same request, again

        restaurant, menu = await self._open_restaurant(restaurant_id)
        items = _priced(cart, menu)
        km = distance_km(restaurant.address.location, where.location)
        if km > MAX_DISTANCE_KM:
            raise InvalidInput(
                "deliveryAddress",
                f"is {km:.1f} km from {restaurant.name}, which delivers up to "
                f"{MAX_DISTANCE_KM:.0f} km",
            )
        currency = items[0].unit_price.currency
        subtotal = sum(item.unit_price.amount * item.quantity for item in items)
        fee = delivery_fee_cents(km)
        now = self._clock()
        order = Order(
            id=order_id,
            customer_id=customer.id,
            customer_name=inputs.text("name", customer.name, max_length=inputs.NAME_MAX),
            restaurant_id=restaurant.id,
            restaurant_name=restaurant.name,
            items=items,
            subtotal=Money(amount=subtotal, currency=currency),
            delivery_fee=Money(amount=fee, currency=currency),
            total=Money(amount=subtotal + fee, currency=currency),
            delivery_address=where,
            status="placed",
            placed_at=now,
            note=note,
        )
        event = OrderPlaced.record(
            order=order,
            source=SERVICE,
            actor=actor(customer.id),
            region=self._region,
            now_ms=now,
        )
        entity = {
            "_id": order.id,
            "order": order.model_dump(mode="json", by_alias=True),
            "customerId": customer.id,
            "status": "placed",
            "placedEventId": event.id,
            "correlationId": event.tags.correlation_id,
            "lastEventMs": now,
            "requestKey": key,
        }
        # the order and the remembered address are two documents: written side by side
        inserted, remembered = await asyncio.gather(
            self._insert(entity, event), self._remember(customer, where), return_exceptions=True
        )
        if isinstance(inserted, DuplicateKeyError):
            earlier = await self._orders.find_one({"_id": order.id})
            if earlier is None:  # pragma: no cover (an order is never deleted)
                raise inserted
            return Order.model_validate(earlier["order"])
        if isinstance(inserted, BaseException):
            raise inserted
        if isinstance(remembered, Busy | PyMongoError):
            # the order is placed: a "busy" answer would make the app place it again
            log.warning("order %s placed; its address not remembered: %r", order.id, remembered)
        elif isinstance(remembered, BaseException):
            raise remembered
        return order

    async def _insert(self, entity: Document, event: OrderPlaced) -> None:
        with busy_as_failure():
            await self._outbox.insert(self._orders, entity, [event])

    async def cancel_order(
        self, customer_id: str, order_id: str, reason: str = REASON_DEFAULT
    ) -> OrderCancelled:
        """Cancel the customer's own order while the kitchen has not decided yet; returns
        the order-cancelled event recorded."""
        order_id = inputs.identifier("orderId", order_id)
        why = inputs.text("reason", reason, max_length=inputs.REASON_MAX)
        async with one_command_at_a_time(self._locks, self._orders, order_id):
            entity = await self._orders.find_one({"_id": order_id})
            if entity is None or entity.get("customerId") != customer_id:
                raise NotFound(f"order {order_id!r} was not found")
            if entity.get("status") == "cancelled":
                raise InvalidState("the order is cancelled already")
            view = await self._orders_view.find_one({"_id": order_id})
            status = view.get("status", "placed") if view is not None else "placed"
            if status != "placed":
                raise InvalidState(_too_late(status))
            seen = int(str((view or {}).get("_v", "0.")).split(".")[0] or 0)
            now = causal_now(self._clock, max(int(entity.get("lastEventMs", 0)), seen))
            order = Order.model_validate(entity["order"]).model_copy(update={"status": "cancelled"})
            event = OrderCancelled.record(
                order=order,
                reason=why,
                source=SERVICE,
                actor=actor(customer_id),
                region=self._region,
                correlation_id=entity.get("correlationId"),
                causation_id=entity.get("placedEventId"),
                now_ms=now,
            )
            await self._outbox.update(
                self._orders,
                {"_id": order_id},
                {"$set": {"status": "cancelled", "cancelReason": why, "lastEventMs": now}},
                [event],
            )
        return event

    async def record_menu_view(self, customer: Customer, restaurant_id: str) -> None:
        """The customer opened a restaurant's menu (``menu-viewed``)."""
        restaurant_id = inputs.identifier("restaurantId", restaurant_id)
        if await self._restaurants.find_one({"_id": restaurant_id}) is None:
            raise NotFound(f"restaurant {restaurant_id!r} was not found")
        event = MenuViewed.record(
            view=MenuView(restaurant_id=restaurant_id, customer_id=customer.id),
            source=SERVICE,
            actor=actor(customer.id),
            region=self._region,
            now_ms=self._clock(),
        )
        with busy_as_failure():
            await self._outbox.update(
                self._customers,
                {"_id": customer.id},
                {"$inc": {"menuViews": 1}, "$set": {"name": customer.name}},
                [event],
                upsert=True,
            )

    async def _open_restaurant(self, restaurant_id: str) -> tuple[Restaurant, Menu]:
        doc, menu_doc = await asyncio.gather(
            self._restaurants.find_one({"_id": restaurant_id}),
            self._menus.find_one({"_id": restaurant_id}),
        )
        if doc is None:
            raise NotFound(f"restaurant {restaurant_id!r} was not found")
        restaurant = Restaurant.model_validate(doc["restaurant"])
        if not restaurant.is_open:
            raise InvalidState(f"{restaurant.name} is closed right now")
        if menu_doc is None:
            raise InvalidState(f"{restaurant.name} has no menu yet")
        return restaurant, Menu.model_validate(menu_doc["menu"])

    async def _remember(self, customer: Customer, address: Address) -> None:
        """Keep the delivery address for the customer's next order (under the document's
        write lock: FerretDB loses concurrent writes to one document otherwise)."""
        with busy_as_failure():
            await self._outbox.update(
                self._customers,
                {"_id": customer.id},
                {
                    "$set": {
                        "name": customer.name,
                        "lastAddress": address.model_dump(mode="json", by_alias=True),
                    }
                },
                [],
                upsert=True,
            )


def _cart(lines: Sequence[CartLine]) -> list[CartLine]:
    """The lines, checked, with repeated items merged (first position kept)."""
    if not lines:
        raise InvalidInput("items", "the cart is empty")
    if len(lines) > MAX_LINES:
        raise InvalidInput("items", f"a cart holds at most {MAX_LINES} different items")
    merged: dict[str, int] = {}
    for i, line in enumerate(lines):
        item_id = inputs.identifier(f"items.{i}.menuItemId", line.menu_item_id)
        quantity = inputs.whole_number(
            f"items.{i}.quantity", line.quantity, low=1, high=MAX_QUANTITY
        )
        merged[item_id] = merged.get(item_id, 0) + quantity
        if merged[item_id] > MAX_QUANTITY:
            raise InvalidInput(f"items.{i}.quantity", f"at most {MAX_QUANTITY} of one item")
    return [CartLine(item_id, quantity) for item_id, quantity in merged.items()]


def _priced(cart: Sequence[CartLine], menu: Menu) -> list[OrderItem]:
    """Each line with the menu's name and price now; unknown or sold-out items refused."""
    by_id = {item.id: item for item in menu.items}
    priced = []
    for i, line in enumerate(cart):
        item = by_id.get(line.menu_item_id)
        if item is None:
            raise InvalidInput(f"items.{i}.menuItemId", "is not on the menu (any more)")
        if not item.available:
            raise InvalidInput(f"items.{i}.menuItemId", f"{item.name} is sold out")
        priced.append(
            OrderItem(
                menu_item_id=item.id,
                name=item.name,
                quantity=line.quantity,
                unit_price=item.price,
            )
        )
    if len({item.unit_price.currency for item in priced}) > 1:  # pragma: no cover
        raise InvalidState("the menu mixes currencies")
    return priced


def _order_id(customer_id: str, request_key: str | None) -> str:
    """A new order id; derived from the request key when the app sent one."""
    if request_key is None:
        return f"o-{str(ULID()).lower()}"
    digest = hashlib.sha256(f"{customer_id}\n{request_key}".encode()).hexdigest()
    return f"o-{digest[:26]}"


def _too_late(status: str) -> str:
    return {
        "accepted": "the restaurant has accepted the order; it can no longer be cancelled",
        "rejected": "the restaurant has rejected the order already",
        "cancelled": "the order is cancelled already",
    }.get(status, f"the order is {status} already; it can no longer be cancelled")
