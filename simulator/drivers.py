"""Virtual drivers: each goes online near the restaurants, follows ``offers`` and
``shift``, takes an open offer of this run after a short look (losing some races:
``TAKEN``), rides to the restaurant, waits until the kitchen marks the food ready, picks it
up, reports a few locations on the way and delivers, then takes the next offer."""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from simulator.client import PROBLEM, GraphQL, Outcome, Reconnected, Subscription, Unexpected
from simulator.config import Pace, SimConfig
from simulator.ledger import Ledger
from simulator.places import Point, legs, point_near
from simulator.tally import Tally

VEHICLES = ("BICYCLE", "SCOOTER", "CAR")
LOCATION = "location { lat lng }"
OFFER = f"id ready distanceKm pickupAddress {{ {LOCATION} }} dropOff {{ {LOCATION} }}"
OFFERS = f"{{ offers(first: 50) {{ {OFFER} }} }}"
OFFER_UPDATES = f"subscription {{ offers {{ kind orderId offer {{ {OFFER} }} }} }}"
OFFER_BY_ID = f"query($id: ID!) {{ offer(id: $id) {{ {OFFER} status }} }}"
#: offers of this run looked up by id at a time when none is in sight
LOOK_UP = 5
DELIVERY = (
    "id status restaurantId canPickUp canDeliver "
    f"pickupAddress {{ {LOCATION} }} dropOff {{ {LOCATION} }}"
)
SHIFT_UPDATES = f"subscription {{ shift {{ kind eventType delivery {{ {DELIVERY} }} }} }}"
ME = f"{{ me {{ id status activeDelivery {{ {DELIVERY} }} }} }}"
ME_RESULT = f"{PROBLEM} ... on Me {{ id status }}"
GO_ONLINE = f"""mutation($location: GeoPointInput!, $vehicle: Vehicle) {{
  goOnline(location: $location, vehicle: $vehicle) {{ {ME_RESULT} }}
}}"""
GO_OFFLINE = f"mutation {{ goOffline {{ {ME_RESULT} }} }}"
REPORT = f"""mutation($location: GeoPointInput!) {{
  reportLocation(location: $location) {{ {ME_RESULT} }}
}}"""
STEPS = {
    verb: f"""mutation($id: ID!) {{
  {verb}(orderId: $id) {{ {PROBLEM} ... on Delivery {{ {DELIVERY} }} }}
}}"""
    for verb in ("acceptDelivery", "markPickedUp", "markDelivered")
}
#: how long a leftover of an earlier run may take to become ready
LEFTOVER_WAIT = 30.0


class DriverCalls(Protocol):
    """What a driver asks its BFF (``DriverApi``; a fake in the unit tests)."""

    async def me(self) -> dict[str, Any]: ...
    async def offers(self) -> list[dict[str, Any]]: ...
    async def offer(self, order_id: str) -> dict[str, Any] | None: ...
    async def go_online(self, location: Point, vehicle: str) -> Outcome: ...
    async def go_offline(self) -> Outcome: ...
    async def report(self, location: Point) -> Outcome: ...
    async def step(self, verb: str, order_id: str) -> Outcome: ...


class DriverApi:
    """``DriverCalls`` over GraphQL."""

    def __init__(self, api: GraphQL) -> None:
        self._api = api

    async def me(self) -> dict[str, Any]:
        me: dict[str, Any] = (await self._api.query(ME))["me"]
        return me

    async def offers(self) -> list[dict[str, Any]]:
        offers: list[dict[str, Any]] = (await self._api.query(OFFERS))["offers"]
        return offers

    async def offer(self, order_id: str) -> dict[str, Any] | None:
        offer: dict[str, Any] | None = (await self._api.query(OFFER_BY_ID, id=order_id))["offer"]
        return offer

    async def go_online(self, location: Point, vehicle: str) -> Outcome:
        return await self._api.mutate(
            "goOnline", GO_ONLINE, location=location.as_input(), vehicle=vehicle
        )

    async def go_offline(self) -> Outcome:
        return await self._api.mutate("goOffline", GO_OFFLINE)

    async def report(self, location: Point) -> Outcome:
        return await self._api.mutate("reportLocation", REPORT, location=location.as_input())

    async def step(self, verb: str, order_id: str) -> Outcome:
        return await self._api.mutate(verb, STEPS[verb], id=order_id)


@dataclass(frozen=True, slots=True)
class OpenOffer:
    order_id: str
    ready: bool
    distance_km: float | None
    pickup: Point
    drop_off: Point

    @classmethod
    def of(cls, offer: Mapping[str, Any]) -> OpenOffer:
        distance = offer.get("distanceKm")
        return cls(
            order_id=str(offer["id"]),
            ready=bool(offer.get("ready")),
            distance_km=float(distance) if distance is not None else None,
            pickup=Point.of(offer["pickupAddress"]["location"]),
            drop_off=Point.of(offer["dropOff"]["location"]),
        )


@dataclass(frozen=True, slots=True)
class Job:
    """A delivery the driver took, as the driver BFF shows it."""

    order_id: str
    status: str
    restaurant_id: str
    can_pick_up: bool
    can_deliver: bool
    pickup: Point
    drop_off: Point

    @classmethod
    def of(cls, delivery: Mapping[str, Any]) -> Job:
        return cls(
            order_id=str(delivery["id"]),
            status=str(delivery["status"]),
            restaurant_id=str(delivery["restaurantId"]),
            can_pick_up=bool(delivery.get("canPickUp")),
            can_deliver=bool(delivery.get("canDeliver")),
            pickup=Point.of(delivery["pickupAddress"]["location"]),
            drop_off=Point.of(delivery["dropOff"]["location"]),
        )


class OfferBoard:
    """The open offers a driver knows of, kept from pushes and re-reads."""

    def __init__(self) -> None:
        self._offers: dict[str, OpenOffer] = {}

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._offers

    def __len__(self) -> int:
        return len(self._offers)

    def open(self, offer: OpenOffer) -> None:
        self._offers[offer.order_id] = offer

    def close(self, order_id: str) -> None:
        self._offers.pop(order_id, None)

    def replace(self, offers: list[OpenOffer]) -> list[str]:
        """Know exactly ``offers`` from now on; returns the ids that were not known."""
        new = [offer.order_id for offer in offers if offer.order_id not in self._offers]
        self._offers = {offer.order_id: offer for offer in offers}
        return new

    def clear(self) -> None:
        self._offers.clear()

    def pick(
        self,
        rng: random.Random,
        wanted: Callable[[str], bool],
        *,
        later: Callable[[str], bool] = lambda _: False,
        top: int = 3,
    ) -> OpenOffer | None:
        """One of the ``top`` best wanted offers, at random so that drivers do not all go
        for the same one: not ``later`` first, then ready ones, then the nearest."""
        candidates = sorted(
            (offer for offer in self._offers.values() if wanted(offer.order_id)),
            key=lambda o: (
                later(o.order_id),
                not o.ready,
                math.inf if o.distance_km is None else o.distance_km,
            ),
        )
        return rng.choice(candidates[:top]) if candidates else None


class Stuck(Exception):
    """The driver cannot work this run (e.g. left with an order nobody will make ready)."""


ReadyNow = Callable[[str, str], Awaitable[bool]]


class Driver:
    def __init__(
        self,
        driver_id: str,
        api: DriverCalls,
        subscription: Callable[[str, str], Subscription],
        config: SimConfig,
        pace: Pace,
        ledger: Ledger,
        tally: Tally,
        rng: random.Random,
        *,
        home: Point,
        vehicle: str,
        ready_now: ReadyNow | None = None,
    ) -> None:
        self.id = driver_id
        self.api = api
        self._subscription = subscription
        self._config = config
        self._pace = pace
        self._ledger = ledger
        self._tally = tally
        self._rng = rng
        self.here = home
        self.vehicle = vehicle
        self._ready_now = ready_now
        self.board = OfferBoard()
        self._job: Job | None = None
        #: set while the driver is on no delivery
        self.idle = asyncio.Event()
        self.idle.set()
        #: set at the end: finish the delivery in hand, take no new one
        self.winding_down = asyncio.Event()
        self.online = asyncio.Event()
        self._board_changed = asyncio.Event()
        self._ready: dict[str, asyncio.Event] = {}

    @property
    def job(self) -> Job | None:
        """The delivery the driver is on (None: free)."""
        return self._job

    @job.setter
    def job(self, job: Job | None) -> None:
        self._job = job
        if job is None:
            self.idle.set()
        else:
            self.idle.clear()

    # -- the shift ---------------------------------------------------------------------

    async def run(self) -> None:
        """Work until cancelled (``stop`` goes offline afterwards)."""
        offers = self._subscription(OFFER_UPDATES, "offers")
        shift = self._subscription(SHIFT_UPDATES, "shift")
        async with offers, shift:
            pumps = [
                asyncio.create_task(self._pump(offers, self.on_offer_update, self.refetch_offers)),
                asyncio.create_task(self._pump(shift, self.on_shift_update, self.check_ready)),
            ]
            try:
                await offers.wait_connected(10)
                await shift.wait_connected(10)
                while not self.online.is_set():
                    try:
                        await self.start()
                    except Unexpected as exc:
                        self._tally.fail(exc.kind, f"driver {self.id} starting: {exc.detail}")
                        await asyncio.sleep(1.0)
                while True:
                    await self.work_once()
            except Stuck as exc:
                self._tally.fail("stuck-driver", f"{self.id}: {exc}")
            finally:
                for pump in pumps:
                    pump.cancel()

    async def start(self) -> None:
        """Finish what an earlier run left this driver with, then go online."""
        me = await self.api.me()
        if me.get("activeDelivery"):
            await self.finish_leftover(Job.of(me["activeDelivery"]))
        outcome = await self.api.go_online(self.here, self.vehicle)
        if outcome.problem:
            raise Stuck(f"goOnline: {outcome.describe()}")
        self.online.set()
        await self.refetch_offers()

    async def work_once(self) -> None:
        """Take and deliver one offer (or resume the job after a failure)."""
        try:
            if self.job is not None:
                await self.resume()
            else:
                await self.deliver_next()
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"driver {self.id}: {exc.detail}")
            await asyncio.sleep(min(1.0, self._config.poll_every))

    async def stop(self) -> None:
        """Go offline at the end (not possible while delivering: noted)."""
        if not self.online.is_set():
            return
        try:
            outcome = await self.api.go_offline()
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"goOffline {self.id}: {exc.detail}")
            return
        if outcome.is_conflict():
            self._tally.count("drivers_busy_at_end")
        elif outcome.problem:
            self._tally.fail("driver", f"goOffline {self.id}: {outcome.describe()}")
        else:
            self.online.clear()

    # -- pushes ------------------------------------------------------------------------

    def on_offer_update(self, update: Mapping[str, Any]) -> None:
        kind, order_id = update.get("kind"), update.get("orderId")
        if kind == "OPEN" and update.get("offer"):
            self.board.open(OpenOffer.of(update["offer"]))
            self._board_changed.set()
        elif kind == "CLOSED" and isinstance(order_id, str):
            self.board.close(order_id)

    def on_shift_update(self, update: Mapping[str, Any]) -> None:
        delivery = update.get("delivery")
        if delivery and delivery.get("canPickUp"):
            self._ready_event(str(delivery["id"])).set()

    async def _pump(
        self,
        subscription: Subscription,
        handle: Callable[[Mapping[str, Any]], None],
        resync: Callable[[], Awaitable[None]],
    ) -> None:
        while True:
            push = await subscription.next()
            try:
                if isinstance(push, Reconnected):
                    if not push.first:
                        await resync()
                elif push is not None and push.get("kind") == "RESYNC":
                    await resync()
                elif push is not None:
                    handle(push)
            except Unexpected as exc:
                self._tally.fail(exc.kind, f"driver {self.id}: {exc.detail}")

    async def refetch_offers(self, *, note: bool = False) -> None:
        """Read the open offers (empty unless available): after a reconnect, after a
        delivery (no offers are pushed while busy) and when idle for a while."""
        if not self.online.is_set() or self.job is not None:
            return
        offers = [OpenOffer.of(offer) for offer in await self.api.offers()]
        new = [i for i in self.board.replace(offers) if self._ledger.wants_driver(i)]
        if new:
            if note:
                self._tally.count("offers_by_refetch", len(new))
            self._board_changed.set()

    async def look_up(self) -> bool:
        """Look up a few orders of this run that wait for a driver by id; True if one
        was open. The ``offers`` list shows only the 50 nearest open offers: on a
        system full of other open offers, this run's may not be among them."""
        waiting = self._ledger.awaiting_driver() or sorted(self._ledger.leftovers)
        waiting = [i for i in waiting if i not in self.board]
        found = False
        for order_id in self._rng.sample(waiting, min(LOOK_UP, len(waiting))):
            offer = await self.api.offer(order_id)
            if offer is not None and offer.get("status") == "OPEN":
                self.board.open(OpenOffer.of(offer))
                found = True
        if found:
            self._tally.count("offers_by_id")
        return found

    async def check_ready(self) -> None:
        """Read the active delivery (after a reconnect of ``shift``)."""
        me = await self.api.me()
        active = me.get("activeDelivery")
        if active and active.get("canPickUp"):
            self._ready_event(str(active["id"])).set()

    # -- one delivery ------------------------------------------------------------------

    async def choose(self) -> OpenOffer:
        """Wait for an open offer of this run, look at it a moment, and still want it."""
        while True:
            if self.winding_down.is_set():
                await asyncio.Future()  # no new deliveries: wait to be cancelled
            offer = self.board.pick(
                self._rng, self._ledger.wants_driver, later=self._ledger.is_leftover
            )
            if offer is None:
                self._board_changed.clear()
                if await self.look_up():
                    continue
                try:
                    async with asyncio.timeout(self._config.poll_every):
                        await self._board_changed.wait()
                except TimeoutError:
                    await self.refetch_offers(note=True)
                continue
            await asyncio.sleep(self._pace.delay(self._pace.react, self._rng))
            if offer.order_id in self.board and not self.winding_down.is_set():
                return offer

    async def deliver_next(self) -> None:
        offer = await self.choose()
        outcome = await self.api.step("acceptDelivery", offer.order_id)
        if outcome.problem:
            self.board.close(offer.order_id)
            await self._not_taken(offer.order_id, outcome)
            return
        self.job = Job.of(outcome.fields)
        self.board.clear()  # busy: no offers are pushed until delivered
        leftover = self._ledger.is_leftover(offer.order_id)
        if not leftover:
            self._tally.count("assigned")
            self._ledger.step(offer.order_id, "assigned")
        track = self._ledger.get(offer.order_id)
        if track is not None:
            track.driver_id = self.id
        await self.trip(self.job, count=not leftover)
        if leftover:
            self._tally.count("leftovers_finished")
        self.job = None
        await self.refetch_offers()

    async def _not_taken(self, order_id: str, outcome: Outcome) -> None:
        if outcome.is_conflict("TAKEN"):  # another driver was faster: expected
            self._tally.count("taken")
            return
        if outcome.is_conflict():
            offer = await self.api.offer(order_id)
            if offer is None or offer.get("status") != "OPEN":
                # taken or withdrawn since the list was read, or a push came late
                self._tally.count("offer_gone")
                return
        self._tally.fail("driver", f"acceptDelivery {order_id} by {self.id}: {outcome.describe()}")

    async def resume(self) -> None:
        """Carry on with the active delivery as the BFF shows it (after a failure)."""
        active = (await self.api.me()).get("activeDelivery")
        self.job = Job.of(active) if active else None
        if self.job is not None:
            await self.trip(self.job, count=not self._ledger.is_leftover(self.job.order_id))
            self.job = None
        await self.refetch_offers()

    async def trip(self, job: Job, *, count: bool = True) -> None:
        """From accepted (or picked up) to delivered."""
        order_id = job.order_id
        if job.status == "ACCEPTED":
            if job.can_pick_up:
                self._ready_event(order_id).set()
            await asyncio.sleep(self._pace.delay(self._pace.to_pickup, self._rng))
            await self._report(job.pickup)
            await self.wait_ready(order_id)
            await self._pick_up(order_id, count)
        if job.status in ("ACCEPTED", "PICKED_UP"):
            for point in legs(self.here, job.drop_off, self._rng.randint(2, 3)):
                await asyncio.sleep(self._pace.delay(self._pace.leg, self._rng))
                await self._report(point)
            handed_over = self._ledger.clock()
            outcome = await self.api.step("markDelivered", order_id)
            if outcome.problem:
                raise Unexpected("driver", f"markDelivered {order_id}: {outcome.describe()}")
            if count:
                self._tally.count("delivered")
                self._ledger.step(order_id, "delivered", at=handed_over)
        self._ready.pop(order_id, None)
        self._ledger.leftover_done(order_id)

    async def wait_ready(self, order_id: str, patience: float | None = None) -> None:
        """Until ``canPickUp``: pushed on ``shift``, else seen when re-reading ``me``
        every ``poll_every`` seconds. Unexpected if the delivery is not ours any more."""
        ready = self._ready_event(order_id)
        loop = asyncio.get_running_loop()
        give_up = None if patience is None else loop.time() + patience
        while not ready.is_set():
            try:
                async with asyncio.timeout(self._config.poll_every):
                    await ready.wait()
                return
            except TimeoutError:
                pass
            active = (await self.api.me()).get("activeDelivery")
            if not active or active.get("id") != order_id:
                raise Unexpected("driver", f"{order_id} is no longer {self.id}'s delivery")
            if active.get("canPickUp"):
                self._tally.count("ready_by_poll")
                ready.set()
            elif give_up is not None and loop.time() > give_up:
                raise Stuck(f"{order_id} was not ready after {patience:.0f} s")

    async def _pick_up(self, order_id: str, count: bool) -> None:
        outcome = await self.api.step("markPickedUp", order_id)
        if outcome.problem:
            raise Unexpected("driver", f"markPickedUp {order_id}: {outcome.describe()}")
        if count:
            self._tally.count("picked_up")
            self._ledger.step(order_id, "picked_up")

    async def _report(self, point: Point) -> None:
        outcome = await self.api.report(point)
        if outcome.problem:
            raise Unexpected("driver", f"reportLocation by {self.id}: {outcome.describe()}")
        self.here = point

    def _ready_event(self, order_id: str) -> asyncio.Event:
        return self._ready.setdefault(order_id, asyncio.Event())

    async def finish_leftover(self, job: Job) -> None:
        """A delivery an earlier run left this driver with: have its kitchen (if it is
        one of ours) mark it ready, then deliver it, so the driver can work again."""
        if job.status == "ACCEPTED" and not job.can_pick_up:
            helped = self._ready_now is not None and await self._ready_now(
                job.restaurant_id, job.order_id
            )
            if not helped:
                raise Stuck(f"left with {job.order_id} of {job.restaurant_id}, not ready")
            await self.wait_ready(job.order_id, patience=LEFTOVER_WAIT)
        await self.trip(job, count=False)
        self._tally.count("leftovers_finished")


def driver_ids(count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"d-sim-{n:0{width}d}" for n in range(1, count + 1)]


def starting_point(kitchens: list[Point], rng: random.Random) -> Point:
    """Somewhere within 1.5 km of one of the restaurants."""
    return point_near(rng.choice(kitchens), 1.5, rng)
