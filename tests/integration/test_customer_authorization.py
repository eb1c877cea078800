"""Who may see and change a customer's orders: only that customer.

Another customer, a restaurant's token, no token, an expired or a forged token each try
every query and verb on the test customer's order: each is denied, nothing leaks, and the
store and the hub are exactly as before. Subscriptions carry only the customer's own.
"""

from __future__ import annotations

from typing import Any

from bff.customer.names import OUTBOX_COLLECTIONS
from tests.integration.shop import (
    CANCEL,
    MARGHERITA,
    MY_ORDERS,
    ORDER,
    Shop,
    next_order_update,
    order_is,
    shop_fixture,  # noqa: F401 (the `shop` fixture)
)
from tests.support import refusals, upstream
from tests.support.serving import close_code, receive, subscribe

PLACE_FOR = "mutation($o: PlaceOrderInput!) { placeOrder(order: $o) { __typename } }"
PLACED_ID = "mutation($o: PlaceOrderInput!) { placeOrder(order: $o) { ... on Order { id } } }"
VIEW = "mutation($r: ID!) { recordMenuView(restaurantId: $r) { __typename } }"
READS = "query($id: ID!) { order(id: $id) { id } myOrders { items { id } } }"


async def placed_order(shop: Shop) -> str:
    ws = await shop.subscribe_orders()
    try:
        order_id = str((await shop.place((MARGHERITA, 1)))["id"])
        await next_order_update(ws, order_is(order_id, "PLACED"))
    finally:
        await ws.close()
    return order_id


async def test_another_customer_sees_nothing_of_ours_and_cannot_cancel(shop: Shop) -> None:
    order_id = await placed_order(shop)
    other = shop.token_of(upstream.unique("c"))
    before = await refusals.snapshot(shop, OUTBOX_COLLECTIONS)

    reads = await shop.data(READS, other, id=order_id)
    assert reads == {"order": None, "myOrders": {"items": []}}
    cancel = await shop.data(CANCEL, other, id=order_id, reason="not mine")
    assert cancel["cancelOrder"]["__typename"] == "NotFound"

    assert await refusals.snapshot(shop, OUTBOX_COLLECTIONS) == before
    assert (await shop.data(ORDER, id=order_id))["order"]["status"] == "PLACED"


async def test_other_roles_no_token_expired_or_forged_tokens_are_refused(shop: Shop) -> None:
    order_id = await placed_order(shop)
    settings, me = shop.settings, shop.customer_id
    callers = {
        "restaurant": (shop.token_of(shop.restaurant.id, "restaurant"), 403),
        "driver": (shop.token_of("d-jonas", "driver"), 403),
        "expired": (refusals.expired(settings, "customer", me), 401),
        "forged": (refusals.forged(settings, "customer", me), 401),
    }
    attempts: list[tuple[str, dict[str, Any]]] = [
        (READS, {"id": order_id}),
        (CANCEL, {"id": order_id, "reason": "no"}),
        (PLACE_FOR, {"o": shop.cart((MARGHERITA, 1))}),
        (VIEW, {"r": shop.restaurant.id}),
    ]
    before = await refusals.snapshot(shop, OUTBOX_COLLECTIONS)
    for name, (token, status) in callers.items():
        for query, variables in attempts:
            answer = await shop.gql(query, token, **variables)
            assert answer.status_code == status, (name, query, answer.text)
    for query, variables in attempts:
        body = (await shop.gql(query, None, **variables)).json()
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await refusals.snapshot(shop, OUTBOX_COLLECTIONS) == before


async def test_subscriptions_carry_only_the_customers_own_orders(shop: Shop) -> None:
    settings, me = shop.settings, shop.customer_id
    for token in (
        shop.token_of(shop.restaurant.id, "restaurant"),
        refusals.expired(settings, "customer", me),
        refusals.forged(settings, "customer", me),
    ):
        assert await close_code(shop.host, {"authorization": f"Bearer {token}"}) == 4403
    assert await close_code(shop.host, {}) == 4403

    someone_id = upstream.unique("c")
    theirs = await subscribe(shop.host, shop.token_of(someone_id), MY_ORDERS)
    ours = await shop.subscribe_orders()
    try:
        mine = str((await shop.place((MARGHERITA, 1)))["id"])
        await next_order_update(ours, order_is(mine, "PLACED"))
        placed = await shop.data(PLACED_ID, shop.token_of(someone_id), o=shop.cart((MARGHERITA, 2)))
        foreign = str(placed["placeOrder"]["id"])
        first = await receive(theirs)  # the other customer's first push is their own order
        assert first["payload"]["data"]["myOrders"]["order"]["id"] == foreign
    finally:
        await theirs.close()
        await ours.close()
