"""The demo restaurants: who the dev sign-in offers, and what seeding registers.

Seeding goes through the BFF's own commands (``seed``), never into views directly, so
the demo's restaurants and menus reach the hub as real events like any other.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from adapters.notify import redis_client
from adapters.settings import Settings
from adapters.store import store_client
from bff.kit.doclock import DocumentLocks
from bff.kit.failures import InvalidState
from bff.kit.outbox import Outbox
from bff.kit.spec import Identity
from bff.restaurant.commands import RestaurantCommands
from bff.restaurant.names import BFF_NAME, DATABASE
from bff.restaurant.profile import ProfileCommands
from events import Address, GeoPoint, MenuItem, Money, Restaurant


@dataclass(frozen=True, slots=True)
class DemoRestaurant:
    restaurant: Restaurant
    items: tuple[MenuItem, ...]

    @property
    def identity(self) -> Identity:
        return Identity(self.restaurant.id, self.restaurant.name)


def _item(item_id: str, name: str, cents: int, category: str, description: str) -> MenuItem:
    return MenuItem(
        id=item_id,
        name=name,
        description=description,
        price=Money(amount=cents, currency="EUR"),
        category=category,
        available=True,
    )


def _restaurant(
    rid: str, name: str, cuisine: str, line1: str, postcode: str, lat: float, lng: float
) -> Restaurant:
    return Restaurant(
        id=rid,
        name=name,
        cuisine=cuisine,
        address=Address(
            line1=line1, city="Berlin", postcode=postcode, location=GeoPoint(lat=lat, lng=lng)
        ),
        is_open=True,
        default_prep_minutes=15,
    )


RESTAURANTS: tuple[DemoRestaurant, ...] = (
    DemoRestaurant(
        _restaurant(
            "r-trattoria",
            "Trattoria Da Luca",
            "Italian",
            "Oranienstr. 12",
            "10999",
            52.5019,
            13.4186,
        ),
        (
            _item(
                "mi-margherita", "Pizza Margherita", 950, "Pizza", "Tomato, fior di latte, basil"
            ),
            _item("mi-diavola", "Pizza Diavola", 1150, "Pizza", "Spicy salami, chili, mozzarella"),
            _item("mi-carbonara", "Spaghetti Carbonara", 1250, "Pasta", "Guanciale, egg, pecorino"),
            _item("mi-tiramisu", "Tiramisu", 650, "Dessert", "Mascarpone, espresso, cocoa"),
            _item("mi-limonata", "Limonata", 350, "Drinks", "Sicilian lemonade, 0.33 l"),
        ),
    ),
    DemoRestaurant(
        _restaurant(
            "r-sakura",
            "Sakura Sushi Bar",
            "Japanese",
            "Kastanienallee 45",
            "10119",
            52.5386,
            13.4098,
        ),
        (
            _item("mi-salmon-nigiri", "Salmon Nigiri (2)", 550, "Nigiri", "Scottish salmon"),
            _item("mi-california", "California Roll (8)", 890, "Maki", "Crab, avocado, cucumber"),
            _item("mi-ramen", "Shoyu Ramen", 1390, "Warm", "Chicken broth, chashu, egg, nori"),
            _item("mi-edamame", "Edamame", 450, "Sides", "Sea salt"),
            _item("mi-matcha", "Iced Matcha", 420, "Drinks", "Oat milk"),
        ),
    ),
    DemoRestaurant(
        _restaurant(
            "r-curry",
            "Curry Haus",
            "Indian",
            "Bergmannstr. 88",
            "10961",
            52.4895,
            13.3920,
        ),
        (
            _item("mi-butter-chicken", "Butter Chicken", 1290, "Curries", "With basmati rice"),
            _item("mi-chana", "Chana Masala", 990, "Curries", "Chickpeas, tomato, vegan"),
            _item("mi-naan", "Garlic Naan", 350, "Breads", "From the tandoor"),
            _item("mi-samosa", "Samosas (2)", 550, "Starters", "Potato and peas, tamarind"),
            _item("mi-lassi", "Mango Lassi", 450, "Drinks", "Yoghurt, mango"),
        ),
    ),
)

IDENTITIES: tuple[Identity, ...] = tuple(demo.identity for demo in RESTAURANTS)


async def seed(profile: ProfileCommands) -> list[str]:
    """Register the demo restaurants not registered yet; returns the ids registered now."""
    registered = []
    for demo in RESTAURANTS:
        try:
            await profile.register_restaurant(demo.restaurant, demo.items)
        except InvalidState:  # registered already (a second run): leave it as it is
            continue
        registered.append(demo.restaurant.id)
    return registered


async def seed_local(settings: Settings) -> list[str]:
    """Seed the demo restaurants into the stack ``settings`` name; the BFF's trigger role
    (running or started later) publishes their events."""
    mongo = store_client(settings.mongo_url)
    redis = redis_client(settings.redis_url)
    try:
        locks = DocumentLocks(redis)
        outbox = Outbox(BFF_NAME, locks=locks, redis=redis)
        commands = RestaurantCommands.create(
            mongo[settings.database(DATABASE)], outbox, locks, region=settings.region
        )
        registered = await seed(commands.profile)
        await outbox.settled()  # the relay's wake-ups are out before Redis closes
        return registered
    finally:
        await redis.aclose()
        await mongo.close()


def main() -> int:
    """``python -m bff.restaurant.demo``: register the demo restaurants (idempotent)."""
    registered = asyncio.run(seed_local(Settings()))
    print(f"demo restaurants registered now: {', '.join(registered) or 'none (all there)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
