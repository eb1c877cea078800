"""What the driver BFF tells the kit: ``python -m bff.driver`` serves it."""

from __future__ import annotations

from pathlib import Path

from bff.driver.api.context import DriverContext
from bff.driver.demo import IDENTITIES
from bff.driver.listener import DRIVER
from bff.driver.names import BFF_NAME, DATABASE, OUTBOX_COLLECTIONS
from bff.driver.schema import schema
from bff.kit.spec import BffSpec

#: the driver web app, built by ``npm run build`` in frontends/
STATIC_DIR = Path(__file__).resolve().parents[2] / "frontends" / "driver" / "dist"

SPEC = BffSpec(
    service=BFF_NAME,
    role="driver",
    schema=schema,
    database=DATABASE,
    listener=DRIVER,
    outbox_collections=OUTBOX_COLLECTIONS,
    static_dir=STATIC_DIR,
    context_factory=DriverContext,
    identities=IDENTITIES,
    port=8003,
    live_pattern="driver*",
)
