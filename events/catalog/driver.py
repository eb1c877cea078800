"""Facts about a driver; partitionKey is the driver id."""

from __future__ import annotations

from typing import Literal

from events.envelope import Event
from events.snapshots import Driver, DriverPosition


class DriverStatusChanged(Event):
    """A driver went online, offline, or became busy or available again."""

    key_path = "driver.id"
    type: Literal["driver-status-changed"]
    driver: Driver


class DriverLocationChanged(Event):
    """A driver's phone reported a new position."""

    key_path = "position.driver_id"
    type: Literal["driver-location-changed"]
    position: DriverPosition
