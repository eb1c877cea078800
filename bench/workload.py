"""A realistic event stream for the listener and lake benchmarks: what the three BFFs
publish while many customers order from many restaurants and many drivers deliver.

``stream(n, seed=...)`` yields exactly ``n`` catalog events in timestamp order, each
recorded with the real event classes (``Event.record``, contracts checked): first the
catalog (every restaurant's restaurant-updated, menu-updated and restaurant-opened, every
driver going online), then overlapping order stories, a new order every ``order_every_ms``
on average. One order's story, as the BFFs would publish it:

- customer: 1-3 menu-viewed, then order-placed;
- kitchen: order-accepted (90%), order-rejected (4%), or the customer's order-cancelled
  (6%) first;
- after an accept: the driver's delivery-accepted with driver-status-changed (busy), the
  kitchen's order-ready (before or after the driver's accept: concurrent facts), a
  driver-location-changed every 2.5-4 minutes on the way, order-picked-up,
  order-delivered with driver-status-changed (available);
- now and then a restaurant saves its menu again (menu-updated).

A delivered order is about 16 events; driver-location-changed is about a third of them.
Timestamps are simulated (deterministic for a seed; event ids are ULIDs of those
timestamps), so a million events span many hours of the lake's date/hour folders.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from events import (
    Address,
    Delivery,
    DeliveryAccepted,
    DeliveryStatus,
    Driver,
    DriverLocationChanged,
    DriverPosition,
    DriverStatus,
    DriverStatusChanged,
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
    RestaurantOpened,
    RestaurantUpdated,
)

#: 2025-06-14T08:00:00Z: where simulated time starts unless told otherwise
START_MS = 1_749_888_000_000
#: the restaurants, customers and drivers are the same whatever the traffic's seed
WORLD_SEED = 2025
SECOND = 1000
MINUTE = 60 * SECOND

DISHES = (
    ("Pizza Margherita", "Pizza", 950),
    ("Spaghetti Carbonara", "Pasta", 1390),
    ("Salmon Nigiri", "Sushi", 690),
    ("Chicken Curry", "Curry", 1250),
    ("Falafel Wrap", "Wraps", 790),
    ("Caesar Salad", "Salads", 890),
    ("Tiramisu", "Desserts", 590),
    ("Lemonade", "Drinks", 350),
    ("Ramen", "Soups", 1290),
    ("Burger", "Burgers", 1190),
)
CUISINES = ("Italian", "Japanese", "Indian", "Levantine", "American", "Vietnamese")
FIRST = ("Lena", "Omar", "Mia", "Jonas", "Aylin", "Ben", "Sofia", "Luca", "Emre", "Hannah")
LAST = ("Fischer", "Haddad", "Schulz", "Weber", "Kaya", "Nowak", "Rossi", "Yilmaz", "Berg")
VEHICLES = ("bicycle", "scooter", "car")
DELIVERY_FEE = 299


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    home: Address


@dataclass(frozen=True, slots=True)
class Kitchen:
    restaurant: Restaurant
    menu: tuple[MenuItem, ...]


@dataclass(frozen=True, slots=True)
class Courier:
    id: str
    name: str
    vehicle: str
    home: GeoPoint


@dataclass(frozen=True)
class World:
    kitchens: tuple[Kitchen, ...]
    customers: tuple[Person, ...]
    couriers: tuple[Courier, ...]


def _point(rng: random.Random) -> GeoPoint:
    """Somewhere in Berlin."""
    return GeoPoint(
        lat=round(52.45 + rng.random() * 0.1, 5), lng=round(13.3 + rng.random() * 0.2, 5)
    )


def _address(rng: random.Random, n: int) -> Address:
    return Address(
        line1=f"Wiener Straße {n % 180 + 1}",
        city="Berlin",
        postcode=f"10{rng.randint(100, 999)}",
        location=_point(rng),
    )


def make_world(
    rng: random.Random, *, restaurants: int = 60, customers: int = 3000, drivers: int = 400
) -> World:
    """Restaurants with 8-item menus, customers with a home address, drivers."""
    kitchens = []
    for r in range(restaurants):
        rid = f"r-bench-{r:04d}"
        menu = tuple(
            MenuItem(
                id=f"{rid}-mi-{i}",
                name=name,
                description=f"{name}, freshly made",
                price=Money(amount=cents + rng.randint(-100, 200), currency="EUR"),
                category=category,
                available=True,
            )
            for i, (name, category, cents) in enumerate(rng.sample(DISHES, 8))
        )
        restaurant = Restaurant(
            id=rid,
            name=f"{rng.choice(LAST)}'s {rng.choice(CUISINES)} Kitchen {r}",
            cuisine=rng.choice(CUISINES),
            address=_address(rng, r),
            is_open=True,
            default_prep_minutes=rng.choice((10, 15, 20)),
        )
        kitchens.append(Kitchen(restaurant, menu))
    people = tuple(
        Person(f"c-bench-{c:05d}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", _address(rng, c))
        for c in range(customers)
    )
    couriers = tuple(
        Courier(
            f"d-bench-{d:04d}",
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            rng.choice(VEHICLES),
            _point(rng),
        )
        for d in range(drivers)
    )
    return World(tuple(kitchens), people, couriers)


#: one pending event of a story: (timestamp, builder of the event recorded at that time)
Step = tuple[int, Callable[[int], Event]]


@dataclass(frozen=True, slots=True)
class Who:
    """Who records an event: the producing service and the actor."""

    source: str
    actor: str


def _recorder(
    cls: type[Event], who: Who, story: dict[str, str] | None = None, **facts: Any
) -> Callable[[int], Event]:
    """A builder of ``cls`` with these facts at a given time; ``story`` holds the order's
    correlation id (its order-placed event's id) once that is recorded."""

    def build(t: int) -> Event:
        correlation = story.get("id") if story else None
        return cls.record(
            source=who.source, actor=who.actor, now_ms=t, correlation_id=correlation, **facts
        )

    return build


def _kitchen(kitchen: Kitchen) -> Who:
    return Who("bff-restaurant", f"restaurant:{kitchen.restaurant.id}")


def _driver(courier: Courier) -> Who:
    return Who("bff-driver", f"driver:{courier.id}")


def _menu(kitchen: Kitchen) -> Menu:
    return Menu(restaurant_id=kitchen.restaurant.id, items=list(kitchen.menu))


def _catalog(world: World, start: int) -> Iterator[Step]:
    """Every restaurant registers and opens, every driver goes online."""
    for kitchen in world.kitchens:
        who = _kitchen(kitchen)
        yield start, _recorder(RestaurantUpdated, who, restaurant=kitchen.restaurant)
        yield start, _recorder(MenuUpdated, who, menu=_menu(kitchen))
        yield start, _recorder(RestaurantOpened, who, restaurant=kitchen.restaurant)
    for courier in world.couriers:
        yield start, _driver_status(courier, "available", courier.home)


def _menu_changes(world: World, rng: random.Random, start: int) -> Iterator[Step]:
    """Now and then a restaurant saves its menu (a price changed), forever."""
    at = start
    while True:
        at += rng.randint(3 * MINUTE, 8 * MINUTE)
        kitchen = rng.choice(world.kitchens)
        yield at, _recorder(MenuUpdated, _kitchen(kitchen), menu=_menu(kitchen))


def _driver_status(
    courier: Courier, status: DriverStatus, where: GeoPoint
) -> Callable[[int], Event]:
    driver = Driver(
        id=courier.id, name=courier.name, vehicle=courier.vehicle, status=status, location=where
    )
    return _recorder(DriverStatusChanged, _driver(courier), driver=driver)


def _order(world: World, rng: random.Random, number: str, placed_at: int) -> tuple[Order, Kitchen]:
    kitchen = rng.choice(world.kitchens)
    customer = rng.choice(world.customers)
    lines = rng.sample(kitchen.menu, rng.randint(1, 3))
    items = [
        OrderItem(
            menu_item_id=item.id,
            name=item.name,
            quantity=rng.randint(1, 3),
            unit_price=item.price,
        )
        for item in lines
    ]
    subtotal = sum(item.unit_price.amount * item.quantity for item in items)
    order = Order(
        id=f"o-bench-{number}",
        customer_id=customer.id,
        customer_name=customer.name,
        restaurant_id=kitchen.restaurant.id,
        restaurant_name=kitchen.restaurant.name,
        items=items,
        subtotal=Money(amount=subtotal, currency="EUR"),
        delivery_fee=Money(amount=DELIVERY_FEE, currency="EUR"),
        total=Money(amount=subtotal + DELIVERY_FEE, currency="EUR"),
        delivery_address=customer.home,
        status="placed",
        placed_at=placed_at,
        note="Please ring twice" if rng.random() < 0.2 else None,
    )
    return order, kitchen


def _story(world: World, rng: random.Random, number: str, start: int) -> Iterator[Step]:
    """One order's whole life, as the three BFFs publish it (timestamps never decrease)."""
    views = rng.randint(1, 3)
    placed_at = start + views * rng.randint(10 * SECOND, 90 * SECOND)
    order, kitchen = _order(world, rng, number, placed_at)
    customer = Who("bff-customer", f"customer:{order.customer_id}")
    cook = _kitchen(kitchen)
    story: dict[str, str] = {}  # the correlation id: the order-placed event's id

    def placed(t: int) -> Event:
        event = OrderPlaced.record(
            order=order, source=customer.source, actor=customer.actor, now_ms=t
        )
        story["id"] = event.tags.correlation_id
        return event

    view = MenuView(restaurant_id=kitchen.restaurant.id, customer_id=order.customer_id)
    for v in range(views):
        yield start + v * (placed_at - start) // views, _recorder(MenuViewed, customer, view=view)
    yield placed_at, placed

    decided = placed_at + rng.randint(20 * SECOND, 120 * SECOND)
    fate = rng.random()
    if fate < 0.06:
        gone = order.model_copy(update={"status": "cancelled"})
        yield (
            decided,
            _recorder(OrderCancelled, customer, story, order=gone, reason="Changed my mind"),
        )
        return
    if fate < 0.10:
        no = order.model_copy(update={"status": "rejected"})
        yield decided, _recorder(OrderRejected, cook, story, order=no, reason="Out of dough")
        return

    prep = rng.choice((10, 15, 20, 25))
    yield (
        decided,
        _recorder(
            OrderAccepted,
            cook,
            story,
            order=order.model_copy(update={"status": "accepted"}),
            estimated_ready_at=decided + prep * MINUTE,
            prep_minutes=prep,
            pickup_address=kitchen.restaurant.address,
        ),
    )

    courier = rng.choice(world.couriers)
    rider = _driver(courier)
    taken = decided + rng.randint(15 * SECOND, 4 * MINUTE)
    ready_at = decided + prep * MINUTE + rng.randint(-2 * MINUTE, 3 * MINUTE)
    picked = max(ready_at, taken + rng.randint(3 * MINUTE, 10 * MINUTE)) + rng.randint(
        30 * SECOND, 3 * MINUTE
    )
    delivered = picked + rng.randint(8 * MINUTE, 20 * MINUTE)

    def delivery(status: DeliveryStatus) -> Delivery:
        return Delivery(
            order_id=order.id,
            restaurant_id=order.restaurant_id,
            customer_id=order.customer_id,
            driver_id=courier.id,
            driver_name=courier.name,
            vehicle=courier.vehicle,
            status=status,
            accepted_at=taken,
            picked_up_at=picked if status != "accepted" else None,
            delivered_at=delivered if status == "delivered" else None,
        )

    steps: list[Step] = [
        (taken, _recorder(DeliveryAccepted, rider, story, delivery=delivery("accepted"))),
        (taken, _driver_status(courier, "busy", courier.home)),
        (
            ready_at,
            _recorder(OrderReady, cook, story, order=order.model_copy(update={"status": "ready"})),
        ),
        (picked, _recorder(OrderPickedUp, rider, story, delivery=delivery("picked-up"))),
        (delivered, _recorder(OrderDelivered, rider, story, delivery=delivery("delivered"))),
        (delivered, _driver_status(courier, "available", order.delivery_address.location)),
    ]
    at = taken + rng.randint(240 * SECOND, 360 * SECOND)
    while at < delivered:
        position = DriverPosition(driver_id=courier.id, location=_point(rng), order_id=order.id)
        steps.append((at, _recorder(DriverLocationChanged, rider, position=position)))
        at += rng.randint(240 * SECOND, 360 * SECOND)
    # stable: two steps at the same moment keep the order they were listed in
    yield from sorted(steps, key=lambda step: step[0])


def merge(stories: Iterable[tuple[int, Iterator[Step]]]) -> Iterator[Step]:
    """The steps of (begins, story) pairs, given in order of ``begins``, in timestamp order.

    A story is opened once every step before its beginning is out, so memory holds only
    the stories under way. Steps at the same moment come out in the order pushed."""
    heap: list[tuple[int, int, Step, Iterator[Step]]] = []
    seq = itertools.count()

    def push(story: Iterator[Step]) -> None:
        step = next(story, None)
        if step is not None:
            heapq.heappush(heap, (step[0], next(seq), step, story))

    for begins, story in stories:
        while heap and heap[0][0] <= begins:
            _, _, step, popped = heapq.heappop(heap)
            yield step
            push(popped)
        push(story)
    while heap:
        _, _, step, popped = heapq.heappop(heap)
        yield step
        push(popped)


def stories(
    world: World, rng: random.Random, start_ms: int, order_every_ms: int, order_prefix: str = ""
) -> Iterator[tuple[int, Iterator[Step]]]:
    """(when it begins, story): the catalog, the menu changes, then one order after another
    (a new one every ``order_every_ms`` on average), forever."""
    yield start_ms, _catalog(world, start_ms)
    yield start_ms, _menu_changes(world, rng, start_ms)
    at = start_ms
    for k in itertools.count():
        at += max(1, int(rng.expovariate(1 / order_every_ms)))
        yield at, _story(world, rng, f"{order_prefix}{k:08d}", at)


def stream(
    n: int,
    *,
    seed: int = 7,
    start_ms: int = START_MS,
    order_every_ms: int = 1000,
    order_prefix: str = "",
    world: World | None = None,
) -> Iterator[Event]:
    """Exactly ``n`` events (the last orders cut short), in timestamp order. The world (the
    restaurants, customers, drivers) is the same for every seed; ``seed`` picks the
    traffic; order ids are ``o-bench-<order_prefix><number>``."""
    world = world or make_world(random.Random(WORLD_SEED))
    rng = random.Random(seed)
    steps = merge(stories(world, rng, start_ms, order_every_ms, order_prefix))
    for at, build in itertools.islice(steps, n):
        yield build(at)


def mix(events: Iterable[Event]) -> dict[str, int]:
    """How many events of each type, most frequent first."""
    return dict(Counter(event.type for event in events).most_common())
