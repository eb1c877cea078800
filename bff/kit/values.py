"""GraphQL types of the value objects every app shows: money, places, times.

``EpochMs`` is a point in time as milliseconds since 1970-01-01 UTC (what the events carry;
GraphQL's ``Int`` is 32-bit, too small). ``Money`` is integer cents with its currency.
Each type converts from its wire model (``events.values``) with ``from_wire``.
"""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from events import Address as WireAddress
from events import GeoPoint as WireGeoPoint
from events import Money as WireMoney


def _epoch_ms(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("EpochMs must be a whole number of milliseconds")
    number = int(value)
    if number != float(value) or not 0 <= number < 10**15:
        raise ValueError("EpochMs must be a whole number of milliseconds since 1970")
    return number


EpochMs = NewType("EpochMs", int)

#: the kit's scalars, in every schema ``bff.kit.schema.make_schema`` builds
SCALARS: dict[object, ScalarDefinition] = {
    EpochMs: strawberry.scalar(
        name="EpochMs",
        description="A point in time: milliseconds since 1970-01-01T00:00:00Z.",
        serialize=int,
        parse_value=_epoch_ms,
    )
}


def maybe_ms(value: int | None) -> EpochMs | None:
    """An optional point in time as the ``EpochMs`` scalar."""
    return None if value is None else EpochMs(value)


@strawberry.type(description="An amount of money in minor units (cents).")
class Money:
    amount: int = strawberry.field(description="integer cents")
    currency: str = strawberry.field(description="ISO 4217 code, e.g. EUR")

    @classmethod
    def from_wire(cls, money: WireMoney) -> Money:
        return cls(amount=money.amount, currency=money.currency)


@strawberry.type(description="A point on the map.")
class GeoPoint:
    lat: float
    lng: float

    @classmethod
    def from_wire(cls, point: WireGeoPoint) -> GeoPoint:
        return cls(lat=point.lat, lng=point.lng)


@strawberry.type(description="A postal address with its location.")
class Address:
    line1: str
    city: str
    postcode: str
    location: GeoPoint

    @classmethod
    def from_wire(cls, address: WireAddress) -> Address:
        return cls(
            line1=address.line1,
            city=address.city,
            postcode=address.postcode,
            location=GeoPoint.from_wire(address.location),
        )


@strawberry.input(description="A postal address with its location on the map.")
class AddressInput:
    line1: str
    city: str
    postcode: str
    lat: float
    lng: float

    def to_wire_fields(self) -> dict[str, object]:
        """The address as the wire model's fields (checked by the command)."""
        return {
            "line1": self.line1,
            "city": self.city,
            "postcode": self.postcode,
            "location": {"lat": self.lat, "lng": self.lng},
        }


@strawberry.input(description="A point on the map (degrees).")
class GeoPointInput:
    lat: float
    lng: float

    def to_wire_fields(self) -> dict[str, object]:
        """The point as the wire model's fields (checked by the command)."""
        return {"lat": self.lat, "lng": self.lng}
