"""Who may use the kitchen console's API: only the restaurant whose order or menu it is.

Each refused caller (another restaurant, a customer, no token, an expired or forged
token) tries every verb on the test restaurant's order and menu; each is denied, and the
store and the hub are exactly as before.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from adapters.settings import Settings
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.names import OUTBOX_COLLECTIONS
from tests.integration.kitchen_console import (
    ACCEPT,
    KITCHEN_UPDATES,
    READY,
    REJECT,
    Console,
    console_fixture,  # noqa: F401 (the `console` fixture)
    next_update,
    register,
    ticket_is,
)
from tests.support import refusals, upstream
from tests.support.serving import close_code, receive, subscribe, token_for

MENU_ITEM = RESTAURANTS[0].items[0].id
VERBS: list[tuple[str, dict[str, Any]]] = [
    (ACCEPT, {"prep": 15}),
    (REJECT, {"reason": "Too busy"}),
    (READY, {}),
    (
        "mutation($item: ID!) { editMenuItem(itemId: $item, changes: {priceCents: 1}) "
        "{ __typename } }",
        {},
    ),
    ("mutation($item: ID!) { removeMenuItem(itemId: $item) { __typename } }", {}),
    ("mutation { closeRestaurant { __typename } }", {}),
    ('mutation { updateProfile(changes: {name: "Mine now"}) { __typename } }', {}),
]
READS = "query($id: ID!) { ticket(orderId: $id) { orderId } board { new { orderId } } }"


async def snapshot(console: Console) -> dict[str, list[Any]]:
    return await refusals.snapshot(console, OUTBOX_COLLECTIONS)


async def placed_order(console: Console) -> str:
    order = console.order()
    ws = await console.subscribe()
    try:
        await console.publish(upstream.placed(order))
        await next_update(ws, ticket_is(order.id, "PLACED"))
    finally:
        await ws.close()
    return order.id


async def try_everything(
    console: Console, token: str | None, order_id: str, item: str = MENU_ITEM
) -> list[Any]:
    """Every verb and read with ``token``; returns (status, body) of each answer."""
    answers = []
    for query, variables in VERBS:
        answer = await console.gql(query, token, id=order_id, item=item, **variables)
        answers.append((answer.status_code, answer.json()))
    return answers


def expired(settings: Settings, restaurant_id: str) -> str:
    return refusals.expired(settings, "restaurant", restaurant_id)


def forged(settings: Settings, restaurant_id: str) -> str:
    return refusals.forged(settings, "restaurant", restaurant_id)


async def test_another_restaurant_is_refused_and_changes_nothing(
    console: Console, redis: Redis
) -> None:
    order_id = await placed_order(console)
    other_id = upstream.unique("r")
    await register(console.db, redis, other_id)
    other = token_for(console.settings, "restaurant", other_id)
    added = await console.data(
        'mutation { addMenuItem(item: {name: "Lasagne", priceCents: 1290, category: "Pasta"}) '
        "{ ... on MenuItem { id } } }"
    )
    only_ours = added["addMenuItem"]["id"]
    before = await snapshot(console)

    answers = await try_everything(console, other, order_id, only_ours)

    kitchen = [body["data"] for _, body in answers[:3]]
    assert [next(iter(d.values()))["__typename"] for d in kitchen] == ["NotAllowed"] * 3
    menu = [next(iter(body["data"].values()))["__typename"] for _, body in answers[3:5]]
    assert menu == ["NotFound", "NotFound"]  # the item is only on our menu
    reads = await console.gql(READS, other, id=order_id)
    assert reads.json() == {"data": {"ticket": None, "board": {"new": []}}}
    after = await snapshot(console)
    # the other restaurant's own profile changed (closed, renamed) and its events went to
    # the hub: nothing of ours did
    assert _without(after, other_id) == _without(before, other_id)
    ours = await console.data("{ restaurant { name isOpen } ticket: board { new { orderId } } }")
    assert ours["restaurant"]["isOpen"] is True
    assert ours["ticket"]["new"] == [{"orderId": order_id}]


async def test_a_customer_no_token_an_expired_or_forged_token_are_refused(
    console: Console,
) -> None:
    order_id = await placed_order(console)
    rid, settings = console.restaurant_id, console.settings
    callers = {
        "customer": (token_for(settings, "customer", "c-lena"), 403),
        "expired": (expired(settings, rid), 401),
        "forged": (forged(settings, rid), 401),
    }
    before = await snapshot(console)
    for name, (token, status) in callers.items():
        answers = await try_everything(console, token, order_id)
        assert {code for code, _ in answers} == {status}, name
        assert (await console.gql(READS, token, id=order_id)).status_code == status, name

    anonymous = await try_everything(console, None, order_id)
    for code, body in anonymous:
        assert code == 200 and body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await snapshot(console) == before


async def test_subscriptions_only_carry_the_restaurants_own_tickets(console: Console) -> None:
    settings = console.settings
    for token in (
        token_for(settings, "customer", "c-lena"),
        expired(settings, console.restaurant_id),
        forged(settings, console.restaurant_id),
    ):
        payload = {"authorization": f"Bearer {token}"}
        assert await close_code(console.host, payload) == 4403
    assert await close_code(console.host, {}) == 4403

    other_id = upstream.unique("r")
    theirs = await subscribe(
        console.host, token_for(settings, "restaurant", other_id), KITCHEN_UPDATES
    )
    ours = await console.subscribe()
    try:
        mine, foreign = console.order(), console.order(other_id)
        await console.publish(upstream.placed(mine))
        await next_update(ours, ticket_is(mine.id, "PLACED"))
        await console.publish(upstream.placed(foreign))
        # the other restaurant's first update is its own order, never ours
        first = await receive(theirs)
        assert first["payload"]["data"]["kitchen"]["ticket"]["orderId"] == foreign.id
    finally:
        await theirs.close()
        await ours.close()


def _without(state: dict[str, list[dict[str, Any]]], restaurant_id: str) -> dict[str, Any]:
    return {
        name: [doc for doc in docs if doc.get("_id") != restaurant_id]
        for name, docs in state.items()
    }
