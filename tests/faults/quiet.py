"""Until the running system is quiet: every outbox empty (the relays published all that
the commands recorded) and every consumer group (each listener's, the lake's) has
committed past the last record on the hub."""

from __future__ import annotations

from bff.customer.names import OUTBOX_COLLECTIONS as CUSTOMER_OUTBOXES
from bff.driver.names import OUTBOX_COLLECTIONS as DRIVER_OUTBOXES
from bff.restaurant.names import OUTBOX_COLLECTIONS as RESTAURANT_OUTBOXES
from tests.faults.consumers import lags, listener_groups
from tests.integration.listening import wait_for
from tests.system.whole import System

OUTBOXES = {
    "customer": CUSTOMER_OUTBOXES,
    "restaurant": RESTAURANT_OUTBOXES,
    "driver": DRIVER_OUTBOXES,
}


async def pending_outboxes(system: System) -> list[str]:
    """Documents whose outbox still holds events."""
    pending: list[str] = []
    for bff, collections in OUTBOXES.items():
        for collection in collections:
            found = system.db(bff)[collection].find({"_outbox.0": {"$exists": True}}, {"_id": 1})
            pending += [f"{bff}.{collection} {doc['_id']}" async for doc in found]
    return pending


async def busy(system: System) -> list[str]:
    """What is not quiet yet, one line each (empty: quiet)."""
    groups = listener_groups(system.settings)
    behind = await lags(system.settings, groups.values())
    found = [f"consumer group {g} is {n} records behind" for g, n in behind.items() if n]
    return found + [f"outbox not empty: {where}" for where in await pending_outboxes(system)]


async def until_quiet(system: System, seconds: float = 120) -> None:
    left: list[str] = []

    async def quiet() -> bool:
        nonlocal left
        left = await busy(system)
        return not left

    try:
        await wait_for("the system to be quiet", quiet, seconds)
    except AssertionError:
        raise AssertionError(f"not quiet after {seconds:.0f}s: {left[:10]}") from None
