"""Virtual customers: each arrival picks an open restaurant from the catalog, fills a cart,
places the order, sometimes cancels it, and follows it on ``myOrders`` until it ends."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from simulator.client import PROBLEM, GraphQL, Outcome, Reconnected, Subscription, Unexpected
from simulator.config import Pace, SimConfig
from simulator.ledger import FINAL, Ledger, OrderTrack
from simulator.places import Place, Point, drop_off_near
from simulator.tally import Tally

CATALOG = """query($after: String) {
  restaurants(first: 50, after: $after) {
    nextCursor
    items { id name isOpen address { location { lat lng } } menu { items { id available } } }
  }
}"""
PLACE = f"""mutation($order: PlaceOrderInput!) {{
  placeOrder(order: $order) {{ {PROBLEM} ... on Order {{ id status }} }}
}}"""
CANCEL = f"""mutation($id: ID!, $reason: String!) {{
  cancelOrder(id: $id, reason: $reason) {{ {PROBLEM} ... on Order {{ id status }} }}
}}"""
ORDER = "query($id: ID!) { order(id: $id) { id status } }"
MY_ORDERS = "subscription { myOrders { kind eventType order { id status } } }"
CANCEL_REASONS = (
    "Ordered from the wrong restaurant",
    "Changed my mind",
    "Plans changed, eating out instead",
)
#: how many portions of one item a cart line asks for (mostly one)
QUANTITIES = (1, 1, 1, 1, 2, 2, 3)

TokenFor = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Venue:
    """An open restaurant with a simulated kitchen, and its available menu items."""

    id: str
    name: str
    location: Point
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cart:
    restaurant_id: str
    lines: tuple[tuple[str, int], ...]
    drop_off: Place

    def as_input(self, request_key: str) -> dict[str, Any]:
        """As a ``PlaceOrderInput``."""
        return {
            "restaurantId": self.restaurant_id,
            "items": [{"menuItemId": item, "quantity": n} for item, n in self.lines],
            "deliveryAddress": self.drop_off.as_input(),
            "requestKey": request_key,
        }


def venues_from(restaurants: Sequence[dict[str, Any]], kitchens: Sequence[str]) -> list[Venue]:
    """The catalog's restaurants a customer can order from here: open, with a simulated
    kitchen, with at least one available item."""
    found = []
    for r in restaurants:
        if not r.get("isOpen") or r.get("id") not in kitchens:
            continue
        items = tuple(
            item["id"]
            for section in r.get("menu") or ()
            for item in section.get("items") or ()
            if item.get("available")
        )
        if items:
            location = Point.of(r["address"]["location"])
            found.append(Venue(r["id"], r.get("name") or r["id"], location, items))
    return found


def fill_cart(venues: Sequence[Venue], rng: random.Random, max_km: float) -> Cart:
    """A cart: one venue, 1-3 different available items, a drop-off within ``max_km``."""
    if not venues:
        raise ValueError("no venue to order from")
    venue = rng.choice(list(venues))
    count = rng.randint(1, min(3, len(venue.items)))
    items = rng.sample(list(venue.items), count)
    lines = tuple((item, rng.choice(QUANTITIES)) for item in items)
    return Cart(venue.id, lines, drop_off_near(venue.location, max_km, rng))


class Catalog:
    """The customer app's restaurant list, read at the start and now and then again."""

    def __init__(self, api: GraphQL, kitchens: Sequence[str]) -> None:
        self._api = api
        self._kitchens = tuple(kitchens)
        self.venues: list[Venue] = []

    async def refresh(self) -> list[Venue]:
        restaurants: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(20):  # at most 1000 restaurants
            page = (await self._api.query(CATALOG, after=after))["restaurants"]
            restaurants.extend(page["items"])
            after = page.get("nextCursor")
            if not after:
                break
        self.venues = venues_from(restaurants, self._kitchens)
        return self.venues


class Customers:
    """Starts one visit per arrival; ``visit`` is one customer's whole order."""

    def __init__(
        self,
        config: SimConfig,
        pace: Pace,
        http: httpx.AsyncClient,
        token_for: TokenFor,
        ledger: Ledger,
        tally: Tally,
        rng: random.Random,
    ) -> None:
        self._config = config
        self._pace = pace
        self._http = http
        self._token_for = token_for
        self._ledger = ledger
        self._tally = tally
        self._rng = rng
        catalog_token = token_for("c-sim-catalog")
        self.catalog = Catalog(
            GraphQL(http, config.customer_url, catalog_token, observe=tally.latency),
            config.kitchens,
        )

    def customer_id(self, index: int) -> str:
        return f"c-sim-{index % self._config.customers + 1:04d}"

    def api(self, customer_id: str) -> GraphQL:
        token = self._token_for(customer_id)
        return GraphQL(self._http, self._config.customer_url, token, observe=self._tally.latency)

    async def keep_catalog_fresh(self) -> None:
        while True:
            await asyncio.sleep(self._config.catalog_every)
            try:
                await self.catalog.refresh()
            except Unexpected as exc:
                self._tally.fail(exc.kind, f"catalog: {exc.detail}")

    async def visit(self, index: int) -> None:
        """Arrive, order, maybe cancel, and follow the order until it ends."""
        rng = random.Random(self._rng.random())
        customer_id = self.customer_id(index)
        venues = self.catalog.venues
        if not venues:
            self._tally.fail("no-restaurant", "no open restaurant with a simulated kitchen")
            return
        cart = fill_cart(venues, rng, self._config.dropoff_km)
        api = self.api(customer_id)
        token = self._token_for(customer_id)
        subscription = Subscription(
            self._config.customer_url, token, MY_ORDERS, "myOrders", on_problem=self._tally.fail
        )
        async with subscription:
            # the app is open before the order goes out, so no update is missed
            if not await subscription.wait_connected(10):
                self._tally.fail("websocket", f"{customer_id}: myOrders did not connect in 10 s")
            track = await self._place(api, customer_id, cart, index)
            if track is None:
                return
            cancelling = None
            if rng.random() < self._config.cancel_share:
                cancelling = asyncio.create_task(self._cancel(api, track, rng))
            try:
                await self._follow(api, subscription, track)
            finally:
                if cancelling is not None and not cancelling.done():
                    cancelling.cancel()

    async def _place(
        self, api: GraphQL, customer_id: str, cart: Cart, index: int
    ) -> OrderTrack | None:
        placed_at = self._ledger.clock()
        key = f"sim-{self._config.run_id}-{index}"
        try:
            outcome = await api.mutate(
                "placeOrder", PLACE, idempotent=True, order=cart.as_input(key)
            )
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"placeOrder: {exc.detail}")
            return None
        if outcome.problem:
            self._tally.fail("place", f"{cart.restaurant_id}: {outcome.describe()}")
            return None
        track = OrderTrack(
            id=str(outcome.fields["id"]),
            restaurant_id=cart.restaurant_id,
            customer_id=customer_id,
            placed_at=placed_at,
            drop_off=cart.drop_off.point,
        )
        self._ledger.add(track)
        self._tally.count("placed")
        return track

    async def _cancel(self, api: GraphQL, track: OrderTrack, rng: random.Random) -> None:
        await asyncio.sleep(self._pace.delay(self._pace.cancel_after, rng))
        self._tally.count("cancel_sent")
        try:
            outcome = await api.mutate(
                "cancelOrder", CANCEL, id=track.id, reason=rng.choice(CANCEL_REASONS)
            )
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"cancelOrder {track.id}: {exc.detail}")
            return
        self.cancel_outcome(track, outcome)

    def cancel_outcome(self, track: OrderTrack, outcome: Outcome) -> None:
        if not outcome.problem:
            track.cancel = "cancelled"
            self._tally.count("cancelled")
        elif outcome.is_conflict():  # the kitchen accepted (or rejected) first: expected
            track.cancel = "refused"
            self._tally.count("cancel_refused")
        else:
            self._tally.fail("cancel", f"{track.id}: {outcome.describe()}")

    async def _follow(self, api: GraphQL, subscription: Subscription, track: OrderTrack) -> None:
        """Read pushes until the order is final; re-read the order after a reconnect, a
        RESYNC, or ``poll_every`` seconds without a push about it."""
        quiet_since = self._ledger.clock()
        while track.final is None:
            push = await subscription.next(within=self._config.poll_every)
            if isinstance(push, dict) and push.get("kind") != "RESYNC":
                order = push.get("order") or {}
                if order.get("id") != track.id:
                    if self._ledger.clock() - quiet_since < self._config.poll_every:
                        continue
                else:
                    quiet_since = self._ledger.clock()
                    self._ledger.finish(track.id, str(order.get("status")))
                    continue
            elif isinstance(push, Reconnected) and push.first:
                continue
            await self.check(api, track)
            quiet_since = self._ledger.clock()

    async def check(self, api: GraphQL, track: OrderTrack) -> None:
        """Read the order (a fallback to the pushes); a final status counts as by poll."""
        try:
            order = (await api.query(ORDER, id=track.id))["order"]
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"order {track.id}: {exc.detail}")
            return
        if order is not None and order.get("status") in FINAL:
            self._ledger.finish(track.id, str(order["status"]), by_poll=True)
