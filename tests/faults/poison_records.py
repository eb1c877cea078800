"""Records no producer of the system would publish, for the poison test: not JSON, JSON
that is not an object, an object without type and id, a type the catalog does not know,
known types violating their schema (wrong field types, a required field missing, a
partitionKey its snapshot contradicts), and a large one (600 KB, under the broker's 1 MB
limit: a record over it never reaches the hub, the producer refuses it).

Each carries a token of its own (in its text, or as the extra field ``marker``) by which
its fault events and lake lines are found.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Literal

from ulid import ULID

from events.ids import new_event_id
from events.samples import sample_dict

#: where the lake keeps a record: its event's hour folder, or ``date=unknown`` (no JSON
#: object with an integer timestamp)
Place = Literal["hour", "unknown"]


@dataclass(frozen=True)
class Poison:
    kind: str
    key: str
    value: bytes
    token: str
    #: whether each listener reports it as a fault (a type the catalog does not know is
    #: skipped on purpose: a newer producer's event, docs/listeners.md)
    faults: bool
    lake: Place


def poisons(order_id: str, restaurant_id: str) -> list[Poison]:
    """The poison records, some on the partition of order ``order_id`` (keyed by it)."""
    run = str(ULID()).lower()[-10:]
    now = time.time_ns() // 1_000_000
    made: list[Poison] = []

    def add(kind: str, key: str, value: bytes | dict[str, Any], faults: bool, lake: Place) -> None:
        token = f"poison-{len(made)}-{run}"
        if isinstance(value, dict):
            data = json.dumps({**value, "marker": token}).encode()
        else:
            data = value.replace(b"TOKEN", token.encode())
        made.append(Poison(kind, key, data, token, faults, lake))

    add("not JSON", "poison-a", b"\x00not json TOKEN \xff{", True, "unknown")
    add("JSON, not an object", order_id, b'["TOKEN", 1, 2]', True, "unknown")
    add("an object without type, id or timestamp", "poison-b", {"hello": "x"}, True, "unknown")
    add("an object without type and id", "poison-c", {"timestamp": now}, True, "hour")
    unknown = {"id": new_event_id(now), "type": "order-teleported", "timestamp": now}
    add(
        "a type the catalog does not know",
        order_id,
        {**unknown, "partitionKey": order_id},
        False,
        "hour",
    )

    placed = _fresh("order-placed", now, order_id)
    placed["order"]["total"]["amount"] = "a lot"
    placed["order"]["items"][0]["quantity"] = "two"
    add("wrong field types (order-placed)", order_id, placed, True, "hour")
    accepted = _fresh("order-accepted", now, order_id)
    del accepted["order"]
    add("a required field missing (order-accepted)", order_id, accepted, True, "hour")
    ready = _fresh("order-ready", now, order_id)
    ready["partitionKey"] = "o-somewhere-else"
    add("a partitionKey its snapshot contradicts", "o-somewhere-else", ready, True, "hour")
    menu = {**_fresh("menu-updated", now, restaurant_id), "padding": "x" * 600_000}
    menu["menu"]["items"] = "all of them"
    add("600 KB and schema-violating (menu-updated)", restaurant_id, menu, True, "hour")
    return made


def _fresh(kind: str, now: int, key: str) -> dict[str, Any]:
    """The catalog's sample of ``kind`` with a fresh id and timestamp, about ``key``."""
    event = sample_dict(kind)
    event.update(id=new_event_id(now), timestamp=now, partitionKey=key)
    for snapshot in ("order", "menu"):
        if snapshot in event:
            event[snapshot]["id" if snapshot == "order" else "restaurantId"] = key
    return event
