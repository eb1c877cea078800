"""The order lifecycle's state conditions, one set for every view (DESIGN.md "Order
lifecycle and races"): each BFF's listener applies the same ``when`` to the same event, so
all three apps converge on the same status whatever their views' timing.

``placed -> accepted | rejected | cancelled`` (the first in the partition wins),
``accepted -> ready``, ``accepted | ready -> picked-up``, ``... -> delivered``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from events import Order

#: a decision (accept, reject) or a cancel applies only while nobody decided yet
STILL_PLACED: Mapping[str, Any] = {"status": "placed"}
#: the kitchen marks ready only an accepted order
READYABLE: Mapping[str, Any] = {"status": "accepted"}
#: a driver picks up an accepted or ready order
PICKABLE: Mapping[str, Any] = {"status": {"$in": ["accepted", "ready"]}}
#: and delivers one accepted, ready or picked up
DELIVERABLE: Mapping[str, Any] = {"status": {"$in": ["accepted", "ready", "picked-up"]}}


def as_placed(order: Order) -> dict[str, Any]:
    """The order snapshot as the customer placed it (status "placed"), as stored in views
    whatever event carried it: a view document must stand on its own even when its
    order-placed event was never seen."""
    data = order.model_dump(mode="json", by_alias=True)
    data["status"] = "placed"  # what a copy with that status would dump, without the copy
    return data
