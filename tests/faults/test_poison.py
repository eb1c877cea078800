"""Poison on the hub: records no producer of the system would publish
(``tests/faults/poison_records.py``), on several keys and partitions, one of them an
order's, interleaved with real orders placed and accepted through the apps' APIs.

Each listener (customer, restaurant, driver) reports every malformed or schema-violating
record as one fault event (and one ``_faults`` document), skips a type the catalog does
not know without a fault, and keeps going: the real orders reach every view. The lake
writer keeps going too and stores each record once: a JSON object with an integer
timestamp in its hour's folder as received, anything else raw under ``date=unknown``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.hub import EventPublisher
from adapters.settings import Settings
from bff.customer.demo import CUSTOMERS
from bff.restaurant.demo import RESTAURANTS
from events import FaultReported
from listeners.faults import COLLECTION as FAULTS
from tests.faults.consumers import LISTENERS
from tests.faults.hub_contents import lake_lines, read_hub, unknown_lines
from tests.faults.own_system import own_system
from tests.faults.poison_records import Poison, poisons
from tests.faults.quiet import until_quiet
from tests.integration.listening import wait_for
from tests.system.whole import System

KITCHEN = RESTAURANTS[0]
PROBLEM = "__typename ... on Problem { code message }"
PLACE = f"""mutation($order: PlaceOrderInput!) {{
  placeOrder(order: $order) {{ {PROBLEM} ... on Order {{ id status }} }}
}}"""
ACCEPT = f"""mutation($id: ID!, $prep: Int!) {{
  acceptOrder(orderId: $id, prepMinutes: $prep) {{ {PROBLEM} }}
}}"""
#: where each BFF shows an accepted order, and as what
ACCEPTED = {("customer", "orders_view"): "accepted", ("restaurant", "tickets"): "accepted"}
OFFERED = {("driver", "offers"): "open"}


@pytest.fixture(scope="module")
async def system(
    settings: Settings, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    async with own_system(settings, tmp_path_factory, "poison") as whole:
        yield whole


async def place_order(system: System, customer_id: str) -> str:
    home = next(c.home for c in CUSTOMERS if c.id == customer_id)
    order = {
        "restaurantId": KITCHEN.restaurant.id,
        "items": [{"menuItemId": KITCHEN.items[0].id, "quantity": 1}],
        "deliveryAddress": {
            "line1": home.line1,
            "city": home.city,
            "postcode": home.postcode,
            "lat": home.location.lat,
            "lng": home.location.lng,
        },
    }
    placed = (await system.gql("customer", customer_id, PLACE, order=order))["placeOrder"]
    assert placed["__typename"] == "Order", placed
    return str(placed["id"])


async def accept(system: System, order_id: str) -> None:
    async def on_the_board() -> bool:
        return await _status(system, "restaurant", "tickets", order_id) == "placed"

    await wait_for(f"order {order_id} on the kitchen's board", on_the_board, 60)
    answer = await system.gql("restaurant", KITCHEN.restaurant.id, ACCEPT, id=order_id, prep=10)
    assert answer["acceptOrder"]["__typename"] == "KitchenDecision", answer


async def _status(system: System, bff: str, collection: str, doc_id: str) -> object:
    doc = await system.db(bff)[collection].find_one({"_id": doc_id}, {"status": 1})
    return None if doc is None else doc.get("status")


async def publish(system: System, records: list[Poison]) -> None:
    async with EventPublisher(system.settings.kafka_bootstrap, system.settings.kafka_topic) as hub:
        for poison in records:
            await hub.publish_raw(poison.key, poison.value)


def carrying(token: str, found: list[dict[str, Any]]) -> int:
    """How many of ``found`` carry ``token`` anywhere."""
    return sum(1 for item in found if token in json.dumps(item))


async def test_poison_becomes_one_fault_per_listener_and_everything_goes_on(
    system: System,
) -> None:
    first = await place_order(system, CUSTOMERS[0].id)
    records = poisons(first, KITCHEN.restaurant.id)
    await publish(system, records[:4])
    second = await place_order(system, CUSTOMERS[1].id)  # valid events between the poison
    await publish(system, records[4:])
    for order_id in (first, second):
        await accept(system, order_id)

    async def accepted_everywhere() -> bool:
        for order_id in (first, second):
            for (bff, collection), status in (ACCEPTED | OFFERED).items():
                if await _status(system, bff, collection, order_id) != status:
                    return False
        return True

    await wait_for("both orders accepted in every BFF's views", accepted_everywhere, 60)
    await until_quiet(system)
    assert all(system.supervisor.alive(name) for name in system.supervisor.names)

    hub = await read_hub(system)
    faults = [e for e in hub.events if isinstance(e, FaultReported)]
    counted: dict[str, dict[str, int]] = {}
    for bff, listener in LISTENERS.items():
        reported = [f.fault.event for f in faults if f.fault.listener == listener.name]
        stored = [doc["event"] async for doc in system.db(bff)[FAULTS].find({})]
        counted[bff] = {p.kind: carrying(p.token, reported) for p in records}
        wanted = {p.kind: 1 if p.faults else 0 for p in records}
        assert counted[bff] == wanted, f"{listener.name}: fault events per poison record"
        stored_per_record = {p.kind: carrying(p.token, stored) for p in records}
        assert stored_per_record == wanted, f"{listener.name}: {FAULTS} documents"
    assert len(faults) == sum(p.faults for p in records) * len(LISTENERS)
    assert len({f.id for f in faults}) == len(faults)  # each fault event published once

    # the lake: every poison record once, where the lake keeps it; every fault event once
    events, raw = lake_lines(system.settings.lake_dir), unknown_lines(system.settings.lake_dir)
    lake_faults = Counter(line["id"] for line in events if line.get("type") == "fault")
    assert lake_faults == Counter({f.id: 1 for f in faults})
    events = [line for line in events if line.get("type") != "fault"]  # they quote the poison
    for poison in records:
        where = {"hour": carrying(poison.token, events), "unknown": carrying(poison.token, raw)}
        wanted_where = {"hour": 0, "unknown": 0, poison.lake: 1}
        assert where == wanted_where, f"{poison.kind}: lines in the lake {where}"
    print(
        f"{len(records)} poison records; faults per listener: "
        f"{ {bff: sum(n.values()) for bff, n in counted.items()} }; fault events on the hub "
        f"{len(faults)}, in the lake {len(lake_faults)}; raw lake lines {len(raw)}",
        flush=True,
    )
