"""Value types shared by several snapshots: money, a point on the map, an address."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from events.wire import Text, WireModel


class Money(WireModel):
    """An amount in integer minor units (cents) of one ISO 4217 currency."""

    amount: Annotated[int, Field(ge=0, description="integer cents")]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")]


class GeoPoint(WireModel):
    """A WGS 84 latitude/longitude pair in degrees."""

    lat: Annotated[float, Field(ge=-90, le=90)]
    lng: Annotated[float, Field(ge=-180, le=180)]


class Address(WireModel):
    """A postal address with its location on the map."""

    line1: Text
    city: Text
    postcode: Text
    location: GeoPoint
