"""What the restaurant BFF tells the kit: ``python -m bff.restaurant`` serves it."""

from __future__ import annotations

from pathlib import Path

from bff.kit.spec import BffSpec
from bff.restaurant.api.context import KitchenContext
from bff.restaurant.demo import IDENTITIES
from bff.restaurant.listener import KITCHEN
from bff.restaurant.names import BFF_NAME, DATABASE, OUTBOX_COLLECTIONS
from bff.restaurant.schema import schema

#: the kitchen console, built by ``npm run build`` in frontends/
STATIC_DIR = Path(__file__).resolve().parents[2] / "frontends" / "restaurant" / "dist"

SPEC = BffSpec(
    service=BFF_NAME,
    role="restaurant",
    schema=schema,
    database=DATABASE,
    listener=KITCHEN,
    outbox_collections=OUTBOX_COLLECTIONS,
    static_dir=STATIC_DIR,
    context_factory=KitchenContext,
    identities=IDENTITIES,
    port=8002,
    live_pattern="restaurant:*",
)
