"""Simulated upstream services: the events other BFFs would publish, built realistically.

A BFF's tests run it alone; what the customer's and the driver's BFFs would do is
simulated by publishing their events on the hub, exactly as they would (same source,
actor and partition key). ``python -m tests.support.upstream place r-trattoria`` places
one order with a demo restaurant on the local stack (for trying the console by hand);
``... offer r-trattoria --ready-after 20`` also has the kitchen accept it (an offer for the
driver app) and mark it ready 20 s later.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Sequence

from ulid import ULID

from adapters.hub import EventPublisher
from adapters.settings import Settings
from events import (
    Address,
    Delivery,
    DeliveryAccepted,
    DeliveryStatus,
    DriverLocationChanged,
    DriverPosition,
    Event,
    GeoPoint,
    Menu,
    MenuItem,
    MenuUpdated,
    MenuView,
    MenuViewed,
    Money,
    Order,
    OrderAccepted,
    OrderCancelled,
    OrderDelivered,
    OrderItem,
    OrderPickedUp,
    OrderPlaced,
    OrderReady,
    OrderRejected,
    Restaurant,
    RestaurantClosed,
    RestaurantOpened,
    RestaurantUpdated,
)

CUSTOMERS = (("c-lena", "Lena Fischer"), ("c-omar", "Omar Haddad"), ("c-mia", "Mia Schulz"))
DRIVERS = (("d-jonas", "Jonas Weber", "bicycle"), ("d-aylin", "Aylin Kaya", "scooter"))
DELIVERY_FEE = 299
#: when each simulated delivery was accepted (later delivery events keep it)
_ACCEPTED_AT: dict[str, int] = {}


def unique(prefix: str) -> str:
    return f"{prefix}-{str(ULID()).lower()}"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def order_from_menu(
    restaurant_id: str,
    restaurant_name: str,
    menu: Sequence[MenuItem],
    *,
    lines: Sequence[tuple[str, int]] = (),
    customer: tuple[str, str] | None = None,
    order_id: str | None = None,
    note: str | None = None,
) -> Order:
    """An order of ``lines`` (menu item id, quantity), or of two random available items."""
    by_id = {item.id: item for item in menu}
    if not lines:
        available = [item for item in menu if item.available]
        lines = [(item.id, random.randint(1, 3)) for item in random.sample(available, 2)]
    items = [
        OrderItem(
            menu_item_id=item_id,
            name=by_id[item_id].name,
            quantity=quantity,
            unit_price=by_id[item_id].price,
        )
        for item_id, quantity in lines
    ]
    currency = items[0].unit_price.currency
    subtotal = sum(item.unit_price.amount * item.quantity for item in items)
    customer_id, customer_name = customer or random.choice(CUSTOMERS)
    return Order(
        id=order_id or unique("o"),
        customer_id=customer_id,
        customer_name=customer_name,
        restaurant_id=restaurant_id,
        restaurant_name=restaurant_name,
        items=items,
        subtotal=Money(amount=subtotal, currency=currency),
        delivery_fee=Money(amount=DELIVERY_FEE, currency=currency),
        total=Money(amount=subtotal + DELIVERY_FEE, currency=currency),
        delivery_address=Address(
            line1="Wiener Straße 12",
            city="Berlin",
            postcode="10999",
            location=GeoPoint(lat=52.4975, lng=13.4313),
        ),
        status="placed",
        placed_at=now_ms(),
        note=note,
    )


def customer_actor(order: Order) -> str:
    return f"customer:{order.customer_id}"


def placed(order: Order) -> OrderPlaced:
    return OrderPlaced.record(order=order, source="bff-customer", actor=customer_actor(order))


def cancelled(order: Order, reason: str = "Changed my mind") -> OrderCancelled:
    return OrderCancelled.record(
        order=order.model_copy(update={"status": "cancelled"}),
        reason=reason,
        source="bff-customer",
        actor=customer_actor(order),
    )


def menu_viewed(restaurant_id: str, customer_id: str) -> MenuViewed:
    return MenuViewed.record(
        view=MenuView(restaurant_id=restaurant_id, customer_id=customer_id),
        source="bff-customer",
        actor=f"customer:{customer_id}",
    )


def restaurant_actor(restaurant_id: str) -> str:
    return f"restaurant:{restaurant_id}"


def restaurant_updated(restaurant: Restaurant) -> RestaurantUpdated:
    """The restaurant BFF's restaurant-updated (details changed, or just registered)."""
    return RestaurantUpdated.record(
        restaurant=restaurant, source="bff-restaurant", actor=restaurant_actor(restaurant.id)
    )


def restaurant_opened(restaurant: Restaurant) -> RestaurantOpened:
    return RestaurantOpened.record(
        restaurant=restaurant.model_copy(update={"is_open": True}),
        source="bff-restaurant",
        actor=restaurant_actor(restaurant.id),
    )


def restaurant_closed(restaurant: Restaurant) -> RestaurantClosed:
    return RestaurantClosed.record(
        restaurant=restaurant.model_copy(update={"is_open": False}),
        source="bff-restaurant",
        actor=restaurant_actor(restaurant.id),
    )


def menu_updated(restaurant_id: str, items: Sequence[MenuItem]) -> MenuUpdated:
    """The restaurant BFF's menu-updated, with the whole menu."""
    return MenuUpdated.record(
        menu=Menu(restaurant_id=restaurant_id, items=list(items)),
        source="bff-restaurant",
        actor=restaurant_actor(restaurant_id),
    )


def accepted(
    order: Order,
    prep_minutes: int = 15,
    pickup_address: Address | None = None,
    caused_by: Event | None = None,
) -> OrderAccepted:
    """The kitchen's order-accepted (picked up at ``pickup_address``, else the
    delivery address stands in)."""
    now = now_ms()
    return OrderAccepted.record(
        order=order.model_copy(update={"status": "accepted"}),
        estimated_ready_at=now + prep_minutes * 60_000,
        prep_minutes=prep_minutes,
        pickup_address=pickup_address or order.delivery_address,
        now_ms=now,
        source="bff-restaurant",
        actor=restaurant_actor(order.restaurant_id),
        caused_by=caused_by,
    )


def rejected(
    order: Order, reason: str = "Out of dough", caused_by: Event | None = None
) -> OrderRejected:
    return OrderRejected.record(
        order=order.model_copy(update={"status": "rejected"}),
        reason=reason,
        source="bff-restaurant",
        actor=restaurant_actor(order.restaurant_id),
        caused_by=caused_by,
    )


def ready(order: Order, caused_by: Event | None = None) -> OrderReady:
    return OrderReady.record(
        order=order.model_copy(update={"status": "ready"}),
        source="bff-restaurant",
        actor=restaurant_actor(order.restaurant_id),
        caused_by=caused_by,
    )


def location_changed(
    location: GeoPoint,
    order: Order | None = None,
    driver: tuple[str, str, str] = DRIVERS[0],
) -> DriverLocationChanged:
    """The driver BFF's driver-location-changed, tagged with the order it delivers (if
    any)."""
    driver_id = driver[0]
    return DriverLocationChanged.record(
        position=DriverPosition(
            driver_id=driver_id, location=location, order_id=order.id if order else None
        ),
        source="bff-driver",
        actor=f"driver:{driver_id}",
    )


def delivery_event(
    kind: type[DeliveryAccepted | OrderPickedUp | OrderDelivered],
    order: Order,
    driver: tuple[str, str, str] = DRIVERS[0],
) -> Event:
    """The driver BFF's delivery-accepted, order-picked-up or order-delivered."""
    driver_id, name, vehicle = driver
    now = now_ms()
    status: DeliveryStatus = {
        DeliveryAccepted: "accepted",
        OrderPickedUp: "picked-up",
        OrderDelivered: "delivered",
    }[kind]  # type: ignore[assignment]
    delivery = Delivery(
        order_id=order.id,
        restaurant_id=order.restaurant_id,
        customer_id=order.customer_id,
        driver_id=driver_id,
        driver_name=name,
        vehicle=vehicle,
        status=status,
        accepted_at=_ACCEPTED_AT.setdefault(order.id, now),  # fixed once, as a driver BFF keeps it
        picked_up_at=now if kind is not DeliveryAccepted else None,
        delivered_at=now if kind is OrderDelivered else None,
    )
    return kind.record(delivery=delivery, source="bff-driver", actor=f"driver:{driver_id}")


async def publish(settings: Settings, *events: Event) -> None:
    async with EventPublisher(settings.kafka_bootstrap, settings.kafka_topic) as hub:
        await hub.publish_many(list(events))


def main(argv: Sequence[str] | None = None) -> int:
    from bff.restaurant.demo import RESTAURANTS

    parser = argparse.ArgumentParser(prog="python -m tests.support.upstream")
    parser.add_argument(
        "action",
        choices=["place", "offer"],
        help="place: an order arrives at the kitchen; offer: ... and the kitchen accepts it",
    )
    parser.add_argument("restaurant", choices=[d.restaurant.id for d in RESTAURANTS])
    parser.add_argument(
        "--ready-after",
        type=float,
        metavar="SECONDS",
        help="offer: the kitchen marks it ready this many seconds later",
    )
    args = parser.parse_args(argv)
    demo = next(d for d in RESTAURANTS if d.restaurant.id == args.restaurant)
    order = order_from_menu(demo.restaurant.id, demo.restaurant.name, demo.items)
    settings = Settings()
    first = placed(order)
    if args.action == "place":
        asyncio.run(publish(settings, first))
        print(f"placed {order.id} with {demo.restaurant.name}")
        return 0
    accept = accepted(order, pickup_address=demo.restaurant.address, caused_by=first)
    asyncio.run(publish(settings, first, accept))
    print(f"offered {order.id} from {demo.restaurant.name}", flush=True)
    if args.ready_after is not None:
        time.sleep(args.ready_after)
        asyncio.run(publish(settings, ready(order, caused_by=accept)))
        print(f"{order.id} is ready")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
