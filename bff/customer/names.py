"""Names the customer BFF's modules share: service, database, collections, scopes.

Document shapes (camelCase; snapshots exactly as they travel on the wire):

entities (with an outbox, written by the commands):
- ``orders`` (_id = order id): ``order`` (the Order snapshot as placed), ``customerId``,
  ``status`` ("placed" | "cancelled"), ``cancelReason``, ``placedEventId``,
  ``correlationId``, ``lastEventMs``, ``requestKey`` (the app's idempotency key or null).
- ``customers`` (_id = customer id): ``name``, ``lastAddress`` (Address), ``menuViews``
  (count), ``lastEventMs``.

views (written by the listener ``CUSTOMER`` only; replay rebuilds them):
- ``restaurants`` (_id = restaurant id): ``restaurant`` (Restaurant snapshot), ``name``,
  ``isOpen`` (copies for filtering and sorting).
- ``menus`` (_id = restaurant id): ``menu`` (Menu snapshot).
- ``orders_view`` (_id = order id): ``customerId``, ``restaurantId``, ``order`` (the Order
  snapshot as placed, its status "placed"), ``status`` (the order's status now),
  ``placedAt``, ``steps`` ({placed, accepted, rejected, cancelled, ready, driverAssigned,
  pickedUp, delivered}: epoch ms of each step reached), ``prepMinutes``,
  ``estimatedReadyAt``, ``pickupAddress`` (Address), ``rejectReason``, ``cancelReason``,
  ``driver`` ({id, name, vehicle}).
- ``positions`` (_id = order id): ``driverId``, ``location`` ({lat, lng}), ``at`` (epoch
  ms): the last position a driver reported for that order (the query shows it to the
  order's customer while it is on its way, and only the assigned driver's).
"""

from __future__ import annotations

#: the producing service in every event's tags
SERVICE = "bff-customer"
#: the BFF's name to the kit (``BffSpec.service``): logs and the outbox wake-up channel
BFF_NAME = "customer"
#: the BFF's own database: its entities (with outboxes) and its views
DATABASE = "customer"

ORDERS = "orders"
CUSTOMERS = "customers"
OUTBOX_COLLECTIONS = (ORDERS, CUSTOMERS)

RESTAURANTS = "restaurants"
MENUS = "menus"
ORDERS_VIEW = "orders_view"
POSITIONS = "positions"


def actor(customer_id: str) -> str:
    """The ``actor`` tag of events a customer causes."""
    return f"customer:{customer_id}"


def scope(customer_id: str) -> str:
    """The live-update scope of one customer's data (what their app subscribes to)."""
    return f"customer:{customer_id}"


#: the scope every customer's app may follow: restaurants opening, closing, menus changing
CATALOG_SCOPE = "customers:catalog"
