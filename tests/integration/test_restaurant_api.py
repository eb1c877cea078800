"""The restaurant BFF as its console uses it: GraphQL over HTTP and graphql-transport-ws,
served by uvicorn with all three roles, against the real Kafka, FerretDB and Redis.

Upstream events are simulated (``tests.support.upstream``): no other BFF runs. The
kitchen's own decisions travel the whole way: mutation -> outbox -> relay -> hub ->
listener -> tickets view -> Redis -> subscription.
"""

from __future__ import annotations

from typing import Any

from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.names import DECISIONS
from events import DeliveryAccepted, OrderPickedUp
from tests.integration.kitchen_console import (
    ACCEPT,
    PROBLEM,
    READY,
    REJECT,
    Console,
    console_fixture,  # noqa: F401 (the `console` fixture)
    next_update,
    ticket_is,
)
from tests.support import upstream


async def test_an_order_arrives_live_and_follows_the_kitchen_and_the_driver(
    console: Console,
) -> None:
    order = console.order()
    ws = await console.subscribe()
    try:
        await console.publish(upstream.placed(order))
        arrived = await next_update(ws, ticket_is(order.id, "PLACED"))
        assert arrived["kind"] == "TICKET" and arrived["eventType"] == "order-placed"
        assert arrived["ticket"]["column"] == "NEW"
        assert arrived["ticket"]["customerName"] == order.customer_name
        assert arrived["ticket"]["itemCount"] == sum(i.quantity for i in order.items)
        board = await console.data("{ board { new { orderId } preparing { orderId } } }")
        assert board["board"] == {"new": [{"orderId": order.id}], "preparing": []}

        accepted = await console.data(ACCEPT, id=order.id, prep=20)
        decision = accepted["acceptOrder"]
        assert decision["__typename"] == "KitchenDecision"
        assert (decision["status"], decision["prepMinutes"]) == ("ACCEPTED", 20)
        pushed = await next_update(ws, ticket_is(order.id, "ACCEPTED"))
        assert (pushed["ticket"]["column"], pushed["ticket"]["prepMinutes"]) == ("PREPARING", 20)

        await console.publish(upstream.delivery_event(DeliveryAccepted, order))
        with_driver = await next_update(ws, lambda u: bool((u.get("ticket") or {}).get("driver")))
        assert with_driver["ticket"]["driver"] == {"name": "Jonas Weber", "vehicle": "bicycle"}

        ready = await console.data(READY, id=order.id)
        assert ready["markOrderReady"]["status"] == "READY"
        pushed = await next_update(ws, ticket_is(order.id, "READY"))
        assert pushed["ticket"]["column"] == "READY"

        await console.publish(upstream.delivery_event(OrderPickedUp, order))
        pushed = await next_update(ws, ticket_is(order.id, "PICKED_UP"))
        assert pushed["ticket"]["column"] == "OUT_FOR_DELIVERY"

        await console.publish(upstream.menu_viewed(console.restaurant_id, "c-lena"))
        viewed = await next_update(ws, lambda u: u["kind"] == "POPULARITY")
        assert viewed["eventType"] == "menu-viewed"
    finally:
        await ws.close()
    popularity = await console.data("{ popularity { menuViews viewers orders items { name } } }")
    assert popularity["popularity"]["menuViews"] == 1
    assert popularity["popularity"]["orders"] == 1
    assert {i["name"] for i in popularity["popularity"]["items"]} == {
        line.name for line in order.items
    }


async def test_wrong_verbs_get_typed_problems_and_write_nothing(console: Console) -> None:
    order, other = console.order(), console.order()
    ws = await console.subscribe()
    try:
        await console.publish(upstream.placed(order), upstream.placed(other))
        waiting = {order.id, other.id}
        while waiting:
            update = await next_update(ws, lambda u: u["kind"] == "TICKET")
            waiting.discard(update["ticket"]["orderId"])
    finally:
        await ws.close()

    def problem(data: dict[str, Any]) -> tuple[str, str, str | None]:
        result = next(iter(data.values()))
        return result["__typename"], result["code"], result.get("field")

    cases: list[tuple[str, dict[str, Any], tuple[str, str, str | None]]] = [
        (ACCEPT, {"id": order.id, "prep": 0}, ("InvalidInput", "INVALID_INPUT", "prepMinutes")),
        (ACCEPT, {"id": order.id, "prep": 241}, ("InvalidInput", "INVALID_INPUT", "prepMinutes")),
        (REJECT, {"id": order.id, "reason": "  "}, ("InvalidInput", "INVALID_INPUT", "reason")),
        (READY, {"id": order.id}, ("Conflict", "CONFLICT", None)),  # not accepted yet
        (ACCEPT, {"id": "o-unknown", "prep": 10}, ("NotFound", "NOT_FOUND", None)),
    ]
    for query, variables, expected in cases:
        assert problem(await console.data(query, **variables)) == expected, (query, variables)
    assert await console.db[DECISIONS].count_documents({}) == 0

    assert (await console.data(REJECT, id=other.id, reason="Out of dough"))["rejectOrder"][
        "status"
    ] == "REJECTED"
    twice = await console.data(ACCEPT, id=other.id, prep=10)
    assert problem(twice) == ("Conflict", "CONFLICT", None)
    assert "already rejected" in twice["acceptOrder"]["message"]
    decisions = [doc async for doc in console.db[DECISIONS].find({})]
    assert [(d["_id"], d["status"]) for d in decisions] == [(other.id, "rejected")]


async def test_the_menu_and_the_open_flag_change_through_the_api(console: Console) -> None:
    item_fields = "id name price { amount currency } category available"
    added = await console.data(
        f"""mutation {{ addMenuItem(item: {{name: "Lasagne", priceCents: 1290,
            category: "Pasta", description: "Ragù, béchamel"}}) {{
            {PROBLEM} ... on MenuItem {{ {item_fields} }} }} }}"""
    )
    item = added["addMenuItem"]
    assert (item["name"], item["price"], item["available"]) == (
        "Lasagne",
        {"amount": 1290, "currency": "EUR"},
        True,
    )
    edited = await console.data(
        f"""mutation($id: ID!) {{ editMenuItem(itemId: $id, changes: {{priceCents: 1350}}) {{
            {PROBLEM} ... on MenuItem {{ price {{ amount }} }} }} }}""",
        id=item["id"],
    )
    assert edited["editMenuItem"]["price"] == {"amount": 1350}
    sold_out = await console.data(
        f"""mutation($id: ID!) {{ setMenuItemAvailability(itemId: $id, available: false) {{
            {PROBLEM} ... on MenuItem {{ available }} }} }}""",
        id=item["id"],
    )
    assert sold_out["setMenuItemAvailability"] == {"__typename": "MenuItem", "available": False}
    bad = await console.data(
        f"""mutation($id: ID!) {{ editMenuItem(itemId: $id, changes: {{priceCents: -5}}) {{
            {PROBLEM} }} }}""",
        id=item["id"],
    )
    assert bad["editMenuItem"]["field"] == "priceCents"

    ws = await console.subscribe()
    try:
        closed = await console.data(
            f"mutation {{ closeRestaurant {{ {PROBLEM} ... on Restaurant {{ isOpen }} }} }}"
        )
        assert closed["closeRestaurant"] == {"__typename": "Restaurant", "isOpen": False}
        pushed = await next_update(ws, lambda u: u["kind"] == "RESTAURANT")
        assert pushed["eventType"] == "restaurant-closed"
    finally:
        await ws.close()

    removed = await console.data(
        f"""mutation($id: ID!) {{ removeMenuItem(itemId: $id) {{
            {PROBLEM} ... on Menu {{ items {{ id }} }} }} }}""",
        id=item["id"],
    )
    assert item["id"] not in {i["id"] for i in removed["removeMenuItem"]["items"]}
    profile = await console.data("{ restaurant { isOpen menu { items { id } } } }")
    assert profile["restaurant"]["isOpen"] is False
    assert len(profile["restaurant"]["menu"]["items"]) == len(RESTAURANTS[0].items)
