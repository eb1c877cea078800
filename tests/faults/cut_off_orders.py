"""``placeOrder`` calls cut off by a kill: a burst of them, one every few milliseconds,
while the customer API is SIGKILLed, so that some are in flight when it dies. A call
refused (nothing listened) placed nothing; a call cut off (sent, no answer) may have
stored its order or not. The app's answer to both is to send the same request again,
with the same request key, once the API is back: ``retry`` does that, and tells what was
there before.

The burst's customers are named like the simulator's (``Sim Customer 9001``), so the
next simulator run's kitchens close the orders as leftovers of an earlier run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bff.customer.names import ORDERS
from bff.kit.auth import Authenticator
from bff.restaurant.demo import RESTAURANTS
from tests.system.whole import System

PLACE = """mutation($order: PlaceOrderInput!) {
  placeOrder(order: $order) { __typename ... on Problem { code message } ... on Order { id } }
}"""
KITCHEN = RESTAURANTS[0]
CUSTOMERS = tuple(f"c-sim-90{n:02d}" for n in range(1, 5))
#: a drop-off near the kitchen (Kreuzberg)
DROP_OFF = {"line1": "Wiener Straße 12", "city": "Berlin", "postcode": "10999"}
POINT = {"lat": 52.4975, "lng": 13.4313}


class NoOrder(Exception):
    """An answer without an order."""


@dataclass
class Burst:
    #: request key -> order id, of the calls answered with an order
    answered: dict[str, str] = field(default_factory=dict)
    #: request keys of calls nobody took (connection refused): nothing was placed
    refused: list[str] = field(default_factory=list)
    #: request keys of calls sent but not answered with an order (no answer, or an
    #: error status while the process went down): the order may exist
    cut_off: list[str] = field(default_factory=list)
    #: request key -> customer id, of every call
    customer: dict[str, str] = field(default_factory=dict)


@dataclass
class Retried:
    #: cut-off calls whose order was stored though no answer came
    stored_unanswered: int
    #: calls sent again with the same key, and answered with an order
    answered_again: int


def _order(key: str) -> dict[str, Any]:
    return {
        "restaurantId": KITCHEN.restaurant.id,
        "items": [{"menuItemId": KITCHEN.items[0].id, "quantity": 1}],
        "deliveryAddress": {**DROP_OFF, **POINT},
        "requestKey": key,
    }


class Orderer:
    """Simulated customers placing orders over plain HTTP (no retries of their own)."""

    def __init__(self, system: System) -> None:
        self.system = system
        issuer = Authenticator(system.settings, "customer")
        self.tokens = {c: issuer.issue(c, f"Sim Customer {c[-4:]}") for c in CUSTOMERS}
        self.url = f"{system.url('customer')}/graphql"

    async def place(self, http: httpx.AsyncClient, customer: str, key: str) -> str:
        """The order id placed; httpx errors when no answer came, NoOrder for an answer
        without one."""
        answer = await http.post(
            self.url,
            json={"query": PLACE, "variables": {"order": _order(key)}},
            headers={"authorization": f"Bearer {self.tokens[customer]}"},
        )
        try:
            placed = answer.json()["data"]["placeOrder"]
        except (ValueError, KeyError, TypeError):
            raise NoOrder(f"HTTP {answer.status_code}: {answer.text[:200]}") from None
        if placed.get("__typename") != "Order":
            raise NoOrder(str(placed))
        return str(placed["id"])

    async def burst(self, seconds: float, every: float = 0.02) -> Burst:
        """A call every ``every`` seconds for ``seconds``, without waiting for answers."""
        found = Burst()
        run = f"burst-{time.monotonic_ns()}"
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:

            async def one(n: int) -> None:
                key, customer = f"{run}-{n}", CUSTOMERS[n % len(CUSTOMERS)]
                found.customer[key] = customer
                try:
                    found.answered[key] = await self.place(http, customer, key)
                except httpx.ConnectError:
                    found.refused.append(key)
                except (httpx.TransportError, NoOrder):
                    found.cut_off.append(key)

            calls: list[asyncio.Task[None]] = []
            ends = time.monotonic() + seconds
            while time.monotonic() < ends:
                calls.append(asyncio.create_task(one(len(calls))))
                await asyncio.sleep(every)
            await asyncio.gather(*calls)
        return found

    async def retry(self, burst: Burst) -> Retried:
        """Send every unanswered call again with its request key (the API is back)."""
        orders = self.system.db("customer")[ORDERS]
        unanswered = burst.cut_off + burst.refused
        before = {
            doc["requestKey"]: str(doc["_id"])
            async for doc in orders.find({"requestKey": {"$in": unanswered}})
        }
        assert not set(before) & set(burst.refused), "a refused call placed an order"
        async with httpx.AsyncClient(timeout=30) as http:
            for key in unanswered:
                order_id = await self.place(http, burst.customer[key], key)
                assert before.get(key, order_id) == order_id, f"{key}: a second order"
                burst.answered[key] = order_id
        return Retried(len(before), len(unanswered))
