"""``CUSTOMER``: upstream events -> the customer app's views (names.py has their shapes).

- ``restaurants`` and ``menus``: the catalog, one document per restaurant in each, from
  restaurant-updated/-opened/-closed and menu-updated. Menus live apart on purpose: a
  restaurant registering publishes its restaurant-updated and menu-updated in the same
  millisecond, and one shared document's ``_v`` guard could drop one of them for good. Both notify
  ``customers:catalog`` (every customer's app may show any restaurant).
- ``orders_view``: one per order, moved through its lifecycle, with the time of each step
  (``steps``) for the app's timeline. Of order-accepted, order-rejected and
  order-cancelled the first in the order's partition wins (each applies only ``when`` the
  order is still "placed"), as in every other BFF's views. order-placed is this BFF's own
  event, consumed anyway: the view must be rebuildable from the lake with these rules
  alone (the ``orders`` entity is not a view).
- ``positions``: the last position a driver reported for an order (any driver, any time).

Every order and position write notifies ``customer:<id>``, the scope the customer's app
subscribes to.

The kitchen's decision and the customer's cancel race, and the first in the partition
wins (ordered writes). The steps after it (order-ready from the kitchen, delivery-accepted,
-picked-up, -delivered from the driver) are unordered writes kept in order by their state
conditions: a driver's delivery-accepted and the kitchen's order-ready are concurrent, and
their timestamps (two services' clocks and relays) may disagree with partition order
(docs/listeners.md). They carry no "updated at" stamp: an unordered write must be
idempotent.

A driver's position (driver-location-changed, partitioned by driver) carries the order it
is for, and is stored as is: what a position document holds depends only on that
driver's events, never on the order's state in ``orders_view``, which lives in another
partition and may be ahead or behind (a replay from the lake, reading partitions in
another interleaving, would otherwise keep other positions than the live view did). The
query decides what a customer sees: only for their own order, only the assigned driver's
position, only while the order is on its way (``CustomerQueries.positions_by_order``).
The rule reads the order only to learn whom to notify, and only once per order and
process: an order's customer never changes, so ``CUSTOMER_OF`` remembers it from every
order event this process applies and from each read (bounded). About a third of all events
are positions; reading the order for each one cost the listener a fifth of its throughput
(bench/listener_throughput.py).

Skipped on purpose:

- ``menu-viewed``: this BFF's own fact for the restaurant's popularity and the lake; the
  command counts the customer's views on the ``customers`` entity itself, and no view of
  this BFF needs it.
- ``driver-status-changed``: a driver going online, offline or busy concerns no one
  customer; it names no order. A customer follows only the driver of their own order,
  through the delivery events and the positions tagged with that order.
- ``fault`` and anything a newer catalog adds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from bff.customer.names import (
    CATALOG_SCOPE,
    DATABASE,
    MENUS,
    ORDERS_VIEW,
    POSITIONS,
    RESTAURANTS,
    scope,
)
from events import (
    Delivery,
    DeliveryAccepted,
    DriverLocationChanged,
    Event,
    MenuUpdated,
    Order,
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderPickedUp,
    OrderPlaced,
    OrderReady,
    OrderRejected,
    RestaurantClosed,
    RestaurantOpened,
    RestaurantUpdated,
)
from listeners.lifecycle import DELIVERABLE, PICKABLE, READYABLE, STILL_PLACED, as_placed
from listeners.rules import Handler, Listener, ViewWrite
from listeners.views import Views

NAME = "bff-customer.listener"


class CustomerOf:
    """Whose order an order id is, as this process learned it (bounded; the oldest entry
    goes first). An order's customer never changes, so an entry is never stale."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self.max_entries = max_entries
        self._customers: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._customers)

    def get(self, order_id: str) -> str | None:
        return self._customers.get(order_id)

    def remember(self, order_id: str, customer_id: str) -> None:
        if order_id in self._customers:
            return
        if len(self._customers) >= self.max_entries:
            del self._customers[next(iter(self._customers))]
        self._customers[order_id] = customer_id


#: order id -> customer id, for the position rule (filled by every order write)
CUSTOMER_OF = CustomerOf()


def order_fields(order: Order) -> dict[str, Any]:
    """What every order event knows about its order: enough to create the view document
    if the order-placed event was never seen (a document must stand on its own)."""
    return {
        "customerId": order.customer_id,
        "restaurantId": order.restaurant_id,
        "order": as_placed(order),
        "placedAt": order.placed_at,
        "steps.placed": order.placed_at,
    }


def order_write(
    order_id: str,
    customer_id: str,
    restaurant_id: str,
    *,
    set: Mapping[str, Any],
    set_on_insert: Mapping[str, Any] | None = None,
    when: Mapping[str, Any] | None = None,
    ordered: bool = True,
) -> ViewWrite:
    """A write to one order's view document; ``ordered=False`` for the steps after the
    kitchen's decision, which the state in ``when`` keeps in order."""
    CUSTOMER_OF.remember(order_id, customer_id)
    return ViewWrite(
        ORDERS_VIEW,
        order_id,
        set=set,
        set_on_insert={
            "customerId": customer_id,
            "restaurantId": restaurant_id,
            **(set_on_insert or {}),
        },
        when=when or {},
        notify=[scope(customer_id)],
        ordered=ordered,
    )


def _decision(
    event: OrderCancelled | OrderAccepted | OrderRejected, fields: Mapping[str, Any]
) -> list[ViewWrite]:
    order = event.order
    return [
        order_write(
            order.id,
            order.customer_id,
            order.restaurant_id,
            set=fields,
            set_on_insert=order_fields(order),
            when=STILL_PLACED,
        )
    ]


# --- the catalog --------------------------------------------------------------------------


async def on_restaurant(
    event: RestaurantUpdated | RestaurantOpened | RestaurantClosed, views: Views
) -> list[ViewWrite]:
    restaurant = event.restaurant
    return [
        ViewWrite(
            RESTAURANTS,
            restaurant.id,
            set={
                "restaurant": restaurant.model_dump(mode="json", by_alias=True),
                "name": restaurant.name,
                "isOpen": restaurant.is_open,
            },
            notify=[CATALOG_SCOPE],
        )
    ]


async def on_menu_updated(event: MenuUpdated, views: Views) -> list[ViewWrite]:
    menu = event.menu
    return [
        ViewWrite(
            MENUS,
            menu.restaurant_id,
            set={"menu": menu.model_dump(mode="json", by_alias=True)},
            notify=[CATALOG_SCOPE],
        )
    ]


# --- orders -------------------------------------------------------------------------------


async def on_order_placed(event: OrderPlaced, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        order_write(
            order.id,
            order.customer_id,
            order.restaurant_id,
            set={**order_fields(order), "status": "placed"},
        )
    ]


async def on_order_cancelled(event: OrderCancelled, views: Views) -> list[ViewWrite]:
    return _decision(
        event,
        {"status": "cancelled", "steps.cancelled": event.timestamp, "cancelReason": event.reason},
    )


async def on_order_accepted(event: OrderAccepted, views: Views) -> list[ViewWrite]:
    return _decision(
        event,
        {
            "status": "accepted",
            "steps.accepted": event.timestamp,
            "prepMinutes": event.prep_minutes,
            "estimatedReadyAt": event.estimated_ready_at,
            "pickupAddress": event.pickup_address.model_dump(mode="json", by_alias=True),
        },
    )


async def on_order_rejected(event: OrderRejected, views: Views) -> list[ViewWrite]:
    return _decision(
        event,
        {"status": "rejected", "steps.rejected": event.timestamp, "rejectReason": event.reason},
    )


async def on_order_ready(event: OrderReady, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        order_write(
            order.id,
            order.customer_id,
            order.restaurant_id,
            set={"status": "ready", "steps.ready": event.timestamp},
            set_on_insert=order_fields(order),
            when=READYABLE,
            ordered=False,
        )
    ]


def driver_fields(delivery: Delivery) -> dict[str, Any]:
    """The driver as the customer sees them, and when they took the order on."""
    return {
        "driver": {
            "id": delivery.driver_id,
            "name": delivery.driver_name,
            "vehicle": delivery.vehicle,
        },
        "steps.driverAssigned": delivery.accepted_at,
    }


def _delivery_write(
    delivery: Delivery, set: Mapping[str, Any], when: Mapping[str, Any] | None = None
) -> list[ViewWrite]:
    return [
        order_write(
            delivery.order_id,
            delivery.customer_id,
            delivery.restaurant_id,
            set={**driver_fields(delivery), **set},
            when=when,
            ordered=False,
        )
    ]


async def on_delivery_accepted(event: DeliveryAccepted, views: Views) -> list[ViewWrite]:
    return _delivery_write(event.delivery, {})


async def on_order_picked_up(event: OrderPickedUp, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    at = delivery.picked_up_at or event.timestamp
    return _delivery_write(delivery, {"status": "picked-up", "steps.pickedUp": at}, PICKABLE)


async def on_order_delivered(event: OrderDelivered, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    at = delivery.delivered_at or event.timestamp
    return _delivery_write(delivery, {"status": "delivered", "steps.delivered": at}, DELIVERABLE)


# --- the driver on the map ----------------------------------------------------------------


async def on_driver_location_changed(event: DriverLocationChanged, views: Views) -> list[ViewWrite]:
    position = event.position
    if not position.order_id:
        return []  # not delivering anything: no customer follows this driver
    # whom to tell only: the stored position must not depend on another partition's state
    customer_id = CUSTOMER_OF.get(position.order_id)
    if customer_id is None:
        order = await views[ORDERS_VIEW].find_one({"_id": position.order_id})
        if order and "customerId" in order:
            customer_id = str(order["customerId"])
            CUSTOMER_OF.remember(position.order_id, customer_id)
    tell = [scope(customer_id)] if customer_id is not None else []
    return [
        ViewWrite(
            POSITIONS,
            position.order_id,
            set={
                "driverId": position.driver_id,
                "location": position.location.model_dump(mode="json", by_alias=True),
                "at": event.timestamp,
            },
            notify=tell,
        )
    ]


#: event type -> rule; every other type is skipped on purpose (see the module docstring)
RULES: Mapping[type[Event], Handler] = {
    RestaurantUpdated: on_restaurant,
    RestaurantOpened: on_restaurant,
    RestaurantClosed: on_restaurant,
    MenuUpdated: on_menu_updated,
    OrderPlaced: on_order_placed,
    OrderCancelled: on_order_cancelled,
    OrderAccepted: on_order_accepted,
    OrderRejected: on_order_rejected,
    OrderReady: on_order_ready,
    DeliveryAccepted: on_delivery_accepted,
    OrderPickedUp: on_order_picked_up,
    OrderDelivered: on_order_delivered,
    DriverLocationChanged: on_driver_location_changed,
}

CUSTOMER = Listener(
    name=NAME,
    group=NAME,
    database=DATABASE,
    rules=RULES,
    views={
        RESTAURANTS: [
            IndexModel([("isOpen", ASCENDING), ("name", ASCENDING)], name="by_open_name"),
        ],
        MENUS: [],
        ORDERS_VIEW: [
            IndexModel([("customerId", ASCENDING), ("placedAt", DESCENDING)], name="by_customer"),
        ],
        POSITIONS: [],
    },
)
