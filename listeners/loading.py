"""Finding a listener by name for the command line: ``package.module:ATTRIBUTE``, or a
short name from the table of the services' listeners."""

from __future__ import annotations

import dataclasses
import importlib

from listeners.rules import Listener

#: short names of the services' listeners (filled in as the BFFs land)
KNOWN: dict[str, str] = {
    "restaurant": "bff.restaurant.listener:KITCHEN",
    "customer": "bff.customer.listener:CUSTOMER",
    "driver": "bff.driver.listener:DRIVER",
}


def load_listener(spec: str, *, group: str | None = None, database: str | None = None) -> Listener:
    path = KNOWN.get(spec, spec)
    module_name, _, attribute = path.partition(":")
    if not attribute:
        known = ", ".join(sorted(KNOWN)) or "none yet"
        raise SystemExit(f"unknown listener {spec!r}: use module:ATTRIBUTE (known: {known})")
    listener = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(listener, Listener):
        raise SystemExit(f"{path} is not a listeners.rules.Listener")
    return dataclasses.replace(
        listener, group=group or listener.group, database=database or listener.database
    )
