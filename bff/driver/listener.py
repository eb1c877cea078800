"""``DRIVER``: upstream events -> the driver app's ``offers`` view (names.py has its shape).

- ``order-accepted`` opens an offer: the order, where to pick it up and drop it off, when
  the food should be ready, what the delivery pays (the order's delivery fee). It applies
  only while the view holds no decision on the order (no ``status``).
- ``order-cancelled`` / ``order-rejected`` withdraw it ("gone") under the same condition:
  of order-accepted, order-rejected and order-cancelled the first in the order's
  partition wins, as in every other BFF's views. A cancel that reaches the partition
  after the accept lost the race everywhere (the kitchen cooks, the customer sees the
  order accepted), so it does not withdraw the offer here either.
- ``order-ready`` marks the food ready (``ready``, ``readyAt``): a driver may pick up only
  then. Unordered: it is concurrent with the driver's delivery-accepted (two services'
  clocks and relays; docs/listeners.md), and it changes no status.
- ``delivery-accepted`` (this BFF's own event, consumed so that the view every replica
  reads agrees with the ``deliveries`` entity) marks the offer "taken" by the driver;
  ``order-picked-up`` and ``order-delivered`` follow it. Unordered, kept in order by their
  state conditions, idempotent (``set`` only, no "updated at" stamps).

Offer changes an available driver could act on (opened, withdrawn, ready, taken) notify
``drivers:available``; changes to a taken offer also notify ``driver:<id>`` of the driver
who took it (order-ready reads the offer, as the view stood when the batch started, to
learn that driver, and else the ``deliveries`` entity, in case the driver's accept is not
in the view yet; it only picks whom to notify, so a replay is unaffected).

Skipped on purpose:

- ``order-placed``: a driver is offered an order only once its kitchen accepted it, and
  order-accepted carries the whole order.
- ``restaurant-updated/-opened/-closed``: order-accepted carries the restaurant's name and
  pickup address as they were when the kitchen accepted, which is what the driver needs;
  a restaurant closing does not withdraw orders it already accepted.
- ``driver-status-changed``, ``driver-location-changed``: this BFF's own facts about its
  own entity (``drivers``), which the commands and queries read directly.
- ``menu-*``, ``fault`` and anything a newer catalog adds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo import ASCENDING, IndexModel

from bff.driver.names import AVAILABLE_SCOPE, DATABASE, DELIVERIES, OFFERS, scope
from events import (
    Delivery,
    DeliveryAccepted,
    Event,
    Order,
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderPickedUp,
    OrderReady,
    OrderRejected,
)
from listeners.rules import Handler, Listener, ViewWrite
from listeners.views import Views

NAME = "bff-driver.listener"

#: no decision on the order seen yet: the first of accept, reject, cancel wins
UNDECIDED: Mapping[str, Any] = {"status": {"$exists": False}}
#: a driver takes only an open offer
TAKEABLE: Mapping[str, Any] = {"status": "open"}
#: picked up: an offer open (its delivery-accepted not seen yet) or taken
PICKABLE: Mapping[str, Any] = {"status": {"$in": ["open", "taken"]}}
#: delivered: open, taken or picked up
DELIVERABLE: Mapping[str, Any] = {"status": {"$in": ["open", "taken", "picked-up"]}}


def order_fields(order: Order) -> dict[str, Any]:
    """What every order event knows about its offer."""
    return {
        "restaurantId": order.restaurant_id,
        "restaurantName": order.restaurant_name,
        "customerId": order.customer_id,
        "dropOff": order.delivery_address.model_dump(mode="json", by_alias=True),
        "feeCents": order.delivery_fee.amount,
        "currency": order.delivery_fee.currency,
    }


def offer_write(
    order_id: str,
    *,
    set: Mapping[str, Any],
    set_on_insert: Mapping[str, Any] | None = None,
    when: Mapping[str, Any] | None = None,
    notify: list[str],
    ordered: bool = True,
) -> ViewWrite:
    return ViewWrite(
        OFFERS,
        order_id,
        set=set,
        set_on_insert=set_on_insert or {},
        when=when or {},
        notify=notify,
        ordered=ordered,
    )


async def on_order_accepted(event: OrderAccepted, views: Views) -> list[ViewWrite]:
    order = event.order
    return [
        offer_write(
            order.id,
            set={
                **order_fields(order),
                "order": order.model_dump(mode="json", by_alias=True),
                "pickupAddress": event.pickup_address.model_dump(mode="json", by_alias=True),
                "estimatedReadyAt": event.estimated_ready_at,
                "acceptedAt": event.timestamp,
                "orderAcceptedEventId": event.id,
                "correlationId": event.tags.correlation_id,
                "status": "open",
            },
            when=UNDECIDED,
            notify=[AVAILABLE_SCOPE],
        )
    ]


async def _withdrawn(event: OrderCancelled | OrderRejected, reason: str) -> list[ViewWrite]:
    order = event.order
    return [
        offer_write(
            order.id,
            set={"status": "gone", "goneReason": reason},
            set_on_insert=order_fields(order),
            when=UNDECIDED,
            notify=[AVAILABLE_SCOPE],
        )
    ]


async def on_order_cancelled(event: OrderCancelled, views: Views) -> list[ViewWrite]:
    return await _withdrawn(event, "cancelled by the customer")


async def on_order_rejected(event: OrderRejected, views: Views) -> list[ViewWrite]:
    return await _withdrawn(event, "rejected by the restaurant")


async def on_order_ready(event: OrderReady, views: Views) -> list[ViewWrite]:
    order = event.order
    offer = await views[OFFERS].find_one({"_id": order.id})
    taken_by = (offer or {}).get("takenBy")
    if not taken_by:  # delivery-accepted may not be in the view yet: ask the entity
        delivery = await views[DELIVERIES].find_one({"_id": order.id})
        taken_by = (delivery or {}).get("driverId")
    notify = [AVAILABLE_SCOPE] + ([scope(str(taken_by))] if taken_by else [])
    return [
        offer_write(
            order.id,
            set={"ready": True, "readyAt": event.timestamp},
            set_on_insert=order_fields(order),
            notify=notify,
            ordered=False,
        )
    ]


def _delivery_write(
    delivery: Delivery,
    set: Mapping[str, Any],
    when: Mapping[str, Any],
    notify: list[str],
) -> list[ViewWrite]:
    return [
        offer_write(
            delivery.order_id,
            set={"takenBy": delivery.driver_id, **set},
            when=when,
            notify=notify,
            ordered=False,
        )
    ]


async def on_delivery_accepted(event: DeliveryAccepted, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    return _delivery_write(
        delivery,
        {"status": "taken"},
        TAKEABLE,
        [AVAILABLE_SCOPE, scope(delivery.driver_id)],
    )


async def on_order_picked_up(event: OrderPickedUp, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    return _delivery_write(delivery, {"status": "picked-up"}, PICKABLE, [scope(delivery.driver_id)])


async def on_order_delivered(event: OrderDelivered, views: Views) -> list[ViewWrite]:
    delivery = event.delivery
    return _delivery_write(
        delivery, {"status": "delivered"}, DELIVERABLE, [scope(delivery.driver_id)]
    )


#: event type -> rule; every other type is skipped on purpose (see the module docstring)
RULES: Mapping[type[Event], Handler] = {
    OrderAccepted: on_order_accepted,
    OrderCancelled: on_order_cancelled,
    OrderRejected: on_order_rejected,
    OrderReady: on_order_ready,
    DeliveryAccepted: on_delivery_accepted,
    OrderPickedUp: on_order_picked_up,
    OrderDelivered: on_order_delivered,
}

DRIVER = Listener(
    name=NAME,
    group=NAME,
    database=DATABASE,
    rules=RULES,
    views={OFFERS: [IndexModel([("status", ASCENDING)], name="by_status")]},
)
