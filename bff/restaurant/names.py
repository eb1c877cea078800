"""Names the restaurant BFF's modules share: service, database, collections, scopes."""

from __future__ import annotations

#: the producing service in every event's tags
SERVICE = "bff-restaurant"
#: the BFF's name to the kit (``BffSpec.service``): logs and the outbox wake-up channel
BFF_NAME = "restaurant"
#: the BFF's own database: its entities (with outboxes) and its views
DATABASE = "restaurant"

#: entity: one document per restaurant (profile, menu, open flag), with an outbox
RESTAURANTS = "restaurants"
#: entity: one document per decided order (accepted/rejected, then ready), with an outbox
DECISIONS = "decisions"
#: collections whose documents carry an outbox (what the trigger role publishes)
OUTBOX_COLLECTIONS = (RESTAURANTS, DECISIONS)

#: view: one ticket per order placed with a restaurant (written by the listener)
TICKETS = "tickets"
#: view: one document per (restaurant, customer) who viewed its menu (written by the listener)
MENU_VIEWS = "menu_views"


def actor(restaurant_id: str) -> str:
    """The ``actor`` tag of events a restaurant causes."""
    return f"restaurant:{restaurant_id}"


def scope(restaurant_id: str) -> str:
    """The live-update scope of one restaurant's data (what its console subscribes to)."""
    return f"restaurant:{restaurant_id}"
