"""The demo drivers the dev sign-in offers, each with their vehicle. Drivers need no
registration: an identity is enough to go online (the vehicle is remembered)."""

from __future__ import annotations

from dataclasses import dataclass

from bff.kit.spec import Identity


@dataclass(frozen=True, slots=True)
class DemoDriver:
    id: str
    name: str
    vehicle: str

    @property
    def identity(self) -> Identity:
        return Identity(self.id, self.name)


DRIVERS: tuple[DemoDriver, ...] = (
    DemoDriver("d-jonas", "Jonas Weber", "bicycle"),
    DemoDriver("d-aylin", "Aylin Kaya", "scooter"),
    DemoDriver("d-ben", "Ben Okafor", "car"),
)

IDENTITIES: tuple[Identity, ...] = tuple(d.identity for d in DRIVERS)


def vehicle_of(driver_id: str) -> str | None:
    """A demo driver's vehicle (the default when going online the first time), if any."""
    return next((d.vehicle for d in DRIVERS if d.id == driver_id), None)
