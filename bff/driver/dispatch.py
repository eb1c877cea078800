"""The driver's commands: go online and offline, report where they are, take an offered
delivery, pick it up, deliver it.

Two entities, each written with its events through the outbox (``bff.kit.outbox``):

- ``drivers`` (one per driver): status, vehicle, location, the active order. Every
  command that changes it holds the driver's *command lock* (``one_command_at_a_time``)
  while it reads, decides and writes, so one driver's concurrent commands (two taps, two
  devices) are decided one after the other: a driver never takes two orders at once.
- ``deliveries`` (one per order, ``_id`` = order id): *inserted* on accept with its
  delivery-accepted event. A second insert of the same ``_id`` fails atomically and writes
  nothing, so of any number of drivers accepting one order on any number of replicas,
  exactly one wins; the others get ``InvalidState("... already taken by another driver")``.

Lock order is always the driver's command lock first, then the delivery's: no deadlock.
The offer itself is read from the ``offers`` view (the listener's): an order is offered
once its kitchen accepted it, can be picked up once order-ready was seen, and is no
longer offered once taken, cancelled or rejected.

Timestamps are causal (``causal_now``): later than the entity's last event and than the
last event the view applied to the offer, so every view applies the driver's facts even
when this machine's clock runs behind the kitchen's.

Each raises a ``bff.kit.failures.CommandFailed`` having written nothing. (One exception,
repaired on retry: if the process dies between writing a delivery and the driver, the
next accept of the same order, or the next mark_delivered, completes the driver's side.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from adapters.store import Document
from bff.driver.demo import vehicle_of
from bff.driver.names import DELIVERIES, DRIVERS, OFFERS, SERVICE, VEHICLES, actor
from bff.driver.offers import DeliveryRecord, DriverState, Offer
from bff.kit import inputs
from bff.kit.clock import Clock, causal_now, system_clock
from bff.kit.commandlock import busy_as_failure, one_command_at_a_time
from bff.kit.doclock import DocumentLocks
from bff.kit.failures import InvalidInput, InvalidState, NotAllowed, NotFound
from bff.kit.outbox import Outbox
from events import (
    DeliveryAccepted,
    DriverLocationChanged,
    DriverPosition,
    DriverStatusChanged,
    Event,
    GeoPoint,
    OrderDelivered,
    OrderPickedUp,
)

TAKEN = "already taken by another driver"


class AlreadyTaken(InvalidState):
    """Another driver won the order (a Conflict the app can tell apart: ``TAKEN``)."""

    code = "TAKEN"


@dataclass(frozen=True, slots=True)
class DriverIdentity:
    """The acting driver, from their token."""

    id: str
    name: str


class DispatchCommands:
    """The driver's verbs."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        outbox: Outbox,
        locks: DocumentLocks,
        *,
        clock: Clock = system_clock,
        region: str = "local",
    ) -> None:
        self._drivers = db[DRIVERS]
        self._deliveries = db[DELIVERIES]
        self._offers = db[OFFERS]
        self._outbox = outbox
        self._locks = locks
        self._clock = clock
        self._region = region

    # --- the driver's shift ---------------------------------------------------------------

    async def go_online(
        self,
        driver: DriverIdentity,
        location: GeoPoint | Mapping[str, Any],
        vehicle: str | None = None,
    ) -> DriverState:
        """Available for offers, at ``location`` (with ``vehicle``, else the one used last
        time): driver-status-changed. A busy driver stays busy (InvalidState)."""
        where = _location(location)
        name = inputs.text("name", driver.name, max_length=inputs.NAME_MAX)
        async with one_command_at_a_time(self._locks, self._drivers, driver.id):
            current = await self._driver(driver.id)
            if current is not None and current.status == "busy":
                raise InvalidState(f"you are delivering order {current.active_order_id!r}")
            chosen = _vehicle(vehicle, current, driver.id)
            base = current or DriverState(id=driver.id, name=name, vehicle=chosen, status="offline")
            online = base.model_copy(
                update={"name": name, "vehicle": chosen, "status": "available", "location": where}
            )
            if current is not None and online == current:
                return current  # nothing changed: nothing to tell
            return await self._save_driver(online, upsert=current is None)

    async def go_offline(self, driver: DriverIdentity) -> DriverState:
        """No more offers: driver-status-changed (the location is not shared any more).
        Refused while the driver holds a delivery."""
        async with one_command_at_a_time(self._locks, self._drivers, driver.id):
            current = await self._driver(driver.id)
            if current is None or current.status == "offline":
                if current is None:
                    raise InvalidState("you are not online")
                return current
            if current.active_order_id is not None:
                raise InvalidState(
                    f"deliver order {current.active_order_id!r} before going offline"
                )
            offline = current.model_copy(update={"status": "offline", "location": None})
            return await self._save_driver(offline)

    async def report_location(
        self, driver: DriverIdentity, location: GeoPoint | Mapping[str, Any]
    ) -> DriverState:
        """Where the driver is now: driver-location-changed, naming the order they deliver
        (if any). Nothing when they have not moved and deliver nothing (a customer who
        follows an order hears every report). Refused while offline."""
        where = _location(location)
        async with one_command_at_a_time(self._locks, self._drivers, driver.id):
            current = await self._driver(driver.id)
            if current is None or current.status == "offline":
                raise InvalidState("go online before sharing your location")
            if current.location == where and current.active_order_id is None:
                return current  # not moved, and no customer follows: nothing to tell
            now = causal_now(self._clock, current.last_event_ms)
            event = DriverLocationChanged.record(
                position=DriverPosition(
                    driver_id=driver.id, location=where, order_id=current.active_order_id
                ),
                source=SERVICE,
                actor=actor(driver.id),
                region=self._region,
                now_ms=now,
            )
            moved = current.model_copy(update={"location": where, "last_event_ms": now})
            await self._write_driver(moved, [event])
            return moved

    # --- deliveries -----------------------------------------------------------------------

    async def accept_delivery(self, driver: DriverIdentity, order_id: str) -> DeliveryRecord:
        """Take an open offer: delivery-accepted, and the driver becomes busy
        (driver-status-changed). Exactly one driver wins an order; one order per driver."""
        order_id = inputs.identifier("orderId", order_id)
        offer = await self._open_offer(order_id)
        async with one_command_at_a_time(self._locks, self._drivers, driver.id):
            current = await self._driver(driver.id)
            if current is None or current.status == "offline":
                raise InvalidState("go online before accepting deliveries")
            if current.active_order_id is not None:
                if current.active_order_id == order_id:
                    raise InvalidState(f"you have already accepted order {order_id!r}")
                raise InvalidState(
                    f"deliver order {current.active_order_id!r} before accepting another"
                )
            now = causal_now(self._clock, max(current.last_event_ms, offer.last_event_ms))
            delivery = DeliveryRecord(
                order_id=order_id,
                driver_id=current.id,
                driver_name=current.name,
                vehicle=current.vehicle,
                restaurant_id=offer.restaurant_id,
                customer_id=offer.customer_id,
                status="accepted",
                accepted_at=now,
                order=offer.order,
                pickup_address=offer.pickup_address,
                drop_off=offer.drop_off,
                earnings_cents=offer.fee_cents,
                currency=offer.currency,
                last_event_ms=now,
                correlation_id=offer.correlation_id,
                accepted_event_id="",
                last_event_id="",
            )
            event = DeliveryAccepted.record(
                delivery=delivery.snapshot(),
                source=SERVICE,
                actor=actor(current.id),
                region=self._region,
                correlation_id=offer.correlation_id,
                causation_id=offer.order_accepted_event_id,
                now_ms=now,
            )
            delivery = delivery.model_copy(
                update={"accepted_event_id": event.id, "last_event_id": event.id}
            )
            try:
                with busy_as_failure():
                    await self._outbox.insert(self._deliveries, delivery.to_document(), [event])
            except DuplicateKeyError:
                earlier = await self._delivery(order_id)
                if earlier is None or earlier.driver_id != current.id:
                    raise AlreadyTaken(f"order {order_id!r} was {TAKEN}") from None
                delivery, event_id = earlier, earlier.accepted_event_id  # a retry: finish it
            else:
                event_id = event.id
            busy = current.model_copy(update={"status": "busy", "active_order_id": order_id})
            await self._save_driver(busy, after_ms=delivery.accepted_at, cause=(event_id, delivery))
        return delivery

    async def mark_picked_up(self, driver: DriverIdentity, order_id: str) -> DeliveryRecord:
        """Collected at the restaurant: order-picked-up. Only the driver's own accepted
        delivery, and only once the kitchen marked the order ready."""
        order_id = inputs.identifier("orderId", order_id)
        async with (
            one_command_at_a_time(self._locks, self._drivers, driver.id),
            one_command_at_a_time(self._locks, self._deliveries, order_id),
        ):
            delivery = await self._own_delivery(driver.id, order_id)
            if delivery.status != "accepted":
                raise InvalidState(f"order {order_id!r} was already {delivery.status}")
            offer_doc = await self._offers.find_one({"_id": order_id})
            offer = Offer.from_document(offer_doc) if offer_doc is not None else None
            if offer is None or not offer.ready:
                raise InvalidState(f"the restaurant has not marked order {order_id!r} ready yet")
            now = causal_now(self._clock, max(delivery.last_event_ms, offer.last_event_ms))
            picked = delivery.model_copy(update={"status": "picked-up", "picked_up_at": now})
            event = OrderPickedUp.record(delivery=picked.snapshot(), **self._story(picked, now))
            return await self._advance(picked, event)

    async def mark_delivered(self, driver: DriverIdentity, order_id: str) -> DeliveryRecord:
        """Handed to the customer: order-delivered, and the driver is available again
        (driver-status-changed). Only the driver's own picked-up delivery."""
        order_id = inputs.identifier("orderId", order_id)
        async with (
            one_command_at_a_time(self._locks, self._drivers, driver.id),
            one_command_at_a_time(self._locks, self._deliveries, order_id),
        ):
            delivery = await self._own_delivery(driver.id, order_id)
            current = await self._driver(driver.id)
            if delivery.status == "delivered":
                if current is not None and current.active_order_id == order_id:
                    await self._release(current, delivery)  # finish an interrupted one
                    return delivery
                raise InvalidState(f"order {order_id!r} was already delivered")
            if delivery.status != "picked-up":
                raise InvalidState(f"pick order {order_id!r} up before delivering it")
            now = causal_now(self._clock, delivery.last_event_ms)
            done = delivery.model_copy(update={"status": "delivered", "delivered_at": now})
            event = OrderDelivered.record(delivery=done.snapshot(), **self._story(done, now))
            done = await self._advance(done, event)
            if current is not None and current.active_order_id == order_id:
                await self._release(current, done)
            return done

    # --- helpers --------------------------------------------------------------------------

    async def _driver(self, driver_id: str) -> DriverState | None:
        doc = await self._drivers.find_one({"_id": driver_id})
        return DriverState.from_document(doc) if doc is not None else None

    async def _delivery(self, order_id: str) -> DeliveryRecord | None:
        doc = await self._deliveries.find_one({"_id": order_id})
        return DeliveryRecord.from_document(doc) if doc is not None else None

    async def _own_delivery(self, driver_id: str, order_id: str) -> DeliveryRecord:
        delivery = await self._delivery(order_id)
        if delivery is None:
            raise NotFound(f"you have not accepted order {order_id!r}")
        if delivery.driver_id != driver_id:
            raise NotAllowed(f"order {order_id!r} is delivered by another driver")
        return delivery

    async def _open_offer(self, order_id: str) -> Offer:
        doc = await self._offers.find_one({"_id": order_id})
        if doc is not None and doc.get("status") == "gone":
            raise InvalidState(f"order {order_id!r} was {doc.get('goneReason') or 'withdrawn'}")
        offer = Offer.from_document(doc) if doc is not None else None
        if offer is None:
            raise NotFound(f"order {order_id!r} is not offered")
        if offer.status == "taken":
            raise AlreadyTaken(f"order {order_id!r} was {TAKEN}")
        if offer.status == "gone":
            raise InvalidState(f"order {order_id!r} was {offer.gone_reason or 'withdrawn'}")
        if offer.status != "open":
            raise InvalidState(f"order {order_id!r} was already {offer.status}")
        return offer

    def _story(self, delivery: DeliveryRecord, now: int) -> dict[str, Any]:
        """Tags of a delivery step: caused by the delivery's previous event, in the order's
        correlation."""
        return {
            "source": SERVICE,
            "actor": actor(delivery.driver_id),
            "region": self._region,
            "correlation_id": delivery.correlation_id,
            "causation_id": delivery.last_event_id,
            "now_ms": now,
        }

    async def _advance(
        self, delivery: DeliveryRecord, event: OrderPickedUp | OrderDelivered
    ) -> DeliveryRecord:
        """Store the delivery's next step with its event (under the delivery's lock)."""
        moved = delivery.model_copy(
            update={"last_event_ms": event.timestamp, "last_event_id": event.id}
        )
        changed = {k: v for k, v in moved.to_document().items() if k != "_id"}
        with busy_as_failure():
            written = await self._outbox.update(
                self._deliveries, {"_id": delivery.order_id}, {"$set": changed}, [event]
            )
        if written is None:  # pragma: no cover (a delivery is never deleted)
            raise NotFound(f"you have not accepted order {delivery.order_id!r}")
        return moved

    async def _release(self, current: DriverState, delivery: DeliveryRecord) -> None:
        available = current.model_copy(update={"status": "available", "active_order_id": None})
        await self._save_driver(
            available,
            after_ms=delivery.last_event_ms,
            cause=(delivery.last_event_id, delivery),
        )

    async def _save_driver(
        self,
        driver: DriverState,
        *,
        upsert: bool = False,
        after_ms: int = 0,
        cause: tuple[str, DeliveryRecord] | None = None,
    ) -> DriverState:
        """The driver's new status with its driver-status-changed event."""
        now = causal_now(self._clock, max(driver.last_event_ms, after_ms))
        event = DriverStatusChanged.record(
            driver=driver.snapshot(),
            source=SERVICE,
            actor=actor(driver.id),
            region=self._region,
            correlation_id=cause[1].correlation_id if cause else None,
            causation_id=cause[0] if cause else None,
            now_ms=now,
        )
        saved = driver.model_copy(update={"last_event_ms": now})
        await self._write_driver(saved, [event], upsert=upsert)
        return saved

    async def _write_driver(
        self, driver: DriverState, events: list[Event], *, upsert: bool = False
    ) -> None:
        doc = driver.model_dump(mode="json", by_alias=True, exclude={"id"})
        with busy_as_failure():
            if upsert:  # the driver's first time online (under their command lock)
                await self._outbox.insert(self._drivers, {"_id": driver.id, **doc}, events)
                return
            await self._outbox.update(self._drivers, {"_id": driver.id}, {"$set": doc}, events)


def _location(value: GeoPoint | Mapping[str, Any]) -> GeoPoint:
    if isinstance(value, GeoPoint):
        return value
    try:
        return GeoPoint.model_validate(value)
    except ValidationError as exc:
        raise inputs.first_error(exc, "location") from None


def _vehicle(vehicle: str | None, current: DriverState | None, driver_id: str) -> str:
    """The vehicle asked for, else the one used last time (or the demo driver's)."""
    if vehicle is None:
        known = current.vehicle if current is not None else vehicle_of(driver_id)
        if known is None:
            raise InvalidInput("vehicle", f"choose one of {', '.join(VEHICLES)}")
        return known
    if vehicle not in VEHICLES:
        raise InvalidInput("vehicle", f"must be one of {', '.join(VEHICLES)}")
    return vehicle
