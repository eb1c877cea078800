"""The driver BFF over HTTP and websockets (all roles, real stack), with the kitchens'
and customers' events simulated on the hub: a whole shift, offers live only for
available drivers, exactly one winner of 20 concurrent accepts, typed problems that
write nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from bff.driver.names import OUTBOX_COLLECTIONS
from tests.integration.driving import (
    GO_OFFLINE,
    HERE,
    ME,
    OFFERS,
    REPORT,
    TODAY,
    Driving,
    delivery_is,
    driving_fixture,  # noqa: F401 (the `driving` fixture)
    next_offer_update,
    next_shift_update,
    offer_is,
)
from tests.integration.listening import wait_for
from tests.support import refusals, upstream
from tests.support.served import PROBLEM
from tests.support.serving import receive

GO_ONLINE_AS = f"""mutation($location: GeoPointInput!, $vehicle: Vehicle) {{
  goOnline(location: $location, vehicle: $vehicle) {{ {PROBLEM} ... on Me {{ status }} }}
}}"""


async def test_a_whole_shift_offer_accept_ready_pick_up_deliver(driving: Driving) -> None:
    me = (await driving.data(ME))["me"]
    assert me["status"] == "OFFLINE" and me["vehicle"] == "BICYCLE" and me["location"] is None
    online = await driving.go_online()
    assert online["__typename"] == "Me" and online["status"] == "AVAILABLE"
    assert online["location"] == HERE

    offers = await driving.subscribe_offers()
    shift = await driving.subscribe_shift()
    try:
        order, accept = await driving.offer()
        opened = await next_offer_update(offers, offer_is(order.id, "OPEN"))
        offer = opened["offer"]
        assert offer["status"] == "OPEN" and not offer["ready"]
        assert offer["restaurantName"] == order.restaurant_name
        assert offer["fee"]["amount"] == order.delivery_fee.amount
        assert 0 < offer["distanceKm"] < 2 and offer["tripKm"] > 0
        listed = (await driving.data(OFFERS))["offers"]
        assert [o["id"] for o in listed] == [order.id]

        delivery = await driving.act("acceptDelivery", order.id)
        assert delivery["__typename"] == "Delivery" and delivery["status"] == "ACCEPTED"
        assert delivery["earnings"]["amount"] == order.delivery_fee.amount
        assert not delivery["canPickUp"] and not delivery["ready"]
        me = (await driving.data(ME))["me"]
        assert me["status"] == "BUSY" and me["activeDelivery"]["id"] == order.id
        assert (await driving.data(OFFERS))["offers"] == []  # busy: no offers

        early = await driving.act("markPickedUp", order.id)
        assert early["__typename"] == "Conflict" and "not marked" in early["message"]

        await driving.publish(upstream.ready(order, accept))
        ready = await next_shift_update(shift, lambda u: bool((u["delivery"] or {}).get("ready")))
        assert ready["delivery"]["canPickUp"] and ready["eventType"] == "order-ready"
        picked = await driving.act("markPickedUp", order.id)
        assert picked["status"] == "PICKED_UP" and picked["canDeliver"]
        await next_shift_update(shift, delivery_is(order.id, "PICKED_UP"))
        done = await driving.act("markDelivered", order.id)
        assert done["status"] == "DELIVERED" and done["deliveredAt"] >= done["pickedUpAt"]
        after = await next_shift_update(shift, delivery_is(order.id, "DELIVERED"))
        assert after["me"]["status"] == "AVAILABLE" and after["me"]["activeDelivery"] is None
    finally:
        await offers.close()
        await shift.close()

    today = (await driving.data(TODAY))["today"]
    assert today["delivered"] == 1 and today["earnings"]["amount"] == order.delivery_fee.amount
    assert [d["id"] for d in today["deliveries"]] == [order.id]

    async def all_relayed() -> bool:
        return len(await driving.events_on_hub("order-delivered")) == 1

    await wait_for("order-delivered on the hub", all_relayed, 30)
    for event_type in ("delivery-accepted", "order-picked-up"):
        (event,) = await driving.events_on_hub(event_type)
        assert event.delivery.order_id == order.id and event.delivery.driver_id == "d-jonas"
        assert event.tags.correlation_id == accept.tags.correlation_id
    statuses = [e.driver.status for e in await driving.events_on_hub("driver-status-changed")]
    assert statuses == ["available", "busy", "available"]


async def test_offline_drivers_get_no_offers_and_going_online_starts_them(
    driving: Driving,
) -> None:
    offers = await driving.subscribe_offers()
    try:
        hidden, _ = await driving.offer()  # pushed to available drivers; Jonas is offline
        assert (await driving.data(OFFERS))["offers"] == []
        await driving.go_online()
        shown, _ = await driving.offer()
        first = await receive(offers)
        assert first["payload"]["data"]["offers"]["orderId"] == shown.id
        listed = [o["id"] for o in (await driving.data(OFFERS))["offers"]]
        assert sorted(listed) == sorted([hidden.id, shown.id])  # both open, once online
        off = (await driving.data(GO_OFFLINE))["goOffline"]
        assert off["status"] == "OFFLINE" and off["location"] is None
        assert (await driving.data(OFFERS))["offers"] == []
    finally:
        await offers.close()


async def test_an_offer_another_driver_takes_disappears_live_and_is_taken(
    driving: Driving,
) -> None:
    await driving.go_online()
    aylin = driving.token_of("d-aylin")
    assert (await driving.go_online(aylin, lat=52.51, lng=13.40))["status"] == "AVAILABLE"
    offers = await driving.subscribe_offers()
    try:
        order, _ = await driving.offer()
        await next_offer_update(offers, offer_is(order.id, "OPEN"))
        won = await driving.act("acceptDelivery", order.id, aylin)
        assert won["__typename"] == "Delivery"
        gone = await next_offer_update(offers, offer_is(order.id, "CLOSED"))
        assert gone["offer"] is None
        lost = await driving.act("acceptDelivery", order.id)
        assert lost["__typename"] == "Conflict" and lost["code"] == "TAKEN"
        assert "already taken" in lost["message"]
        assert (await driving.data(ME))["me"]["status"] == "AVAILABLE"
    finally:
        await offers.close()


async def test_twenty_drivers_accept_one_offer_at_once_exactly_one_wins(
    driving: Driving,
) -> None:
    drivers = [upstream.unique("d") for _ in range(20)]
    tokens = [driving.token_of(d) for d in drivers]
    for token in tokens:
        went = await driving.data(GO_ONLINE_AS, token, location=HERE, vehicle="SCOOTER")
        assert went["goOnline"]["status"] == "AVAILABLE"
    order, _ = await driving.offer()

    results = await asyncio.gather(
        *(driving.act("acceptDelivery", order.id, token) for token in tokens)
    )

    kinds = sorted(r["__typename"] for r in results)
    assert kinds == ["Conflict"] * 19 + ["Delivery"]
    assert {r["code"] for r in results if r["__typename"] == "Conflict"} == {"TAKEN"}

    async def relayed() -> bool:
        return len(await driving.events_on_hub("delivery-accepted")) >= 1

    await wait_for("delivery-accepted on the hub", relayed, 30)
    await refusals.snapshot(driving, OUTBOX_COLLECTIONS)  # every outbox relayed
    (accepted,) = await driving.events_on_hub("delivery-accepted")
    winner = drivers[[r["__typename"] for r in results].index("Delivery")]
    assert accepted.delivery.driver_id == winner
    busy = [
        e.driver.id
        for e in await driving.events_on_hub("driver-status-changed")
        if e.driver.status == "busy"
    ]
    assert busy == [winner]


async def test_problems_are_typed_and_write_nothing(driving: Driving) -> None:
    await driving.go_online()
    order, _ = await driving.offer()
    before = await refusals.snapshot(driving, OUTBOX_COLLECTIONS)

    bad_place = await driving.data(GO_ONLINE_AS, location={"lat": 123.0, "lng": 13.4})
    assert bad_place["goOnline"]["__typename"] == "InvalidInput"
    assert bad_place["goOnline"]["field"] == "location.lat"
    unknown = await driving.act("acceptDelivery", "o-nothing-like-it")
    assert unknown["__typename"] == "NotFound"
    bad_id = await driving.act("acceptDelivery", "x" * 500)
    assert bad_id["__typename"] == "InvalidInput" and bad_id["field"] == "orderId"
    not_mine = await driving.act("markPickedUp", order.id)
    assert not_mine["__typename"] == "NotFound"
    not_yet = await driving.act("markDelivered", order.id)
    assert not_yet["__typename"] == "NotFound"
    wrong_type = await driving.gql(GO_ONLINE_AS, location={"lat": "north", "lng": 1})
    assert wrong_type.status_code == 200 and wrong_type.json()["data"] is None
    too_many = await driving.gql("{ offers(first: 500) { id } }")
    assert "first must be 1 to 50" in too_many.json()["errors"][0]["message"]

    assert await refusals.snapshot(driving, OUTBOX_COLLECTIONS) == before
    assert (await driving.data(ME))["me"]["status"] == "AVAILABLE"


async def test_a_busy_driver_cannot_go_offline_or_take_a_second_order(
    driving: Driving,
) -> None:
    await driving.go_online()
    first, _ = await driving.offer()
    second, _ = await driving.offer(restaurant=1)
    assert (await driving.act("acceptDelivery", first.id))["__typename"] == "Delivery"
    # the listener marks the offer taken when delivery-accepted comes back through the hub:
    # after that, only a new write could change the snapshot
    await driving.wait_for_offer(first.id, lambda offer: offer["status"] == "taken")
    before = await refusals.snapshot(driving, OUTBOX_COLLECTIONS)

    again = await driving.act("acceptDelivery", second.id)
    assert again["__typename"] == "Conflict" and "before accepting another" in again["message"]
    off: dict[str, Any] = (await driving.data(GO_OFFLINE))["goOffline"]
    assert off["__typename"] == "Conflict" and "before going offline" in off["message"]

    assert await refusals.snapshot(driving, OUTBOX_COLLECTIONS) == before
    moved = (await driving.data(REPORT, location={"lat": 52.5, "lng": 13.42}))["reportLocation"]
    assert moved["location"] == {"lat": 52.5, "lng": 13.42}

    async def told() -> bool:
        return len(await driving.events_on_hub("driver-location-changed")) == 1

    await wait_for("driver-location-changed on the hub", told, 30)
    (where,) = await driving.events_on_hub("driver-location-changed")
    assert where.position.order_id == first.id
