"""Abuse: per-actor rate limits on mutations, each BFF served on the real stack with a low
limit (``LIMIT`` mutations per ``WINDOW`` seconds). For each: the actor's mutations up to
the limit pass, the next one in the window is refused with RATE_LIMITED and its
retryAfterSeconds (HTTP 429 with Retry-After) and writes and publishes nothing, another
actor of the same role still passes, the actor's queries still pass, and once the window
is over the actor passes again.

The window is a few seconds: long enough for the limit's mutations and a snapshot of the
store and the hub to fit in it on a loaded machine, short enough to wait out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from itertools import count
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.settings import Settings
from adapters.store import Document
from bff.customer.names import OUTBOX_COLLECTIONS as CUSTOMER_COLLECTIONS
from bff.driver.names import OUTBOX_COLLECTIONS as DRIVER_COLLECTIONS
from bff.restaurant.names import OUTBOX_COLLECTIONS as RESTAURANT_COLLECTIONS
from bff.restaurant.spec import SPEC as RESTAURANT
from tests.faults.scale import scaled
from tests.integration.driving import GO_ONLINE, HERE, open_driving
from tests.integration.kitchen_console import register
from tests.integration.shop import MARGHERITA, PLACE, open_shop
from tests.support import refusals, upstream
from tests.support.served import PROBLEM, ServedBff, serving
from tests.support.serving import receive, subscribe

LIMIT = 2
WINDOW = scaled(5.0, 8.0)

UPDATE_PROFILE = f"""mutation($prep: Int!) {{
  updateProfile(changes: {{ defaultPrepMinutes: $prep }}) {{ {PROBLEM} }}
}}"""

#: one mutation of the actor whose token it gets: the HTTP answer
Mutate = Callable[[str], Awaitable[httpx.Response]]


def limited(settings: Settings) -> Settings:
    return settings.model_copy(update={"rate_limit": LIMIT, "rate_limit_window_seconds": WINDOW})


def passed(answer: httpx.Response, success: str) -> None:
    """Asserts the mutation ran and succeeded (its result's typename is ``success``)."""
    body = answer.json()
    assert answer.status_code == 200 and "errors" not in body, body
    (result,) = body["data"].values()
    assert result["__typename"] == success, result


def retry_after(error: dict[str, Any]) -> int:
    """A rate limit's error: its retryAfterSeconds, asserting the rest of its shape."""
    assert error["extensions"]["code"] == "RATE_LIMITED", error
    seconds = error["extensions"]["retryAfterSeconds"]
    assert isinstance(seconds, int) and 1 <= seconds <= WINDOW, error
    assert error["message"] == (
        f"Too many changes in a short time: slow down and try again in {seconds} s."
    )
    return seconds


def rate_limited(answer: httpx.Response) -> int:
    """Asserts an HTTP answer is a rate limit's refusal; its retryAfterSeconds."""
    body = answer.json()
    assert answer.status_code == 429, (answer.status_code, body)
    assert body["data"] is None and len(body["errors"]) == 1, body
    seconds = retry_after(body["errors"][0])
    assert answer.headers["retry-after"] == str(seconds)
    return seconds


async def limits_hold(
    bff: ServedBff,
    collections: Sequence[str],
    mutate: Mutate,
    success: str,
    *,
    other: str,
    query: str,
    refused_too: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """The limit's mutations pass; the next is refused (and ``refused_too`` runs, more
    attempts that must be refused) and nothing is written or published; another actor of
    the role (``other``) and the actor's queries pass; after the window the actor passes
    again."""
    for _ in range(LIMIT):
        passed(await mutate(bff.token), success)
    before = await refusals.snapshot(bff, collections)
    seconds = rate_limited(await mutate(bff.token))
    if refused_too is not None:
        await refused_too()
    assert await refusals.snapshot(bff, collections) == before

    passed(await mutate(bff.token_of(other)), success)
    await bff.data(query)  # queries are not limited
    await asyncio.sleep(seconds)  # the window is over
    passed(await mutate(bff.token), success)


async def test_a_customer_over_the_limit_places_no_order(
    settings: Settings, topic: str, db: AsyncDatabase[Document]
) -> None:
    async with open_shop(limited(settings), topic, db, upstream.unique("c"), "Zoe") as shop:

        async def place(token: str) -> httpx.Response:
            return await shop.gql(PLACE, token, order=shop.cart((MARGHERITA, 1)))

        await limits_hold(
            shop,
            CUSTOMER_COLLECTIONS,
            place,
            "Order",
            other=upstream.unique("c"),
            query="{ myOrders { items { id } } }",
        )
        orders = [o async for o in shop.db["orders"].find({"customerId": shop.actor_id})]
        assert len(orders) == LIMIT + 1  # the limit's, and the one after the window


async def test_a_kitchen_over_the_limit_changes_nothing(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> None:
    mine, other = upstream.unique("r"), upstream.unique("r")
    await register(db, redis, mine)
    await register(db, redis, other)
    minutes = count(11)

    async with serving(RESTAURANT, limited(settings), topic, db, actor_id=mine) as kitchen:

        async def update(token: str) -> httpx.Response:
            return await kitchen.gql(UPDATE_PROFILE, token, prep=next(minutes))

        await limits_hold(
            kitchen,
            RESTAURANT_COLLECTIONS,
            update,
            "Restaurant",
            other=other,
            query="{ restaurant { defaultPrepMinutes } }",
        )


async def test_a_driver_over_the_limit_is_refused_over_http_and_the_websocket(
    settings: Settings, topic: str, db: AsyncDatabase[Document]
) -> None:
    def places() -> Iterator[dict[str, float]]:
        for step in count(1):
            yield {**HERE, "lng": HERE["lng"] + step / 10_000}

    where = places()

    async with open_driving(limited(settings), topic, db, upstream.unique("d"), "Dora") as bff:

        async def go_online(token: str) -> httpx.Response:
            return await bff.gql(GO_ONLINE, token, location=next(where), vehicle="BICYCLE")

        async def over_the_websocket() -> None:
            variables = {"location": next(where), "vehicle": "BICYCLE"}
            ws = await subscribe(bff.host, bff.token, GO_ONLINE, variables)
            try:
                message = await receive(ws)
            finally:
                await ws.close()
            assert message["type"] == "next" and message["payload"]["data"] is None, message
            (error,) = message["payload"]["errors"]
            retry_after(error)

        await limits_hold(
            bff,
            DRIVER_COLLECTIONS,
            go_online,
            "Me",
            other=upstream.unique("d"),
            query="{ me { status } }",
            refused_too=over_the_websocket,
        )
