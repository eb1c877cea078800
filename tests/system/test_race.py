"""A customer cancels while the kitchen accepts, many times over, through the real APIs
of the running system: whichever fact reaches the order's partition first wins in every
view, so the customer's app, the kitchen console and the driver app always end in the
same state (both commands may be told "done": each BFF decides on its own view).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from bff.customer.demo import CUSTOMERS
from bff.restaurant.demo import RESTAURANTS
from tests.integration.listening import wait_for
from tests.system.whole import System

ROUNDS = 20
KITCHEN = RESTAURANTS[0].restaurant.id
LENA = CUSTOMERS[0]
DRIVER = "d-race"
PROBLEM = "__typename ... on Problem { code message }"
PLACE = f"""mutation($o: PlaceOrderInput!) {{
  placeOrder(order: $o) {{ {PROBLEM} ... on Order {{ id }} }} }}"""
CANCEL = f"mutation($id: ID!) {{ cancelOrder(id: $id) {{ {PROBLEM} }} }}"
ACCEPT = f"""mutation($id: ID!) {{
  acceptOrder(orderId: $id, prepMinutes: 10) {{ {PROBLEM} }} }}"""
ORDER = "query($id: ID!) { order(id: $id) { status } }"
TICKET = "query($id: ID!) { ticket(orderId: $id) { status } }"
OFFER = "query($id: ID!) { offer(id: $id) { status } }"
ONLINE = "mutation($l: GeoPointInput!) { goOnline(location: $l, vehicle: CAR) { __typename } }"


def cart() -> dict[str, Any]:
    home = LENA.home
    item = RESTAURANTS[0].items[0].id
    return {
        "restaurantId": KITCHEN,
        "items": [{"menuItemId": item, "quantity": 1}],
        "deliveryAddress": {
            "line1": home.line1,
            "city": home.city,
            "postcode": home.postcode,
            "lat": home.location.lat,
            "lng": home.location.lng,
        },
    }


async def place_and_see_it_in_the_kitchen(system: System) -> str:
    placed = (await system.gql("customer", LENA.id, PLACE, o=cart()))["placeOrder"]
    assert placed["__typename"] == "Order", placed
    order_id = str(placed["id"])

    async def in_kitchen() -> bool:
        found = await system.gql("restaurant", KITCHEN, TICKET, id=order_id)
        return found["ticket"] is not None

    await wait_for(f"order {order_id} on the kitchen board", in_kitchen, 30)
    return order_id


async def final_states(system: System, order_id: str) -> tuple[str, str, str]:
    """What each app shows once the views agree: the customer's order status, the
    kitchen's ticket status, and whether drivers are offered the order."""
    states: tuple[str, str, str] = ("", "", "")

    async def settled() -> bool:
        nonlocal states
        order = (await system.gql("customer", LENA.id, ORDER, id=order_id))["order"]
        ticket = (await system.gql("restaurant", KITCHEN, TICKET, id=order_id))["ticket"]
        offer = (await system.gql("driver", DRIVER, OFFER, id=order_id))["offer"]
        states = (order["status"], ticket["status"], offer["status"] if offer else "none")
        return states in {
            ("CANCELLED", "CANCELLED", "none"),
            ("ACCEPTED", "ACCEPTED", "OPEN"),
        }

    try:
        await wait_for(f"order {order_id}: the three apps agree", settled, 30)
    except AssertionError:
        raise AssertionError(f"order {order_id} ended as {states}") from None
    return states


async def test_cancel_racing_accept_ends_the_same_in_all_three_apps(system: System) -> None:
    went = await system.gql("driver", DRIVER, ONLINE, l={"lat": 52.4995, "lng": 13.418})
    assert went["goOnline"]["__typename"] == "Me"
    outcomes: Counter[tuple[str, str, str]] = Counter()
    endings: Counter[str] = Counter()
    for _ in range(ROUNDS):
        order_id = await place_and_see_it_in_the_kitchen(system)
        cancel, accept = await asyncio.gather(
            system.gql("customer", LENA.id, CANCEL, id=order_id),
            system.gql("restaurant", KITCHEN, ACCEPT, id=order_id),
        )
        told = (cancel["cancelOrder"]["__typename"], accept["acceptOrder"]["__typename"])
        cancelled, accepted = told == ("Order", "Conflict"), told == ("Conflict", "KitchenDecision")
        assert cancelled or accepted or told == ("Order", "KitchenDecision"), told
        states = await final_states(system, order_id)
        if cancelled:  # only the cancel was done: it must be what everyone sees
            assert states[0] == "CANCELLED", (order_id, told, states)
        if accepted:
            assert states[0] == "ACCEPTED", (order_id, told, states)
        outcomes[(told[0], told[1], states[0])] += 1
        endings[states[0]] += 1
    print(f"race outcomes (cancel told, accept told, final): {dict(outcomes)}")
    assert sum(endings.values()) == ROUNDS
