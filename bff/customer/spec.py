"""What the customer BFF tells the kit: ``python -m bff.customer`` serves it."""

from __future__ import annotations

from pathlib import Path

from bff.customer.api.context import ShopContext
from bff.customer.demo import IDENTITIES
from bff.customer.listener import CUSTOMER
from bff.customer.names import BFF_NAME, DATABASE, OUTBOX_COLLECTIONS
from bff.customer.schema import schema
from bff.kit.spec import BffSpec

#: the ordering web app, built by ``npm run build`` in frontends/
STATIC_DIR = Path(__file__).resolve().parents[2] / "frontends" / "customer" / "dist"

SPEC = BffSpec(
    service=BFF_NAME,
    role="customer",
    schema=schema,
    database=DATABASE,
    listener=CUSTOMER,
    outbox_collections=OUTBOX_COLLECTIONS,
    static_dir=STATIC_DIR,
    context_factory=ShopContext,
    identities=IDENTITIES,
    port=8001,
    live_pattern="customer*",
)
