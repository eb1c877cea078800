"""No secrets in the logs: the three BFFs served together on the real stack (one hub, their
own databases), everything logged at INFO and above captured from the root logger while
a customer signs in and orders to a distinctive address with a distinctive note, the
kitchen accepts, a driver takes the delivery, all three follow it live, and callers try
bad, expired, forged and misplaced tokens and broken input. Neither a token used nor the
address nor the note appears anywhere in what was logged: messages, arguments,
tracebacks.

The capture has none of the kit's redaction (``bff.kit.logs.RedactTokens`` is a safety
net on the process's handlers, not the reason nothing leaks); uvicorn's loggers get the
query-string filter every BFF process installs (``bff.kit.logs.hide_query_strings``),
because uvicorn itself prints the paths it serves.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from websockets.asyncio.client import connect

from adapters.settings import Settings
from adapters.store import Document
from bff.customer.spec import SPEC as CUSTOMER
from bff.driver.spec import SPEC as DRIVER
from bff.kit.logs import UVICORN_LOGGERS, HideQueryStrings, hide_query_strings
from bff.kit.spec import BffSpec
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.spec import SPEC as RESTAURANT
from tests.integration.driving import ACCEPT as ACCEPT_DELIVERY
from tests.integration.driving import GO_ONLINE, HERE, OFFER_UPDATES
from tests.integration.kitchen_console import ACCEPT as ACCEPT_ORDER
from tests.integration.kitchen_console import KITCHEN_UPDATES, register
from tests.integration.listening import wait_for
from tests.integration.shop import MY_ORDERS, PLACE
from tests.support import refusals, upstream
from tests.support.served import ServedBff, next_push, serving
from tests.support.serving import close_code, receive, subscribe, token_for

#: what must never be logged: the customer's address and note to the driver
LINE1 = "Geheimgasse 47 Hinterhof Zebra"
NOTE = "Klingel Zebra-4711 zweimal, Hund beisst"
SECRETS_OF_THE_CUSTOMER = (LINE1, "Geheimgasse", NOTE, "Zebra-4711")


#: the test's own clients, which log the URLs they call (no BFF uses them)
CLIENT_LOGGERS = ("httpx", "httpcore", "websockets.client")


class Captured(logging.Handler):
    """Every record that reaches the root logger, as it was logged, but the test's own
    clients' (``CLIENT_LOGGERS``)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not any(record.name == c or record.name.startswith(f"{c}.") for c in CLIENT_LOGGERS):
            self.records.append(record)

    def texts(self) -> Iterator[str]:
        """Each record's message, raw arguments, traceback and stack, as text."""
        for record in self.records:
            yield record.getMessage()
            yield str(record.msg)
            yield repr(record.args)
            if record.exc_info and record.exc_info[1] is not None:
                yield "".join(traceback.format_exception(record.exc_info[1]))
            yield record.exc_text or ""
            yield record.stack_info or ""


@contextmanager
def everything_logged_at_info() -> Iterator[Captured]:
    root = logging.getLogger()
    captured = Captured()
    level = root.level
    root.addHandler(captured)
    root.setLevel(logging.INFO)
    installed = [
        f
        for name in UVICORN_LOGGERS
        for f in logging.getLogger(name).filters
        if isinstance(f, HideQueryStrings)
    ]
    hide_query_strings()
    try:
        yield captured
    finally:
        root.removeHandler(captured)
        root.setLevel(level)
        for name in UVICORN_LOGGERS:
            logger = logging.getLogger(name)
            for f in list(logger.filters):
                if isinstance(f, HideQueryStrings) and f not in installed:
                    logger.removeFilter(f)


@pytest.fixture
async def databases(
    mongo: AsyncMongoClient[Document], db: AsyncDatabase[Document]
) -> AsyncIterator[dict[str, AsyncDatabase[Document]]]:
    """A fresh database for each BFF (dropped afterwards)."""
    found = {name: mongo[f"{db.name}_{name[0]}"] for name in ("customer", "restaurant", "driver")}
    yield found
    for each in found.values():
        await mongo.drop_database(each.name)


async def sign_in(bff: ServedBff) -> str:
    """A token from the BFF's dev sign-in, as the app gets it."""
    async with httpx.AsyncClient(base_url=f"http://{bff.host}") as client:
        page = await client.get("/dev/signin")
        assert page.status_code == 200 and bff.actor_id in page.text
        answer = await client.post("/dev/token", json={"id": bff.actor_id})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["token"]
    return token


def cart(restaurant_id: str, **address: Any) -> dict[str, Any]:
    home = {"line1": LINE1, "city": "Berlin", "postcode": "10999", "lat": 52.4975, "lng": 13.4313}
    return {
        "restaurantId": restaurant_id,
        "items": [{"menuItemId": RESTAURANTS[0].items[0].id, "quantity": 2}],
        "deliveryAddress": {**home, **address},
        "note": NOTE,
    }


async def test_no_token_address_or_note_is_logged(
    settings: Settings,
    topic: str,
    databases: dict[str, AsyncDatabase[Document]],
    redis: Redis,
) -> None:
    restaurant_id = upstream.unique("r")
    await register(databases["restaurant"], redis, restaurant_id)
    tokens: list[str] = []

    with everything_logged_at_info() as captured:
        async with AsyncExitStack() as stack:

            async def served(spec: BffSpec, actor_id: str, name: str) -> ServedBff:
                db = databases[spec.role]
                return await stack.enter_async_context(
                    serving(spec, settings, topic, db, actor_id=actor_id, actor_name=name)
                )

            kitchen = await served(RESTAURANT, restaurant_id, "Trattoria")
            shop = await served(CUSTOMER, upstream.unique("c"), "Zoe Customer")
            rider = await served(DRIVER, upstream.unique("d"), "Dara Driver")
            customer, cook, driver = [await sign_in(b) for b in (shop, kitchen, rider)]
            tokens += [customer, cook, driver]

            async def listed() -> bool:
                found = await shop.data(
                    "query($id: ID!) { restaurant(id: $id) { isOpen } }", customer, id=restaurant_id
                )
                return bool(found["restaurant"] and found["restaurant"]["isOpen"])

            await wait_for("the restaurant in the customer's catalog", listed, 60)
            online = await rider.data(GO_ONLINE, driver, location=HERE, vehicle="BICYCLE")
            assert online["goOnline"]["__typename"] == "Me"

            orders = await subscribe(shop.host, customer, MY_ORDERS)
            tickets = await subscribe(kitchen.host, cook, KITCHEN_UPDATES)
            offers = await subscribe(rider.host, driver, OFFER_UPDATES)
            try:
                placed = (await shop.data(PLACE, customer, order=cart(restaurant_id)))["placeOrder"]
                assert placed["__typename"] == "Order", placed
                order_id = placed["id"]

                await next_push(
                    tickets, "kitchen", lambda u: (u["ticket"] or {}).get("orderId") == order_id, 60
                )
                accepted = await kitchen.data(ACCEPT_ORDER, cook, id=order_id, prep=10)
                assert accepted["acceptOrder"]["status"] == "ACCEPTED", accepted
                await next_push(
                    orders, "myOrders", lambda u: (u["order"] or {}).get("status") == "ACCEPTED", 60
                )
                offer = await next_push(
                    offers, "offers", lambda u: u["orderId"] == order_id and u["offer"], 60
                )
                assert offer["offer"]["dropOff"]["line1"] == LINE1  # the driver sees it
                taken = await rider.data(ACCEPT_DELIVERY, driver, id=order_id)
                assert taken["acceptDelivery"]["status"] == "ACCEPTED", taken
                await next_push(
                    orders, "myOrders", lambda u: bool((u["order"] or {}).get("driver")), 60
                )
            finally:
                for ws in (orders, tickets, offers):
                    await ws.close()

            tokens += await try_bad_tokens(shop, settings)
            await try_broken_input(shop, customer, restaurant_id)

    logged = "\n".join(captured.texts())
    assert "GraphQL request refused" in logged  # the broken input was logged, and seen here
    assert "websocket refused" in logged
    signatures = [t.split(".")[2] for t in tokens if t.count(".") == 2]
    for secret in [*tokens, *signatures, *SECRETS_OF_THE_CUSTOMER]:
        assert secret not in logged, f"{secret!r} was logged"


async def try_bad_tokens(shop: ServedBff, settings: Settings) -> list[str]:
    """Requests and websockets with tokens that must be refused; returns the tokens."""
    me = shop.actor_id
    bad = {
        "expired": refusals.expired(settings, "customer", me),
        "forged": refusals.forged(settings, "customer", me),
        "another role's": token_for(settings, "driver", me),
        "not a JWT": "not-a-jwt-but-a-secret-opaque-value-0123456789",
    }
    query = "{ myOrders { id } }"
    for what, token in bad.items():
        answer = await shop.gql(query, token)
        assert answer.status_code in (401, 403), (what, answer.text)
        code = await close_code(shop.host, {"authorization": f"Bearer {token}"})
        assert code == 4403, (what, code)
    # a client that puts its token in the URL (the apps never do): uvicorn logs the path
    token = shop.token
    async with httpx.AsyncClient(base_url=f"http://{shop.host}") as client:
        answer = await client.get("/graphql", params={"query": "{ __typename }", "token": token})
        assert answer.status_code == 200, answer.text
    url = f"ws://{shop.host}/graphql?token={token}"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert (await receive(ws))["type"] == "connection_ack"
    return [*bad.values(), token]


async def try_broken_input(shop: ServedBff, token: str, restaurant_id: str) -> None:
    """Orders the schema refuses, quoting the address and the note back to the client."""
    no_lat = cart(restaurant_id)
    del no_lat["deliveryAddress"]["lat"]
    wrong_lat = cart(restaurant_id, lat=LINE1)
    for order in (no_lat, wrong_lat, LINE1, NOTE):
        answer = (await shop.gql(PLACE, token, order=order)).json()
        assert answer["data"] is None and answer["errors"], answer
    literal = '{restaurantId: "r", items: [], deliveryAddress: ' + json.dumps(LINE1) + "}"
    inline = f"mutation {{ placeOrder(order: {literal}) {{ __typename }} }}"
    answer = (await shop.gql(inline, token)).json()
    assert answer["errors"] and LINE1 in answer["errors"][0]["message"]  # the client sees it
    # a mutation sent as GET, with the address in the URL: refused, and not logged
    async with httpx.AsyncClient(base_url=f"http://{shop.host}") as client:
        got = await client.get(
            "/graphql",
            params={"query": PLACE, "variables": json.dumps({"order": cart(restaurant_id)})},
            headers={"authorization": f"Bearer {token}"},
        )
    assert got.status_code in (400, 405), got.text
