"""``KITCHEN``: upstream events -> the restaurant's kitchen views.

- ``tickets``: one per order placed with a restaurant, moved through its lifecycle.
  Of order-accepted, order-rejected and order-cancelled the first in the order's
  partition wins (each applies only ``when`` the ticket is still "placed"), as in every
  other BFF's views.
- ``menu_views``: one per (restaurant, customer), counting that customer's menu views;
  popularity sums them (docs/restaurant.md explains why not one counter per restaurant).

Every write notifies ``restaurant:<id>``, the scope the restaurant's console subscribes
to. The restaurant's own profile and menu events are not consumed: the BFF owns that
entity and reads it directly.

The kitchen's decision and the customer's cancel race, and the first in the partition
wins (ordered writes). The steps after it (order-ready from the kitchen, delivery-accepted,
-picked-up, -delivered from the driver) are unordered writes kept in order by their state
conditions: a driver's delivery-accepted and the kitchen's order-ready are concurrent, and
their timestamps (two services' clocks and relays) may disagree with partition order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo import ASCENDING, IndexModel

from bff.restaurant.names import DATABASE, MENU_VIEWS, TICKETS, scope
from events import (
    Delivery,
    DeliveryAccepted,
    Event,
    MenuViewed,
    Order,
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderPickedUp,
    OrderPlaced,
    OrderReady,
    OrderRejected,
)
from listeners.lifecycle import DELIVERABLE, PICKABLE, READYABLE, STILL_PLACED, as_placed
from listeners.rules import Handler, Listener, ViewWrite
from listeners.views import Views

NAME = "bff-restaurant.listener"


def order_fields(order: Order) -> dict[str, Any]:
    """What every order event knows about its ticket: enough to create it if the
    order-placed event was never seen (a ticket must stand on its own)."""
    return {
        "restaurantId": order.restaurant_id,
        "order": as_placed(order),
        "placedAt": order.placed_at,
    }


def ticket_write(
    event: Event,
    order_id: str,
    restaurant_id: str,
    *,
    set: Mapping[str, Any],
    set_on_insert: Mapping[str, Any] | None = None,
    when: Mapping[str, Any] | None = None,
    ordered: bool = True,
) -> ViewWrite:
    """A write to one ticket; ``ordered=False`` for the steps after the kitchen's decision,
    which the state in ``when`` keeps in order (see ``ViewWrite.ordered``)."""
    stamp = {"updatedAt": event.timestamp} if ordered else {}
    return ViewWrite(
        TICKETS,
        order_id,
        set={**set, **stamp},
        set_on_insert={"restaurantId": restaurant_id, **(set_on_insert or {})},
        when=when or {},
        notify=[scope(restaurant_id)],
        ordered=ordered,
    )


async def on_order_placed(event: OrderPlaced, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        ticket_write(
            event,
            order.id,
            order.restaurant_id,
            set={
                **order_fields(order),
                "status": "placed",
                "placedEventId": event.id,
                "correlationId": event.tags.correlation_id,
            },
        )
    ]


async def on_order_cancelled(event: OrderCancelled, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        ticket_write(
            event,
            order.id,
            order.restaurant_id,
            set={
                "status": "cancelled",
                "cancelledAt": event.timestamp,
                "cancelReason": event.reason,
            },
            set_on_insert=order_fields(order),
            when=STILL_PLACED,
        )
    ]


async def on_order_accepted(event: OrderAccepted, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        ticket_write(
            event,
            order.id,
            order.restaurant_id,
            set={
                "status": "accepted",
                "acceptedAt": event.timestamp,
                "prepMinutes": event.prep_minutes,
                "estimatedReadyAt": event.estimated_ready_at,
            },
            set_on_insert=order_fields(order),
            when=STILL_PLACED,
        )
    ]


async def on_order_rejected(event: OrderRejected, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        ticket_write(
            event,
            order.id,
            order.restaurant_id,
            set={"status": "rejected", "rejectedAt": event.timestamp, "rejectReason": event.reason},
            set_on_insert=order_fields(order),
            when=STILL_PLACED,
        )
    ]


async def on_order_ready(event: OrderReady, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        ticket_write(
            event,
            order.id,
            order.restaurant_id,
            set={"status": "ready", "readyAt": event.timestamp},
            set_on_insert=order_fields(order),
            when=READYABLE,
            ordered=False,
        )
    ]


def driver_fields(delivery: Delivery) -> dict[str, Any]:
    return {
        "driver": {
            "id": delivery.driver_id,
            "name": delivery.driver_name,
            "vehicle": delivery.vehicle,
        },
        "driverAssignedAt": delivery.accepted_at,
    }


async def on_delivery_accepted(event: DeliveryAccepted, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    return [
        ticket_write(
            event,
            delivery.order_id,
            delivery.restaurant_id,
            set=driver_fields(delivery),
            ordered=False,
        )
    ]


async def on_order_picked_up(event: OrderPickedUp, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    return [
        ticket_write(
            event,
            delivery.order_id,
            delivery.restaurant_id,
            set={
                **driver_fields(delivery),
                "status": "picked-up",
                "pickedUpAt": delivery.picked_up_at or event.timestamp,
            },
            when=PICKABLE,
            ordered=False,
        )
    ]


async def on_order_delivered(event: OrderDelivered, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    return [
        ticket_write(
            event,
            delivery.order_id,
            delivery.restaurant_id,
            set={
                **driver_fields(delivery),
                "status": "delivered",
                "deliveredAt": delivery.delivered_at or event.timestamp,
            },
            when=DELIVERABLE,
            ordered=False,
        )
    ]


def menu_view_id(restaurant_id: str, customer_id: str) -> str:
    return f"{restaurant_id}|{customer_id}"


async def on_menu_viewed(event: MenuViewed, views: Views) -> list[ViewWrite]:
    view = event.view
    return [
        ViewWrite(
            MENU_VIEWS,
            menu_view_id(view.restaurant_id, view.customer_id),
            set={"lastViewedAt": event.timestamp},
            set_on_insert={
                "restaurantId": view.restaurant_id,
                "customerId": view.customer_id,
                "firstViewedAt": event.timestamp,
            },
            inc={"views": 1},
            notify=[scope(view.restaurant_id)],
        )
    ]


#: event type -> rule; every other type is skipped on purpose (restaurant-*, menu-updated
#: are this BFF's own facts about its own entity; driver-* are not the kitchen's business)
RULES: Mapping[type[Event], Handler] = {
    OrderPlaced: on_order_placed,
    OrderCancelled: on_order_cancelled,
    OrderAccepted: on_order_accepted,
    OrderRejected: on_order_rejected,
    OrderReady: on_order_ready,
    DeliveryAccepted: on_delivery_accepted,
    OrderPickedUp: on_order_picked_up,
    OrderDelivered: on_order_delivered,
    MenuViewed: on_menu_viewed,
}

KITCHEN = Listener(
    name=NAME,
    group=NAME,
    database=DATABASE,
    rules=RULES,
    views={
        TICKETS: [
            IndexModel([("restaurantId", ASCENDING), ("status", ASCENDING)], name="by_column"),
            IndexModel([("restaurantId", ASCENDING), ("placedAt", ASCENDING)], name="by_time"),
        ],
        MENU_VIEWS: [IndexModel([("restaurantId", ASCENDING)], name="by_restaurant")],
    },
)
