"""The outage test's load: customers placing orders and kitchens accepting them, through
the BFFs' GraphQL as the apps call it, with every request's outcome in a ``Ledger``.

- Customers place an order every ``1 / rate`` seconds, round robin over the customers (the
  three demo customers and ``SHOPPERS`` more, each with a demo customer's home: a real
  customer does not order every other second) and the restaurants, each with its own
  request key. An order answered "try again" is sent
  again with the same key two seconds later (as the customer app does: it keeps the key
  until the order is placed), for as long as the load runs.
- Each kitchen polls its board every second and accepts the new tickets (10 minutes).
- No request waits longer than ``TIMEOUT`` seconds for its answer: one that does is an
  ``OTHER`` outcome, like an HTTP 500 or a masked error.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from ulid import ULID

from bff.customer.demo import CUSTOMERS, DemoCustomer
from bff.restaurant.demo import DemoRestaurant
from tests.faults.outage_ledger import ACKNOWLEDGED, OTHER, REFUSED, RETRYABLE, Ledger, Outcome
from tests.faults.outage_ledger import classify as classify_answer
from tests.faults.outage_live import Subscription
from tests.system.whole import System

#: a user's patience: a request not answered within this many seconds counts as a failure
TIMEOUT = 10.0
#: a customer tries a retryable order again after 2 s, then 4 s, then every 8 s (+ jitter)
RETRY_AFTER = 2.0
RETRY_MAX = 8.0
BOARD_EVERY = 10.0

#: customers besides the demo ones (any id may order: tokens name their actor)
SHOPPERS = 27

PLACE = """
mutation($order: PlaceOrderInput!) {
  placeOrder(order: $order) {
    __typename
    ... on Order { id status }
    ... on Problem { code message }
  }
}"""
ACCEPT = """
mutation($id: ID!) {
  acceptOrder(orderId: $id, prepMinutes: 10) {
    __typename
    ... on KitchenDecision { orderId status }
    ... on Problem { code message }
  }
}"""
BOARD = "{ board { new { orderId } } }"


@dataclass
class Answer:
    outcome: Outcome
    data: dict[str, Any] | None


@dataclass
class Api:
    """The apps' side of the GraphQL endpoints, every call into the ledger."""

    system: System
    ledger: Ledger
    http: httpx.AsyncClient = field(
        default_factory=lambda: httpx.AsyncClient(
            timeout=httpx.Timeout(TIMEOUT), limits=httpx.Limits(max_connections=None)
        )
    )

    async def call(
        self,
        bff: str,
        actor: str,
        operation: str,
        query: str,
        variables: dict[str, Any],
        *,
        success: str = "",
        subject: str = "",
    ) -> Answer:
        started = time.monotonic()
        status, body = 0, None
        try:
            async with asyncio.timeout(TIMEOUT):  # httpx's timeouts are per phase
                reply = await self.http.post(
                    f"{self.system.url(bff)}/graphql",
                    json={"query": query, "variables": variables},
                    headers={"authorization": f"Bearer {self.system.token(bff, actor)}"},
                )
            status = reply.status_code
            with contextlib.suppress(ValueError):
                body = reply.json()
            kind, detail = classify_answer(status, body, operation, success)
        except (TimeoutError, httpx.TimeoutException):
            kind, detail = OTHER, f"no answer within {TIMEOUT:.0f} s"
        except httpx.HTTPError as exc:
            kind, detail = OTHER, f"{type(exc).__name__}: {exc}"
        outcome = Outcome(operation, kind, started, time.monotonic(), detail, subject)
        self.ledger.add(outcome)
        data = (body or {}).get("data") if isinstance(body, dict) else None
        return Answer(outcome, data if isinstance(data, dict) else None)

    async def aclose(self) -> None:
        await self.http.aclose()


@dataclass
class Load:
    """Customers ordering and kitchens accepting until ``stop``; what was acknowledged."""

    api: Api
    restaurants: Sequence[DemoRestaurant]
    customers: Sequence[DemoCustomer] = field(default_factory=lambda: shoppers(SHOPPERS))
    rate: float = 2.0
    #: acknowledged orders: id -> (customer id, restaurant id)
    placed: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: acknowledged accepts (order ids)
    accepted: set[str] = field(default_factory=set)
    #: order ids a kitchen is done with (accepted, or refused as decided already)
    decided: set[str] = field(default_factory=set)
    #: each kitchen's console subscription (restaurant id -> its ``kitchen`` pushes)
    feeds: dict[str, Subscription] = field(default_factory=dict)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    async def run(self) -> None:
        """Order at ``rate`` and run the kitchens until ``stop``; then wait for the
        requests still under way (each answers or times out)."""
        kitchens = [asyncio.create_task(self._kitchen(r)) for r in self.restaurants]
        n = 0
        try:
            while not self.stop.is_set():
                customer = self.customers[n % len(self.customers)]
                restaurant = self.restaurants[n % len(self.restaurants)]
                self._spawn(self.order(customer, restaurant, while_loading=True))
                n += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), 1 / self.rate)
        finally:
            self.stop.set()
            await asyncio.gather(*kitchens, return_exceptions=True)
            while self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(self, job: Any) -> None:
        task = asyncio.create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def order(
        self, customer: DemoCustomer, restaurant: DemoRestaurant, *, while_loading: bool
    ) -> str | None:
        """Place one order (one item, to the customer's home). A retryable answer is sent
        again with the same request key: ``while_loading``, until the load stops; else
        until it is placed. The acknowledged order's id, or None."""
        key = str(ULID()).lower()
        variables = {
            "order": {
                "restaurantId": restaurant.restaurant.id,
                "items": [{"menuItemId": restaurant.items[0].id, "quantity": 1}],
                "deliveryAddress": _address(customer),
                "requestKey": key,
            }
        }
        wait = RETRY_AFTER
        while True:
            answer = await self.api.call(
                "customer", customer.id, "placeOrder", PLACE, variables, success="Order",
                subject=key,
            )  # fmt: skip
            if answer.outcome.kind == ACKNOWLEDGED and answer.data is not None:
                order_id = str(answer.data["placeOrder"]["id"])
                self.placed[order_id] = (customer.id, restaurant.restaurant.id)
                return order_id
            if answer.outcome.kind != RETRYABLE or (while_loading and self.stop.is_set()):
                return None
            await asyncio.sleep(wait * random.uniform(1.0, 1.5))
            wait = min(wait * 2, RETRY_MAX)

    async def accept(self, restaurant_id: str, order_id: str) -> str:
        """Accept one ticket; the outcome's kind."""
        answer = await self.api.call(
            "restaurant",
            restaurant_id,
            "acceptOrder",
            ACCEPT,
            {"id": order_id},
            success="KitchenDecision",
            subject=order_id,
        )
        if answer.outcome.kind == ACKNOWLEDGED:
            self.accepted.add(order_id)
        if answer.outcome.kind in (ACKNOWLEDGED, REFUSED):
            self.decided.add(order_id)
        return answer.outcome.kind

    async def _kitchen(self, restaurant: DemoRestaurant) -> None:
        """Accept the new tickets one after the other, as a person at the console does:
        learning of them from the console's subscription (``feeds``), and from the board,
        fetched at start, after a RESYNC and every ``BOARD_EVERY`` seconds. A ticket
        answered "try again" is tried again half a second later."""
        rid = restaurant.restaurant.id
        feed = self.feeds.get(rid)
        pending: dict[str, None] = {}  # insertion-ordered
        seen, fetched = 0, -BOARD_EVERY
        while not self.stop.is_set():
            pushes = [push for _, push in feed.pushes[seen:]] if feed is not None else []
            seen += len(pushes)
            for push in pushes:
                ticket = push.get("ticket") or {}
                if ticket.get("status") == "PLACED":
                    pending[str(ticket["orderId"])] = None
            resync = any(push.get("kind") == "RESYNC" for push in pushes)
            if resync or time.monotonic() - fetched >= BOARD_EVERY:
                fetched = time.monotonic()
                answer = await self.api.call("restaurant", rid, "board", BOARD, {})
                board = (answer.data or {}).get("board") if answer.data else None
                pending.update({str(t["orderId"]): None for t in (board or {}).get("new", [])})
            for order_id in list(pending):
                if self.stop.is_set():
                    break
                if order_id not in self.decided:
                    await self.accept(rid, order_id)
                if order_id in self.decided:
                    del pending[order_id]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), 0.5)


def shoppers(more: int) -> list[DemoCustomer]:
    """The demo customers, then ``more`` customers living where the demo ones do."""
    extra = [
        DemoCustomer(f"c-load-{n}", f"Load Customer {n}", CUSTOMERS[n % len(CUSTOMERS)].home)
        for n in range(more)
    ]
    return [*CUSTOMERS, *extra]


def _address(customer: DemoCustomer) -> dict[str, Any]:
    home = customer.home
    return {
        "line1": home.line1,
        "city": home.city,
        "postcode": home.postcode,
        "lat": home.location.lat,
        "lng": home.location.lng,
    }


def describe(
    ledger: Ledger, outcomes: Sequence[Outcome], limit: int = 8, *, grouped: bool = True
) -> str:
    """A few outcomes for an assertion message: which request, when it started, how long
    it took, what came back; ``grouped``: first how many of each kind there are."""
    shown = [
        json.dumps(
            {
                "op": o.operation,
                "started": ledger.where(o),
                "took": round(o.seconds, 1),
                "detail": o.detail,
            }
        )
        for o in outcomes[:limit]
    ]
    more = f" (and {len(outcomes) - limit} more)" if len(outcomes) > limit else ""
    groups = Counter(
        f"{ledger.where(o).split(' +')[0]} / {o.operation} / {o.detail[:60]}" for o in outcomes
    )
    counted = ", ".join(f"{n} x {group}" for group, n in groups.most_common(6))
    return (f"[{counted}] " if grouped else "") + "; ".join(shown) + more
