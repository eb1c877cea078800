"""Where things are: points, distances, drop-off addresses near a restaurant, the legs of
a ride."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

EARTH_RADIUS_KM = 6371.0088

#: real Berlin streets with a postcode they run through (the numbers are made up)
STREETS: tuple[tuple[str, str], ...] = (
    ("Oranienstraße", "10999"),
    ("Wiener Straße", "10999"),
    ("Skalitzer Straße", "10997"),
    ("Kottbusser Damm", "10967"),
    ("Bergmannstraße", "10961"),
    ("Gneisenaustraße", "10961"),
    ("Yorckstraße", "10965"),
    ("Sonnenallee", "12047"),
    ("Karl-Marx-Straße", "12043"),
    ("Hermannstraße", "12049"),
    ("Kastanienallee", "10435"),
    ("Schönhauser Allee", "10437"),
    ("Prenzlauer Allee", "10405"),
    ("Greifswalder Straße", "10405"),
    ("Torstraße", "10119"),
    ("Brunnenstraße", "10119"),
    ("Invalidenstraße", "10115"),
    ("Friedrichstraße", "10117"),
    ("Warschauer Straße", "10243"),
    ("Boxhagener Straße", "10245"),
)


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lng: float

    @classmethod
    def of(cls, value: Any) -> Point:
        """A point from a GraphQL ``GeoPoint`` (``{lat lng}``)."""
        return cls(float(value["lat"]), float(value["lng"]))

    def as_input(self) -> dict[str, float]:
        """As a ``GeoPointInput``."""
        return {"lat": round(self.lat, 6), "lng": round(self.lng, 6)}


@dataclass(frozen=True, slots=True)
class Place:
    """A postal address and its point."""

    line1: str
    city: str
    postcode: str
    point: Point

    def as_input(self) -> dict[str, Any]:
        """As an ``AddressInput``."""
        return {
            "line1": self.line1,
            "city": self.city,
            "postcode": self.postcode,
            **self.point.as_input(),
        }


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlng = lat2 - lat1, math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def moved(start: Point, km: float, bearing_degrees: float) -> Point:
    """The point ``km`` away from ``start`` in direction ``bearing_degrees`` (0 = north)."""
    angle = km / EARTH_RADIUS_KM
    bearing = math.radians(bearing_degrees)
    lat1, lng1 = math.radians(start.lat), math.radians(start.lng)
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing)
    )
    lng2 = lng1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat1),
        math.cos(angle) - math.sin(lat1) * math.sin(lat2),
    )
    return Point(math.degrees(lat2), (math.degrees(lng2) + 540) % 360 - 180)


def point_near(center: Point, max_km: float, rng: random.Random, min_km: float = 0.1) -> Point:
    """A point spread evenly over the ring ``min_km``-``max_km`` around ``center``."""
    low, high = min(min_km, max_km), max_km
    km = math.sqrt(rng.uniform(low * low, high * high))
    return moved(center, km, rng.uniform(0.0, 360.0))


def drop_off_near(center: Point, max_km: float, rng: random.Random) -> Place:
    """A real-looking Berlin address within ``max_km`` of ``center``."""
    street, postcode = rng.choice(STREETS)
    return Place(
        line1=f"{street} {rng.randint(1, 140)}",
        city="Berlin",
        postcode=postcode,
        point=point_near(center, max_km, rng, min_km=0.3),
    )


def legs(start: Point, end: Point, count: int) -> list[Point]:
    """``count`` points evenly along the way from ``start`` to ``end``: the last is ``end``."""
    if count < 1:
        raise ValueError("a ride has at least one leg")
    return [
        Point(
            start.lat + (end.lat - start.lat) * step / count,
            start.lng + (end.lng - start.lng) * step / count,
        )
        for step in range(1, count + 1)
    ]
