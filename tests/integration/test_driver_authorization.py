"""Who may see and move a driver's delivery: only that driver.

Another driver, a customer's or a restaurant's token, no token, an expired or a forged
token each try every query and verb on the test driver's delivery: each is denied,
nothing leaks, and the store and the hub are exactly as before. Subscriptions carry only
the driver's own deliveries, and offers only to available drivers.
"""

from __future__ import annotations

from typing import Any

from bff.driver.names import OUTBOX_COLLECTIONS
from events import Order
from tests.integration.driving import (
    GO_OFFLINE,
    HERE,
    ME,
    OFFERS,
    REPORT,
    SHIFT_UPDATES,
    TODAY,
    Driving,
    driving_fixture,  # noqa: F401 (the `driving` fixture)
    next_shift_update,
)
from tests.support import refusals
from tests.support.serving import close_code, receive, subscribe

READS = """query($id: ID!) { delivery(id: $id) { id } offer(id: $id) { id }
  today { deliveries { id } } me { activeDelivery { id } } }"""
GO_ONLINE = "mutation($l: GeoPointInput!) { goOnline(location: $l) { __typename } }"


async def taken_by_jonas(driving: Driving) -> Order:
    await driving.go_online()
    order, accept = await driving.offer()
    assert (await driving.act("acceptDelivery", order.id))["__typename"] == "Delivery"
    await driving.ready(order, accept)
    return order


async def test_another_driver_cannot_see_or_move_our_delivery(driving: Driving) -> None:
    order = await taken_by_jonas(driving)
    aylin = driving.token_of("d-aylin")
    await driving.go_online(aylin)
    await driving.wait_for_offer(order.id, lambda offer: offer["status"] == "taken")
    before = await refusals.snapshot(driving, OUTBOX_COLLECTIONS)

    reads = await driving.data(READS, aylin, id=order.id)
    assert reads == {
        "delivery": None,
        "offer": None,
        "today": {"deliveries": []},
        "me": {"activeDelivery": None},
    }
    for verb in ("markPickedUp", "markDelivered"):
        refused = await driving.act(verb, order.id, aylin)
        assert refused["__typename"] == "NotAllowed", (verb, refused)
    taken = await driving.act("acceptDelivery", order.id, aylin)
    assert taken["__typename"] == "Conflict" and taken["code"] == "TAKEN"
    assert (await driving.data(OFFERS, aylin))["offers"] == []  # taken: offered no more

    assert await refusals.snapshot(driving, OUTBOX_COLLECTIONS) == before
    mine = (await driving.data(READS, id=order.id))["delivery"]
    assert mine == {"id": order.id}
    assert (await driving.act("markPickedUp", order.id))["status"] == "PICKED_UP"


async def test_other_roles_no_token_expired_or_forged_tokens_are_refused(
    driving: Driving,
) -> None:
    order = await taken_by_jonas(driving)
    settings, me = driving.settings, driving.driver_id
    callers = {
        "customer": (driving.token_of("c-lena", "customer"), 403),
        "restaurant": (driving.token_of(order.restaurant_id, "restaurant"), 403),
        "expired": (refusals.expired(settings, "driver", me), 401),
        "forged": (refusals.forged(settings, "driver", me), 401),
    }
    verbs = ("acceptDelivery", "markPickedUp", "markDelivered")
    attempts: list[tuple[str, dict[str, Any]]] = [
        (READS, {"id": order.id}),
        (ME, {}),
        (OFFERS, {}),
        (TODAY, {}),
        (GO_ONLINE, {"l": HERE}),
        (GO_OFFLINE, {}),
        (REPORT, {"location": HERE}),
        *(
            (f"mutation($id: ID!) {{ {v}(orderId: $id) {{ __typename }} }}", {"id": order.id})
            for v in verbs
        ),
    ]
    before = await refusals.snapshot(driving, OUTBOX_COLLECTIONS)
    for name, (token, status) in callers.items():
        for query, variables in attempts:
            answer = await driving.gql(query, token, **variables)
            assert answer.status_code == status, (name, query, answer.text)
    for query, variables in attempts:
        body = (await driving.gql(query, None, **variables)).json()
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await refusals.snapshot(driving, OUTBOX_COLLECTIONS) == before


async def test_subscriptions_carry_only_the_drivers_own(driving: Driving) -> None:
    settings, me = driving.settings, driving.driver_id
    for token in (
        driving.token_of("c-lena", "customer"),
        refusals.expired(settings, "driver", me),
        refusals.forged(settings, "driver", me),
    ):
        assert await close_code(driving.host, {"authorization": f"Bearer {token}"}) == 4403
    assert await close_code(driving.host, {}) == 4403

    aylin = driving.token_of("d-aylin")
    theirs = await subscribe(driving.host, aylin, SHIFT_UPDATES)
    ours = await driving.subscribe_shift()
    try:
        order = await taken_by_jonas(driving)  # Jonas online, accepts, the kitchen: ready
        await next_shift_update(ours, lambda u: (u["delivery"] or {}).get("id") == order.id)
        await driving.go_online(aylin)
        first = await receive(theirs)  # Aylin's first push is her own going online
        update = first["payload"]["data"]["shift"]
        assert update["kind"] == "DRIVER" and update["delivery"] is None
        assert update["me"]["id"] == "d-aylin" and update["me"]["activeDelivery"] is None
    finally:
        await theirs.close()
        await ours.close()
