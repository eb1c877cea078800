"""Names the driver BFF's modules share: service, database, collections, scopes.

Document shapes (camelCase; snapshots exactly as they travel on the wire):

entities (with an outbox, written by the dispatch commands):
- ``drivers`` (_id = driver id): ``name``, ``vehicle``, ``status`` ("offline" |
  "available" | "busy"), ``location`` ({lat, lng} or null; null while offline),
  ``activeOrderId`` (the order being delivered, or null), ``lastEventMs``.
- ``deliveries`` (_id = order id; inserted once, so one driver per order): ``driverId``,
  ``driverName``, ``vehicle``, ``restaurantId``, ``customerId``, ``status`` ("accepted" |
  "picked-up" | "delivered"), ``acceptedAt``, ``pickedUpAt``, ``deliveredAt``, ``order``
  (the Order snapshot as order-accepted carried it), ``pickupAddress`` and ``dropOff``
  (Address), ``earningsCents`` and ``currency`` (the order's delivery fee),
  ``lastEventMs``, ``correlationId`` (the order's story), ``acceptedEventId`` (the
  delivery-accepted event), ``lastEventId`` (the delivery's last event, cause of the next).

views (written by the listener ``DRIVER`` only; replay rebuilds them):
- ``offers`` (_id = order id): ``order`` (the Order snapshot of order-accepted),
  ``restaurantId``, ``restaurantName``, ``customerId``, ``pickupAddress``, ``dropOff``
  (Address), ``estimatedReadyAt``, ``acceptedAt`` (when the kitchen accepted),
  ``feeCents`` and ``currency`` (what the driver earns), ``orderAcceptedEventId``,
  ``correlationId``, ``status`` ("open" | "taken" | "picked-up" | "delivered" | "gone"),
  ``ready`` (bool) and ``readyAt``, ``takenBy`` (driver id), ``goneReason``
  (cancelled/rejected). A document may lack ``status`` (order-ready seen before
  order-accepted, after a partial replay): it is no offer yet.
"""

from __future__ import annotations

#: the producing service in every event's tags
SERVICE = "bff-driver"
#: the BFF's name to the kit (``BffSpec.service``): logs and the outbox wake-up channel
BFF_NAME = "driver"
#: the BFF's own database: its entities (with outboxes) and its views
DATABASE = "driver"

#: entity: one document per driver (status, vehicle, location, active order), with an outbox
DRIVERS = "drivers"
#: entity: one document per order a driver took on, with an outbox
DELIVERIES = "deliveries"
#: collections whose documents carry an outbox (what the trigger role publishes)
OUTBOX_COLLECTIONS = (DRIVERS, DELIVERIES)

#: view: one offer per order a kitchen accepted (written by the listener)
OFFERS = "offers"

#: the vehicles a driver may deliver with
VEHICLES = ("bicycle", "scooter", "car")


def actor(driver_id: str) -> str:
    """The ``actor`` tag of events a driver causes."""
    return f"driver:{driver_id}"


def scope(driver_id: str) -> str:
    """The live-update scope of one driver's data (what their app subscribes to)."""
    return f"driver:{driver_id}"


#: the scope every driver's app may follow: offers opening, being taken, going away
AVAILABLE_SCOPE = "drivers:available"
