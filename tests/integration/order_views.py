"""A small listener over order events, used by the listener runtime's integration tests
(and runnable as ``python -m listeners run tests.integration.order_views:COUNTED``).

``orders`` holds each order's latest status; ``restaurants`` holds each restaurant's
latest order (a document written by many keys). ``COUNTED`` also counts the events applied
to each order, which exposes any event applied twice.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from events import Event, Order, OrderAccepted, OrderCancelled, OrderPlaced, OrderReady
from events.samples import sample_event
from listeners.rules import Listener, ViewWrite
from listeners.views import Views

#: flip to make the rule fail on orders whose note is "poison" (a bug, later fixed)
BUG = {"poison": False}


async def on_order(event: Any, views: Views) -> Sequence[ViewWrite]:
    order: Order = event.order
    if BUG["poison"] and order.note == "poison":
        raise ValueError(f"cannot handle order {order.id}")
    return [
        ViewWrite(
            "orders",
            order.id,
            set={
                "status": order.status,
                "customerId": order.customer_id,
                "restaurantId": order.restaurant_id,
                "total": order.total.amount,
                "updatedAt": event.timestamp,
            },
            notify=[f"customer:{order.customer_id}"],
        ),
        ViewWrite(
            "restaurants",
            order.restaurant_id,
            set={"lastOrderId": order.id, "lastEventAt": event.timestamp},
        ),
    ]


async def on_order_counted(event: Any, views: Views) -> Sequence[ViewWrite]:
    writes = list(await on_order(event, views))
    head = writes[0]
    writes[0] = ViewWrite(head.collection, head.id, set=head.set, inc={"applied": 1})
    return writes


ORDER_EVENTS = (OrderPlaced, OrderAccepted, OrderReady, OrderCancelled)
PLAIN = Listener(
    name="test-orders",
    group="test-orders.listener",
    database="test_orders",
    rules=dict.fromkeys(ORDER_EVENTS, on_order),
    views={"orders": [], "restaurants": []},
)
COUNTED = Listener(
    name="test-orders-counted",
    group="test-orders-counted.listener",
    database="test_orders_counted",
    rules=dict.fromkeys(ORDER_EVENTS, on_order_counted),
    views={"orders": [], "restaurants": []},
)


def order_story(n: int, base_ms: int, *, restaurants: int = 7) -> list[Event]:
    """One order's events in order: placed, then accepted and ready, or cancelled."""
    template: Order = sample_event("order-placed").order  # type: ignore[attr-defined]
    placed = template.model_copy(
        update={"id": f"o-t{n:06d}", "restaurant_id": f"r-t{n % restaurants}", "status": "placed"}
    )
    common = {"source": "test", "actor": f"customer:{placed.customer_id}"}
    story: list[Event] = [OrderPlaced.record(order=placed, now_ms=base_ms, **common)]
    if n % 5 == 4:
        cancelled = placed.model_copy(update={"status": "cancelled"})
        story.append(
            OrderCancelled.record(
                order=cancelled, reason="changed my mind", now_ms=base_ms + 1, **common
            )
        )
        return story
    accepted = placed.model_copy(update={"status": "accepted"})
    story.append(
        OrderAccepted.record(
            order=accepted,
            estimated_ready_at=base_ms + 900_000,
            prep_minutes=15,
            pickup_address=template.delivery_address,
            now_ms=base_ms + 2,
            **common,
        )
    )
    ready = placed.model_copy(update={"status": "ready"})
    story.append(OrderReady.record(order=ready, now_ms=base_ms + 3, **common))
    return story


def shuffled_with_duplicates(stories: list[list[Event]], seed: int) -> list[Event]:
    """Every story's events with duplicates added and their order shuffled, interleaved."""
    rng = random.Random(seed)
    queues = []
    for story in stories:
        events = story + [rng.choice(story) for _ in range(rng.randint(0, 2))]
        rng.shuffle(events)
        queues.append(events)
    mixed: list[Event] = []
    while queues:
        queue = rng.choice(queues)
        mixed.append(queue.pop(0))
        if not queue:
            queues.remove(queue)
    return mixed
