"""The authorization matrix: every query, mutation and subscription of every BFF, read
from its schema (a new field joins the matrix by itself, and fails the coverage test
until ``tests.faults.matrix.OWNERSHIP`` says whose data it serves).

Each BFF is served for real with its actor A owning data (an order, a ticket, an offer),
and every field is called as A's app would call it, its arguments naming A's data:

- with no token, an expired one, a forged one, a malformed one, and a token of each other
  role: over HTTP the kit's answer every time (no token: the field's ``UNAUTHENTICATED``
  error; a bad token: 401; another role's: 403), over graphql-transport-ws the
  connection closed with 4403 and not one message; and nothing written;
- as another actor B of the same role, on every field that serves an actor's own data:
  B is refused or sees only B's own (null, empty, NotFound, NotAllowed, TAKEN: whatever
  the BFF promises), A's data is left as it was, and B's subscriptions stay silent while
  A's own subscription (the positive control) gets the change to A's data.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from adapters.settings import Settings
from adapters.store import Document
from bff.kit.auth import ROLES
from events.codec import parse_event
from tests.faults.matrix import (
    OWNERSHIP,
    SCHEMAS,
    Owned,
    RootField,
    Shared,
    World,
    coordinates,
    operation,
    root_fields,
    shop_order_is,
    ticket_is_there,
    world,
)
from tests.integration.driving import HERE, Driving, delivery_is, next_shift_update
from tests.integration.kitchen_console import Console, next_update, register, ticket_is
from tests.integration.listening import wait_for
from tests.integration.shop import MARGHERITA, Shop, next_order_update, order_is
from tests.integration.test_outbox_relay import read_topic
from tests.support import refusals, upstream
from tests.support.serving import receive, subscribe, token_for

#: how long another actor's subscription must stay silent once A's own got the change
SILENCE_SECONDS = 2.0


# -- coverage --------------------------------------------------------------------------


def test_every_field_of_every_bff_is_in_the_matrix() -> None:
    for role in ROLES:
        fields = coordinates(role)
        assert sorted(fields) == sorted(OWNERSHIP[role]), (
            f"{role}: every root field needs an entry in tests.faults.matrix.OWNERSHIP "
            f"(missing: {sorted(set(fields) - set(OWNERSHIP[role]))}, "
            f"gone: {sorted(set(OWNERSHIP[role]) - set(fields))})"
        )
        owned = {c for c, o in OWNERSHIP[role].items() if isinstance(o, Owned)}
        assert sorted(owned) == sorted(PROBES[role]), (
            f"{role}: every Owned field needs a probe as another actor of the same role "
            f"(missing: {sorted(owned - set(PROBES[role]))}, "
            f"not owned: {sorted(set(PROBES[role]) - owned)})"
        )
        for entry in OWNERSHIP[role].values():
            text = entry.how if isinstance(entry, Owned) else entry.reason
            assert text.strip(), (role, entry)


def test_every_field_gets_a_valid_operation() -> None:
    """The generated operations validate against each schema (offline)."""
    from graphql import parse, validate

    from tests.faults.matrix import core

    for schema in SCHEMAS.values():
        for root in root_fields(schema):
            document, _ = operation(root)
            assert validate(core(schema), parse(document)) == [], (root.coordinate, document)


# -- refused tokens --------------------------------------------------------------------


def refused_tokens(opened: World) -> dict[str, str | None]:
    """Every token the BFF must refuse, by kind: none, expired, forged, malformed, and
    each other role's (naming A's own id: a role is not borrowed by naming an actor)."""
    settings, me, role = opened.bff.settings, opened.bff.actor_id, opened.role
    tokens: dict[str, str | None] = {
        "none": None,
        "expired": refusals.expired(settings, role, me),
        "forged": refusals.forged(settings, role, me),
        "malformed": "not-a-jwt",
    }
    for other in ROLES:
        if other != role:
            tokens[f"{other} token"] = token_for(settings, other, me)
    return tokens


async def refused_over_http(
    opened: World, root: RootField, document: str, variables: dict[str, Any], kind: str
) -> None:
    token = refused_tokens(opened)[kind]
    answer = await opened.bff.gql(document, token, **variables)
    body = answer.json()
    where = f"{opened.role} {root.coordinate} with {kind}: {answer.status_code} {body}"
    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
    if kind == "none":
        assert answer.status_code == 200, where
        assert codes and set(codes) == {"UNAUTHENTICATED"}, where
        assert body["data"] is None or body["data"][root.name] is None, where
    elif kind.endswith(" token"):
        assert answer.status_code == 403 and codes == ["FORBIDDEN"], where
        assert "data" not in body, where
    else:
        assert answer.status_code == 401 and codes == ["UNAUTHENTICATED"], where
        assert answer.headers.get("www-authenticate") == "Bearer", where
        assert "data" not in body, where


async def refused_over_websocket(
    opened: World, root: RootField, document: str, variables: dict[str, Any], kind: str
) -> None:
    """The connection is closed with 4403 at ``connection_init``; a subscribe sent right
    behind it (before any ack) gets not one message either."""
    token = refused_tokens(opened)[kind]
    payload = {} if token is None else {"authorization": f"Bearer {token}"}
    for pipelined in (False, True):
        received, code = await closed_connection(
            opened.bff.host, payload, document, variables, pipelined
        )
        where = f"{opened.role} {root.coordinate} with {kind} (pipelined: {pipelined})"
        assert received == [], (where, received)
        assert code == 4403, (where, code)


async def closed_connection(
    host: str,
    payload: dict[str, Any],
    document: str,
    variables: dict[str, Any],
    pipelined: bool,
) -> tuple[list[Any], int | None]:
    """What a graphql-transport-ws connection received before it was closed, and the
    close code."""
    received: list[Any] = []
    subscribe_message = {
        "id": "1",
        "type": "subscribe",
        "payload": {"query": document, "variables": variables},
    }
    protocols = [Subprotocol("graphql-transport-ws")]
    async with connect(f"ws://{host}/graphql", subprotocols=protocols) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        if pipelined:
            await ws.send(json.dumps(subscribe_message))
        try:
            async with asyncio.timeout(15):
                while True:
                    received.append(json.loads(await ws.recv()))
        except ConnectionClosed as closed:
            return received, closed.rcvd.code if closed.rcvd else None
    raise AssertionError("unreachable")  # pragma: no cover


async def refused_everywhere(opened: World) -> int:
    """Every field with every refused token; returns how many attempts were made."""
    kinds = list(refused_tokens(opened))
    attempts = 0
    for kind_of_operation in ("query", "mutation", "subscription"):
        for root, document, variables in opened.operations(kind_of_operation):
            for kind in kinds:
                if root.operation == "subscription":
                    await refused_over_websocket(opened, root, document, variables, kind)
                else:
                    await refused_over_http(opened, root, document, variables, kind)
                attempts += 1
    return attempts


# -- another actor of the same role ----------------------------------------------------


@dataclass
class Crossing:
    """A's world, and B: another actor of the same role, with B's own data where the
    field needs it to say anything."""

    world: World
    b_id: str
    #: A's resources by name (order, item, ...), for the probes
    a: dict[str, Any] = field(default_factory=dict)

    @property
    def b(self) -> str:
        return token_for(self.world.bff.settings, self.world.role, self.b_id)

    async def as_b(self, document: str, **variables: Any) -> dict[str, Any]:
        return await self.world.bff.data(document, self.b, **variables)

    async def result_as_b(self, root: str, document: str, **variables: Any) -> dict[str, Any]:
        found: dict[str, Any] = (await self.as_b(document, **variables))[root]
        return found


@dataclass(frozen=True)
class Probe:
    """What B tries on one field. ``phase``: ``refused`` (nothing at all is written),
    ``own`` (B changes B's own data: A's is unchanged, every new event is B's) or
    ``live`` (a subscription: silent while A's data changes)."""

    phase: str
    run: Callable[[Crossing], Awaitable[None]]


PROBLEM = "__typename ... on Problem { code }"


Expected = Callable[[Any, Crossing], bool]


def refused(root: str, document: str, expected: Any, **variables: str) -> Probe:
    """B's answer to ``document`` is ``expected``: a value, or ``Expected``. Each variable
    names one of A's resources (``Crossing.a``)."""

    async def run(crossing: Crossing) -> None:
        values = {name: crossing.a[resource] for name, resource in variables.items()}
        got = await crossing.result_as_b(root, document, **values)
        ok = expected(got, crossing) if callable(expected) else got == expected
        assert ok, (crossing.world.role, root, got)

    return Probe("refused", run)


def problem(code_or_type: str) -> Expected:
    def check(got: Any, crossing: Crossing) -> bool:
        return isinstance(got, dict) and code_or_type in (got.get("__typename"), got.get("code"))

    return check


def is_b(got: Any, crossing: Crossing) -> bool:
    return isinstance(got, dict) and got.get("id") == crossing.b_id


def own(run: Callable[[Crossing], Awaitable[None]]) -> Probe:
    return Probe("own", run)


def live(run: Callable[[Crossing], Awaitable[None]]) -> Probe:
    return Probe("live", run)


@dataclass(frozen=True)
class Change:
    """A change to one actor's data, and how that actor's subscription shows it."""

    make: Callable[[], Awaitable[Any]]
    heard: Callable[[ClientConnection], Awaitable[Any]]


async def silent_while_a_hears(
    a_ws: ClientConnection, b_ws: ClientConnection, bs_own: Change, as_own: Change
) -> None:
    """B's subscription hears B's own change (so it is live), then A's data changes:
    A's subscription hears it, B's stays silent."""
    await bs_own.make()
    await bs_own.heard(b_ws)
    await as_own.make()
    await as_own.heard(a_ws)
    with pytest.raises(TimeoutError):
        message = await receive(b_ws, SILENCE_SECONDS)
        raise AssertionError(f"B's subscription got A's change: {message}")


# customer


async def customer_places_with_as_request_key(crossing: Crossing) -> None:
    shop = crossing.world.bff
    assert isinstance(shop, Shop)
    cart = shop.cart((MARGHERITA, 2), requestKey=crossing.a["requestKey"])
    document = "mutation($o: PlaceOrderInput!) { placeOrder(order: $o) { ... on Order { id } } }"
    placed = await crossing.result_as_b("placeOrder", document, o=cart)
    assert placed["id"] != crossing.a["order"], "B got A's order back for A's request key"
    # B's own order in B's view before B subscribes (its push is not A's change)
    await shop_order_is(shop, placed["id"], "PLACED", crossing.b)


async def customer_orders_stay_private(crossing: Crossing) -> None:
    shop = crossing.world.bff
    assert isinstance(shop, Shop)
    updates = "subscription { myOrders { order { id status } } }"
    a_ws = await shop.subscribe(updates)
    b_ws = await subscribe(shop.host, crossing.b, updates)
    order = await shop.order_snapshot(crossing.a["order"])
    place = "mutation($o: PlaceOrderInput!) { placeOrder(order: $o) { ... on Order { id } } }"
    bs_order: dict[str, str] = {}

    async def b_places() -> None:
        placed = await crossing.result_as_b("placeOrder", place, o=shop.cart((MARGHERITA, 3)))
        bs_order["id"] = placed["id"]

    async def b_hears(ws: ClientConnection) -> None:
        await next_order_update(ws, order_is(bs_order["id"], "PLACED"))

    async def kitchen_accepts_as() -> None:
        await shop.publish(upstream.accepted(order))

    async def a_hears(ws: ClientConnection) -> None:
        await next_order_update(ws, order_is(order.id, "ACCEPTED"))

    try:
        bs_own, as_own = Change(b_places, b_hears), Change(kitchen_accepts_as, a_hears)
        await silent_while_a_hears(a_ws, b_ws, bs_own, as_own)
    finally:
        await a_ws.close()
        await b_ws.close()


CUSTOMER_PROBES: dict[str, Probe] = {
    "Query.me": refused(
        "me",
        "{ me { id lastAddress { line1 } } }",
        lambda me, crossing: is_b(me, crossing) and me["lastAddress"] is None,
    ),
    "Query.myOrders": refused("myOrders", "{ myOrders { items { id } } }", {"items": []}),
    "Query.order": refused("order", "query($id: ID!) { order(id: $id) { id } }", None, id="order"),
    "Mutation.cancelOrder": refused(
        "cancelOrder",
        f"mutation($id: ID!) {{ cancelOrder(id: $id) {{ {PROBLEM} }} }}",
        problem("NotFound"),
        id="order",
    ),
    "Mutation.placeOrder": own(customer_places_with_as_request_key),
    "Subscription.myOrders": live(customer_orders_stay_private),
}


async def customer_crossing(opened: World) -> Crossing:
    shop = opened.bff
    assert isinstance(shop, Shop)
    placed = await shop.place((MARGHERITA, 1), requestKey="rk-of-a")
    await shop_order_is(shop, str(placed["id"]), "PLACED")
    return Crossing(
        opened, upstream.unique("c"), {"order": str(placed["id"]), "requestKey": "rk-of-a"}
    )


# restaurant

TICKET = "query($id: ID!) { ticket(orderId: $id) { orderId } }"


async def restaurant_changes_only_its_own(crossing: Crossing) -> None:
    for document in (
        'mutation { updateProfile(changes: {name: "Not yours"}) { __typename } }',
        "mutation { closeRestaurant { __typename } }",
        "mutation { openRestaurant { __typename } }",
        'mutation { addMenuItem(item: {name: "B only", priceCents: 100, category: "B"}) '
        "{ __typename } }",
    ):
        got = await crossing.as_b(document)
        assert next(iter(got.values()))["__typename"] in ("Restaurant", "MenuItem"), got
    mine = await crossing.world.bff.data("{ restaurant { id name isOpen } }")
    assert mine["restaurant"]["id"] == crossing.world.bff.actor_id
    assert mine["restaurant"]["name"] != "Not yours"


async def kitchens_stay_private(crossing: Crossing) -> None:
    console = crossing.world.bff
    assert isinstance(console, Console)
    updates = "subscription { kitchen { kind ticket { orderId status } } }"
    a_ws = await console.subscribe(updates)
    b_ws = await subscribe(console.host, crossing.b, updates)
    order = console.order()

    async def b_closes() -> None:
        await crossing.as_b("mutation { closeRestaurant { __typename } }")

    async def b_hears(ws: ClientConnection) -> None:
        await next_update(ws, lambda update: update["kind"] == "RESTAURANT")

    async def order_for_a() -> None:
        await console.publish(upstream.placed(order))

    async def a_hears(ws: ClientConnection) -> None:
        await next_update(ws, ticket_is(order.id, "PLACED"))

    try:
        bs_own, as_own = Change(b_closes, b_hears), Change(order_for_a, a_hears)
        await silent_while_a_hears(a_ws, b_ws, bs_own, as_own)
    finally:
        await a_ws.close()
        await b_ws.close()


async def bs_lake_counts_are_bs(crossing: Crossing) -> None:
    """The lake's counts for B (none: B was never viewed), or the lake unreadable (the
    test stack's lake may hold no files): never A's or anyone else's figures."""
    document = "{ menuViewHistory(days: 28) { views viewers ordersPlaced days { views } } }"
    answer = (await crossing.world.bff.gql(document, crossing.b)).json()
    if answer.get("errors"):
        assert answer["data"] is None and "lake" in answer["errors"][0]["message"], answer
        return
    found = answer["data"]["menuViewHistory"]
    assert (found["views"], found["viewers"], found["ordersPlaced"]) == (0, 0, 0), found
    assert all(day["views"] == 0 for day in found["days"]), found


def b_board_is_empty(board: dict[str, list[Any]], crossing: Crossing) -> bool:
    return all(column == [] for column in board.values())


RESTAURANT_PROBES: dict[str, Probe] = {
    "Query.me": refused("me", "{ me { id } }", is_b),
    "Query.board": refused(
        "board",
        "{ board { new { orderId } preparing { orderId } ready { orderId } "
        "outForDelivery { orderId } } }",
        b_board_is_empty,
    ),
    "Query.history": refused("history", "{ history { orderId } }", []),
    "Query.ticket": refused("ticket", TICKET, None, id="order"),
    "Query.restaurant": refused(
        "restaurant",
        "{ restaurant { id menu { items { id name } } } }",
        lambda found, crossing: is_b(found, crossing) and "Only A" not in str(found),
    ),
    "Query.menuViewHistory": Probe("refused", bs_lake_counts_are_bs),
    "Query.popularity": refused(
        "popularity",
        "{ popularity { menuViews viewers orders items { menuItemId } } }",
        {"menuViews": 0, "viewers": 0, "orders": 0, "items": []},
    ),
    "Mutation.acceptOrder": refused(
        "acceptOrder",
        f"mutation($id: ID!) {{ acceptOrder(orderId: $id, prepMinutes: 10) {{ {PROBLEM} }} }}",
        problem("NotAllowed"),
        id="order",
    ),
    "Mutation.rejectOrder": refused(
        "rejectOrder",
        f'mutation($id: ID!) {{ rejectOrder(orderId: $id, reason: "No") {{ {PROBLEM} }} }}',
        problem("NotAllowed"),
        id="order",
    ),
    "Mutation.markOrderReady": refused(
        "markOrderReady",
        f"mutation($id: ID!) {{ markOrderReady(orderId: $id) {{ {PROBLEM} }} }}",
        problem("NotAllowed"),
        id="accepted",
    ),
    "Mutation.editMenuItem": refused(
        "editMenuItem",
        f"mutation($id: ID!) {{ editMenuItem(itemId: $id, changes: {{priceCents: 1}}) "
        f"{{ {PROBLEM} }} }}",
        problem("NotFound"),
        id="item",
    ),
    "Mutation.setMenuItemAvailability": refused(
        "setMenuItemAvailability",
        f"mutation($id: ID!) {{ setMenuItemAvailability(itemId: $id, available: false) "
        f"{{ {PROBLEM} }} }}",
        problem("NotFound"),
        id="item",
    ),
    "Mutation.removeMenuItem": refused(
        "removeMenuItem",
        f"mutation($id: ID!) {{ removeMenuItem(itemId: $id) {{ {PROBLEM} }} }}",
        problem("NotFound"),
        id="item",
    ),
    "Mutation.updateProfile": own(restaurant_changes_only_its_own),
    "Mutation.openRestaurant": own(restaurant_changes_only_its_own),
    "Mutation.closeRestaurant": own(restaurant_changes_only_its_own),
    "Mutation.addMenuItem": own(restaurant_changes_only_its_own),
    "Subscription.kitchen": live(kitchens_stay_private),
}


async def restaurant_crossing(opened: World, redis: Redis) -> Crossing:
    """A: the world's new order; an accepted one; a rejected one (history); menu views
    and an accepted order (popularity); an item only on A's menu. B: registered."""
    console = opened.bff
    assert isinstance(console, Console)
    accepted, rejected = console.order(), console.order()
    for order in (accepted, rejected):
        await console.publish(upstream.placed(order))
        await ticket_is_there(console, order.id)
    decide = "mutation($id: ID!) { acceptOrder(orderId: $id, prepMinutes: 10) { __typename } }"
    decided = await console.data(decide, id=accepted.id)
    assert decided["acceptOrder"]["__typename"] == "KitchenDecision", decided
    reject = 'mutation($id: ID!) { rejectOrder(orderId: $id, reason: "Closed") { __typename } }'
    await console.data(reject, id=rejected.id)
    await console.publish(upstream.menu_viewed(console.actor_id, "c-lena"))
    added = await console.data(
        'mutation { addMenuItem(item: {name: "Only A", priceCents: 990, category: "A"}) '
        "{ ... on MenuItem { id } } }"
    )

    async def settled() -> bool:
        found = await console.data(
            "{ popularity { menuViews } history { orderId } board { preparing { orderId } } }"
        )
        return bool(
            found["popularity"]["menuViews"] >= 1
            and found["history"] != []
            and found["board"]["preparing"] != []
        )

    await wait_for("A's kitchen settled", settled, 30)
    b_id = upstream.unique("r")
    await register(console.db, redis, b_id)
    a = {
        "order": opened.values["orderId"],
        "accepted": accepted.id,
        "item": added["addMenuItem"]["id"],
    }
    return Crossing(opened, b_id, a)


# driver


async def driver_changes_only_its_own(crossing: Crossing) -> None:
    driving = crossing.world.bff
    assert isinstance(driving, Driving)
    shift = "__typename ... on Me { id status } ... on Problem { code message }"
    go_online = f"goOnline(location: $l, vehicle: SCOOTER) {{ {shift} }}"
    online = await crossing.as_b(f"mutation($l: GeoPointInput!) {{ {go_online} }}", l=HERE)
    assert online["goOnline"]["id"] == crossing.b_id, online
    moved = await crossing.as_b(
        f"mutation($l: GeoPointInput!) {{ reportLocation(location: $l) {{ {shift} }} }}", l=HERE
    )
    assert moved["reportLocation"]["id"] == crossing.b_id, moved
    offline = await crossing.as_b(f"mutation {{ goOffline {{ {shift} }} }}")
    assert offline["goOffline"]["id"] == crossing.b_id, offline
    mine = await driving.data("{ me { id status activeDelivery { id } } }")
    assert mine["me"]["activeDelivery"] == {"id": crossing.a["order"]}, mine


async def shifts_stay_private(crossing: Crossing) -> None:
    driving = crossing.world.bff
    assert isinstance(driving, Driving)
    updates = "subscription { shift { kind me { id status } delivery { id status } } }"
    a_ws = await driving.subscribe(updates)
    b_ws = await subscribe(driving.host, crossing.b, updates)
    order_id = crossing.a["order"]

    async def b_goes_online() -> None:
        go_online = "goOnline(location: $l, vehicle: SCOOTER) { __typename }"
        await crossing.as_b(f"mutation($l: GeoPointInput!) {{ {go_online} }}", l=HERE)

    async def b_hears(ws: ClientConnection) -> None:
        await next_shift_update(ws, lambda update: update["me"]["status"] == "AVAILABLE")

    async def a_picks_up() -> None:
        picked = await driving.act("markPickedUp", order_id)
        assert picked["__typename"] == "Delivery", picked

    async def a_hears(ws: ClientConnection) -> None:
        await next_shift_update(ws, delivery_is(order_id, "PICKED_UP"))

    try:
        bs_own, as_own = Change(b_goes_online, b_hears), Change(a_picks_up, a_hears)
        await silent_while_a_hears(a_ws, b_ws, bs_own, as_own)
    finally:
        await a_ws.close()
        await b_ws.close()


DRIVER_PROBES: dict[str, Probe] = {
    "Query.me": refused(
        "me",
        "{ me { id activeDelivery { id } } }",
        lambda me, crossing: is_b(me, crossing) and me["activeDelivery"] is None,
    ),
    "Query.offer": refused("offer", "query($id: ID!) { offer(id: $id) { id } }", None, id="order"),
    "Query.delivery": refused(
        "delivery", "query($id: ID!) { delivery(id: $id) { id } }", None, id="order"
    ),
    "Query.today": refused(
        "today", "{ today { deliveries { id } delivered } }", {"deliveries": [], "delivered": 0}
    ),
    "Mutation.acceptDelivery": refused(
        "acceptDelivery",
        f"mutation($id: ID!) {{ acceptDelivery(orderId: $id) {{ {PROBLEM} }} }}",
        problem("TAKEN"),
        id="order",
    ),
    "Mutation.markPickedUp": refused(
        "markPickedUp",
        f"mutation($id: ID!) {{ markPickedUp(orderId: $id) {{ {PROBLEM} }} }}",
        problem("NotAllowed"),
        id="order",
    ),
    "Mutation.markDelivered": refused(
        "markDelivered",
        f"mutation($id: ID!) {{ markDelivered(orderId: $id) {{ {PROBLEM} }} }}",
        problem("NotAllowed"),
        id="order",
    ),
    "Mutation.goOnline": own(driver_changes_only_its_own),
    "Mutation.goOffline": own(driver_changes_only_its_own),
    "Mutation.reportLocation": own(driver_changes_only_its_own),
    "Subscription.shift": live(shifts_stay_private),
}


async def driver_crossing(opened: World) -> Crossing:
    """A took the world's offer and the kitchen marked it ready."""
    driving = opened.bff
    assert isinstance(driving, Driving)
    order_id = opened.values["orderId"]
    assert (await driving.act("acceptDelivery", order_id))["__typename"] == "Delivery"
    await driving.ready(opened.extra["order"], opened.extra["accepted"])
    await driving.wait_for_offer(order_id, lambda doc: doc["status"] == "taken")
    return Crossing(opened, upstream.unique("d"), {"order": order_id})


PROBES: dict[str, dict[str, Probe]] = {
    "customer": CUSTOMER_PROBES,
    "restaurant": RESTAURANT_PROBES,
    "driver": DRIVER_PROBES,
}


async def crossing_of(opened: World, redis: Redis) -> Crossing:
    if opened.role == "customer":
        return await customer_crossing(opened)
    if opened.role == "restaurant":
        return await restaurant_crossing(opened, redis)
    return await driver_crossing(opened)


async def only_bs_own_changed(crossing: Crossing, before: dict[str, list[Any]]) -> None:
    """Every document of A's (all but B's) is as it was; every new event is B's."""
    after = await crossing.world.snapshot()
    b_id = crossing.b_id
    for name, docs in before.items():
        if name == "hub":
            continue
        now = {doc["_id"]: doc for doc in after.get(name, [])}
        for doc in docs:
            if b_id in str(doc["_id"]):
                continue
            assert now.get(doc["_id"]) == doc, (name, doc["_id"], now.get(doc["_id"]))
    settings = crossing.world.bff.settings
    records = await read_topic(settings.kafka_bootstrap, settings.kafka_topic)
    seen = {tuple(r["at"]) for r in before["hub"]}
    new = [parse_event(r.value) for r in records if (r.partition, r.offset) not in seen]
    actors = {event.tags.actor for event in new}
    assert actors <= {f"{crossing.world.role}:{b_id}"}, actors


async def same_role_other_actor(crossing: Crossing) -> None:
    probes = PROBES[crossing.world.role]
    before = await crossing.world.snapshot()
    for phase in ("refused", "own", "live"):
        # a probe that covers several fields (B's own changes) runs once
        runs = {id(p.run): p.run for p in probes.values() if p.phase == phase}
        for run in runs.values():
            await run(crossing)
        if phase == "refused":
            assert await crossing.world.snapshot() == before, "B's refused calls wrote"
        if phase == "own":
            await only_bs_own_changed(crossing, before)


@pytest.mark.parametrize("role", ROLES)
async def test_every_field_refuses_every_other_caller(
    role: str,
    settings: Settings,
    topic: str,
    db: AsyncDatabase[Document],
    redis: Redis,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with world(role, settings, topic, db, redis) as opened:
        kinds = len(refused_tokens(opened))
        before = await opened.snapshot()
        attempts = await refused_everywhere(opened)
        assert await opened.snapshot() == before, "a refused caller wrote"

        crossing = await crossing_of(opened, redis)
        await same_role_other_actor(crossing)

    fields = root_fields(SCHEMAS[role])
    shared = [c for c, o in OWNERSHIP[role].items() if isinstance(o, Shared)]
    with capsys.disabled():
        print(
            f"\n{role}: {len(fields)} fields x {kinds} refused tokens = {attempts} attempts;"
            f" {len(PROBES[role])} fields tried as another {role},"
            f" {len(shared)} shared ({', '.join(shared)})"
        )
    assert attempts == len(fields) * kinds
