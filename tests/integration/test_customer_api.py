"""The customer BFF as its app uses it, on the real stack, with the restaurant's and the
driver's events simulated (no other BFF runs): browse, order, follow the order live
through every step, cancel, and get typed problems that write nothing."""

from __future__ import annotations

from typing import Any

from bff.customer.names import ORDERS
from bff.restaurant.demo import RESTAURANTS
from events import DeliveryAccepted, GeoPoint, OrderDelivered, OrderPickedUp
from tests.integration.listening import wait_for
from tests.integration.shop import (
    CANCEL,
    DIAVOLA,
    MARGHERITA,
    ORDER,
    Shop,
    next_order_update,
    order_is,
    shop_fixture,  # noqa: F401 (the `shop` fixture)
)
from tests.support import upstream


async def test_browse_then_order_and_follow_every_step_live(shop: Shop) -> None:
    browse = await shop.data(
        "{ restaurants { items { id name isOpen deliveryTo(lat: 52.4975, lng: 13.4313) "
        "{ distanceKm fee { amount } inRange } menu { category items { id available } } } } }"
    )
    listed = {r["id"]: r for r in browse["restaurants"]["items"]}
    ours = listed[shop.restaurant.id]
    assert ours["isOpen"] and ours["deliveryTo"]["inRange"]
    assert ours["menu"][0]["items"][0]["id"] == MARGHERITA

    ws = await shop.subscribe_orders()
    try:
        placed = await shop.place((MARGHERITA, 2), (DIAVOLA, 1), note="Ring twice")
        assert placed["__typename"] == "Order" and placed["status"] == "PLACED"
        assert placed["total"]["amount"] == 2 * 950 + 1150 + placed["deliveryFee"]["amount"]
        order_id = placed["id"]
        await next_order_update(ws, order_is(order_id, "PLACED"))  # its own event, consumed

        order = await shop.order_snapshot(order_id)
        acceptance = upstream.accepted(order, prep_minutes=20)
        await shop.publish(acceptance)
        accepted = await next_order_update(ws, order_is(order_id, "ACCEPTED"))
        assert accepted["order"]["estimatedReadyAt"] == acceptance.estimated_ready_at
        assert accepted["order"]["canCancel"] is False

        await shop.publish(upstream.delivery_event(DeliveryAccepted, order))
        assigned = await next_order_update(ws, lambda u: bool(u["order"]["driver"]))
        assert assigned["order"]["driver"] == {"name": "Jonas Weber", "vehicle": "bicycle"}

        await shop.publish(upstream.location_changed(GeoPoint(lat=52.50, lng=13.42), order))
        moved = await next_order_update(ws, lambda u: u["kind"] == "POSITION")
        position = moved["order"]["driverPosition"]
        assert position["location"] == {"lat": 52.50, "lng": 13.42}
        assert 0.5 < position["distanceKm"] < 1.5

        await shop.publish(upstream.ready(order))
        await next_order_update(ws, order_is(order_id, "READY"))
        await shop.publish(upstream.delivery_event(OrderPickedUp, order))
        await next_order_update(ws, order_is(order_id, "PICKED_UP"))
        await shop.publish(upstream.delivery_event(OrderDelivered, order))
        done = await next_order_update(ws, order_is(order_id, "DELIVERED"))
    finally:
        await ws.close()
    steps = [s["step"] for s in done["order"]["timeline"]]
    assert set(steps) == {
        "PLACED",
        "ACCEPTED",
        "DRIVER_ASSIGNED",
        "READY",
        "PICKED_UP",
        "DELIVERED",
    }
    assert steps[0] == "PLACED" and steps[-1] == "DELIVERED"
    assert done["order"]["driverPosition"] is None  # delivered: no longer tracked
    mine = await shop.data("{ myOrders { items { id status } nextCursor } }")
    assert mine["myOrders"] == {
        "items": [{"id": order_id, "status": "DELIVERED"}],
        "nextCursor": None,
    }
    assert [e.order.id for e in await shop.events_on_hub("order-placed")] == [order_id]


async def test_a_customer_cancels_before_the_kitchen_decides_but_not_after(shop: Shop) -> None:
    ws = await shop.subscribe_orders()
    try:
        first = (await shop.place((MARGHERITA, 1)))["id"]
        second = (await shop.place((DIAVOLA, 1)))["id"]
        await next_order_update(ws, order_is(second, "PLACED"))
        cancelled = (await shop.data(CANCEL, id=first, reason="Ordered by mistake"))["cancelOrder"]
        assert (cancelled["status"], cancelled["cancelReason"]) == (
            "CANCELLED",
            "Ordered by mistake",
        )
        pushed = await next_order_update(ws, order_is(first, "CANCELLED"))
        assert pushed["order"]["canCancel"] is False
        again = (await shop.data(CANCEL, id=first, reason="again"))["cancelOrder"]
        assert (again["__typename"], again["code"]) == ("Conflict", "CONFLICT")

        await shop.publish(upstream.accepted(await shop.order_snapshot(second)))
        await next_order_update(ws, order_is(second, "ACCEPTED"))
        late = (await shop.data(CANCEL, id=second, reason="too slow"))["cancelOrder"]
        assert late["__typename"] == "Conflict" and "accepted" in late["message"]
    finally:
        await ws.close()
    cancels = await shop.events_on_hub("order-cancelled")
    assert [(e.order.id, e.reason) for e in cancels] == [(first, "Ordered by mistake")]
    assert (await shop.data(ORDER, id=second))["order"]["status"] == "ACCEPTED"


async def test_the_same_request_key_places_one_order(shop: Shop) -> None:
    once = await shop.place((MARGHERITA, 1), requestKey="checkout-1")
    twice = await shop.place((MARGHERITA, 1), requestKey="checkout-1")
    other = await shop.place((MARGHERITA, 1), requestKey="checkout-2")
    assert once["id"] == twice["id"] != other["id"]
    assert await shop.db[ORDERS].count_documents({}) == 2


async def test_wrong_carts_get_typed_problems_and_write_nothing(shop: Shop) -> None:
    far = {
        "line1": "Marktplatz 1",
        "city": "Potsdam",
        "postcode": "14467",
        "lat": 52.3989,
        "lng": 13.0657,
    }
    cases: list[tuple[dict[str, Any], tuple[str, str | None]]] = [
        (shop.cart(), ("InvalidInput", "items")),
        (shop.cart((MARGHERITA, 0)), ("InvalidInput", "items.0.quantity")),
        (shop.cart((MARGHERITA, 100)), ("InvalidInput", "items.0.quantity")),
        (shop.cart((MARGHERITA, 1), ("mi-nothing", 1)), ("InvalidInput", "items.1.menuItemId")),
        (shop.cart((MARGHERITA, 1), deliveryAddress=far), ("InvalidInput", "deliveryAddress")),
        (shop.cart((MARGHERITA, 1), restaurantId="r-nowhere"), ("NotFound", None)),
        (shop.cart((MARGHERITA, 1), note="x" * 201), ("InvalidInput", "note")),
    ]
    for cart, expected in cases:
        result = (
            await shop.data(
                "mutation($o: PlaceOrderInput!) { placeOrder(order: $o) "
                "{ __typename ... on Problem { message } ... on InvalidInput { field } } }",
                o=cart,
            )
        )["placeOrder"]
        assert (result["__typename"], result.get("field")) == expected, (cart, result)

    # the restaurant sells out an item, then closes: the BFF's views say so at once
    sold_out = [i.model_copy(update={"available": i.id != DIAVOLA}) for i in _menu()]
    await shop.publish(upstream.menu_updated(shop.restaurant.id, sold_out))
    await _until(shop, lambda r: not _available(r, DIAVOLA))
    result = await shop.place((DIAVOLA, 1))
    assert (result["__typename"], result["field"]) == ("InvalidInput", "items.0.menuItemId")
    assert "sold out" in result["message"]
    await shop.publish(
        upstream.restaurant_closed(shop.restaurant.model_copy(update={"is_open": False}))
    )
    await _until(shop, lambda r: not r["isOpen"])
    closed = await shop.place((MARGHERITA, 1))
    assert closed["__typename"] == "Conflict" and "closed" in closed["message"]

    assert await shop.db[ORDERS].count_documents({}) == 0
    assert await shop.events_on_hub("order-placed") == []


def _menu() -> list[Any]:
    return list(RESTAURANTS[0].items)


def _available(restaurant: dict[str, Any], item_id: str) -> bool:
    items = [i for section in restaurant["menu"] for i in section["items"]]
    return any(i["id"] == item_id and i["available"] for i in items)


async def _until(shop: Shop, check: Any) -> None:
    async def holds() -> bool:
        found = await shop.data(
            "query($id: ID!) { restaurant(id: $id) { isOpen menu { items { id available } } } }",
            id=shop.restaurant.id,
        )
        return bool(check(found["restaurant"]))

    await wait_for("the catalog to change", holds, 30)
