"""The demo customers the dev sign-in offers, with an address each app user may start
from. Customers need no registration: an identity is enough to browse and order."""

from __future__ import annotations

from dataclasses import dataclass

from bff.kit.spec import Identity
from events import Address, GeoPoint


@dataclass(frozen=True, slots=True)
class DemoCustomer:
    id: str
    name: str
    home: Address

    @property
    def identity(self) -> Identity:
        return Identity(self.id, self.name)


def _home(line1: str, postcode: str, lat: float, lng: float) -> Address:
    return Address(
        line1=line1, city="Berlin", postcode=postcode, location=GeoPoint(lat=lat, lng=lng)
    )


CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer("c-lena", "Lena Fischer", _home("Wiener Straße 12", "10999", 52.4975, 13.4313)),
    DemoCustomer("c-omar", "Omar Haddad", _home("Schönhauser Allee 70", "10437", 52.5446, 13.4126)),
    DemoCustomer("c-mia", "Mia Schulz", _home("Gneisenaustraße 41", "10961", 52.4913, 13.3947)),
)

IDENTITIES: tuple[Identity, ...] = tuple(c.identity for c in CUSTOMERS)


def home_of(customer_id: str) -> Address | None:
    """A demo customer's home address (the app's first suggestion), if any."""
    return next((c.home for c in CUSTOMERS if c.id == customer_id), None)
