"""Reads for the driver's app: open offers near a point, one offer, the driver with the
delivery they are on, and their deliveries of today with what they earned.

Single documents are read by ``_id`` (FerretDB's one indexed filter). The open offers and
a driver's deliveries filter on other fields: on FerretDB that scans the collection
(acceptable: open offers are few at any moment; MongoDB uses the listener's index).
Distances are straight lines (``bff.kit.geo``), from the point asked to the pickup.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from adapters.store import Document
from bff.driver.names import DELIVERIES, DRIVERS, OFFERS
from bff.driver.offers import (
    DayOfDeliveries,
    DeliveryRecord,
    DriverOverview,
    DriverState,
    NearbyOffer,
    Offer,
)
from bff.kit.clock import Clock, system_clock
from bff.kit.geo import distance_km
from events import GeoPoint

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
#: the city the demo delivers in: "today" starts at its midnight
LOCAL_TIME = ZoneInfo("Europe/Berlin")


class DriverQueries:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        clock: Clock = system_clock,
        timezone: ZoneInfo = LOCAL_TIME,
    ) -> None:
        self._offers = db[OFFERS]
        self._drivers = db[DRIVERS]
        self._deliveries = db[DELIVERIES]
        self._clock = clock
        self._timezone = timezone

    async def open_offers(self, near: GeoPoint, *, limit: int = DEFAULT_LIMIT) -> list[NearbyOffer]:
        """Open offers, the nearest pickup first (then the oldest accept, then id)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be 1 to {MAX_LIMIT}, got {limit!r}")
        docs = [doc async for doc in self._offers.find({"status": "open"})]
        offers = [o for o in (Offer.from_document(d) for d in docs) if o is not None]
        nearby = [
            NearbyOffer(offer=o, distance_km=distance_km(near, o.pickup_address.location))
            for o in offers
        ]
        nearby.sort(key=lambda n: (n.distance_km, n.offer.accepted_at, n.offer.order_id))
        return nearby[:limit]

    async def offer(self, order_id: str) -> Offer | None:
        """One offer, whatever its status; None if unknown."""
        doc = await self._offers.find_one({"_id": order_id})
        return Offer.from_document(doc) if doc is not None else None

    async def taken_by(self, order_id: str) -> str | None:
        """The driver who won the order (from the ``deliveries`` entity, which knows it
        before the view does), or None."""
        doc = await self._deliveries.find_one({"_id": order_id}, {"driverId": 1})
        return str(doc["driverId"]) if doc is not None else None

    async def driver(self, driver_id: str) -> DriverOverview | None:
        """The driver (status, location) with the delivery they are on; None until they
        first went online."""
        doc = await self._drivers.find_one({"_id": driver_id})
        if doc is None:
            return None
        driver = DriverState.from_document(doc)
        active = None
        if driver.active_order_id is not None:
            found = await self._deliveries.find_one({"_id": driver.active_order_id})
            active = DeliveryRecord.from_document(found) if found is not None else None
        return DriverOverview(driver=driver, active_delivery=active)

    async def deliveries_today(self, driver_id: str) -> DayOfDeliveries:
        """The driver's deliveries accepted since local midnight, oldest first; the
        earnings count the delivered ones."""
        return await self.deliveries_since(driver_id, self.start_of_today())

    async def deliveries_since(self, driver_id: str, since_ms: int) -> DayOfDeliveries:
        cursor = self._deliveries.find(
            {"driverId": driver_id, "acceptedAt": {"$gte": since_ms}}
        ).sort([("acceptedAt", ASCENDING), ("_id", ASCENDING)])
        deliveries = [DeliveryRecord.from_document(doc) async for doc in cursor]
        delivered = [d for d in deliveries if d.status == "delivered"]
        currencies = {d.currency for d in delivered} or {d.currency for d in deliveries}
        return DayOfDeliveries(
            since=since_ms,
            deliveries=deliveries,
            delivered=len(delivered),
            earnings_cents=sum(d.earnings_cents for d in delivered),
            currency=min(currencies) if currencies else "EUR",
        )

    async def deliveries_by_id(
        self, driver_id: str, order_ids: list[str]
    ) -> list[DeliveryRecord | None]:
        """Deliveries in the order asked (None: unknown or another driver's); for loaders."""
        docs = await asyncio.gather(*(self._deliveries.find_one({"_id": i}) for i in order_ids))
        found = [DeliveryRecord.from_document(d) if d is not None else None for d in docs]
        return [d if d is not None and d.driver_id == driver_id else None for d in found]

    def start_of_today(self) -> int:
        """Local midnight of today, in epoch ms."""
        now = datetime.fromtimestamp(self._clock() / 1000, self._timezone)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return int(midnight.timestamp() * 1000)
