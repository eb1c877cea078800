"""GraphQL types of the restaurants a customer can browse (from ``bff.customer.catalog``)."""

from __future__ import annotations

import strawberry

from bff.customer.catalog import CatalogRestaurant
from bff.customer.ordering import MAX_DISTANCE_KM, delivery_fee_cents
from bff.kit.geo import distance_km
from bff.kit.problems import ExpectedError
from bff.kit.snapshots import MenuItem
from bff.kit.values import Address, EpochMs, Money
from events import GeoPoint as WireGeoPoint
from events import Menu


@strawberry.type(description="One category of the menu, items in the restaurant's order.")
class MenuSection:
    category: str
    items: list[MenuItem]


@strawberry.type(description="What delivery to a place costs and whether it is in range.")
class DeliveryEstimate:
    distance_km: float
    fee: Money
    in_range: bool = strawberry.field(description=f"within {MAX_DISTANCE_KM:.0f} km")


@strawberry.type(description="A restaurant you can order from.")
class Restaurant:
    id: strawberry.ID
    name: str
    cuisine: str
    description: str | None
    address: Address
    is_open: bool
    prep_minutes: int = strawberry.field(description="its usual preparation time")
    menu: list[MenuSection] = strawberry.field(description="empty until it has a menu")
    updated_at: EpochMs
    location: strawberry.Private[WireGeoPoint]
    currency: strawberry.Private[str]

    @strawberry.field(description="Distance and delivery fee to a point (your address).")
    def delivery_to(self, lat: float, lng: float) -> DeliveryEstimate:
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ExpectedError("lat must be within -90..90 and lng within -180..180")
        km = distance_km(self.location, WireGeoPoint(lat=lat, lng=lng))
        return DeliveryEstimate(
            distance_km=round(km, 2),
            fee=Money(amount=delivery_fee_cents(km), currency=self.currency),
            in_range=km <= MAX_DISTANCE_KM,
        )

    @classmethod
    def from_view(cls, found: CatalogRestaurant) -> Restaurant:
        details = found.restaurant
        return cls(
            id=strawberry.ID(details.id),
            name=details.name,
            cuisine=details.cuisine,
            description=details.description,
            address=Address.from_wire(details.address),
            is_open=details.is_open,
            prep_minutes=details.default_prep_minutes,
            menu=[
                MenuSection(category=category, items=[MenuItem.from_wire(i) for i in items])
                for category, items in found.sections()
            ],
            updated_at=EpochMs(found.last_event_ms),
            location=details.address.location,
            currency=_currency(found.menu),
        )


def _currency(menu: Menu | None) -> str:
    return menu.items[0].price.currency if menu is not None and menu.items else "EUR"


@strawberry.type(description="A page of restaurants, by name.")
class RestaurantPage:
    items: list[Restaurant]
    next_cursor: str | None = strawberry.field(description="pass as `after` for the next page")
