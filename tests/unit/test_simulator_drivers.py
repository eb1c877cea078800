"""The simulated drivers: which offer they take, and how they react to pushes and
refusals, on a fake driver BFF."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

from simulator.client import Outcome
from simulator.config import Pace, SimConfig
from simulator.drivers import Driver, Job, OfferBoard, OpenOffer, driver_ids
from simulator.ledger import Ledger, OrderTrack
from simulator.places import Point, moved
from simulator.tally import Tally

FAST = Pace(speed=1e6)
PICKUP = Point(52.5019, 13.4186)
DROP_OFF = moved(PICKUP, 2.0, 60.0)
GEO = {"location": {"lat": PICKUP.lat, "lng": PICKUP.lng}}
DROP_GEO = {"location": {"lat": DROP_OFF.lat, "lng": DROP_OFF.lng}}


def offer_data(order_id: str, *, ready: bool = False, km: float | None = 1.0) -> dict[str, Any]:
    return {
        "id": order_id,
        "ready": ready,
        "distanceKm": km,
        "pickupAddress": GEO,
        "dropOff": DROP_GEO,
        "status": "OPEN",
    }


def delivery(order_id: str, status: str = "ACCEPTED", *, can_pick_up: bool = False) -> Any:
    return {
        "__typename": "Delivery",
        "id": order_id,
        "status": status,
        "restaurantId": "r-trattoria",
        "canPickUp": can_pick_up,
        "canDeliver": status == "PICKED_UP",
        "pickupAddress": GEO,
        "dropOff": DROP_GEO,
    }


def test_the_board_offers_wanted_ready_and_near_ones_first() -> None:
    board = OfferBoard()
    far_ready = OpenOffer.of(offer_data("far-ready", ready=True, km=4.0))
    near = OpenOffer.of(offer_data("near", km=0.5))
    unknown = OpenOffer.of(offer_data("unknown", km=None))
    foreign = OpenOffer.of(offer_data("foreign", ready=True, km=0.1))
    for offer in (far_ready, near, unknown, foreign):
        board.open(offer)
    rng = random.Random(1)

    def wanted(order_id: str) -> bool:
        return order_id != "foreign"

    assert board.pick(rng, wanted, top=1) == far_ready
    assert board.pick(rng, wanted, later=lambda i: i == "far-ready", top=1) == near
    picks = Counter(board.pick(rng, wanted, top=2).order_id for _ in range(200))  # type: ignore[union-attr]
    assert set(picks) == {"far-ready", "near"}
    board.close("far-ready")
    board.close("near")
    assert board.pick(rng, wanted) == unknown
    assert "foreign" in board and len(board) == 2
    assert board.replace([near]) == ["near"] and len(board) == 1
    board.clear()
    assert board.pick(rng, wanted) is None


def test_jobs_and_ids() -> None:
    job = Job.of(delivery("o-1", can_pick_up=True))
    assert job.can_pick_up and not job.can_deliver and job.drop_off == DROP_OFF
    assert driver_ids(3) == ["d-sim-01", "d-sim-02", "d-sim-03"]
    assert driver_ids(120)[-1] == "d-sim-120"


class FakeDriverApi:
    """The driver BFF: answers by verb, records every call."""

    def __init__(self, **answers: Any) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.answers = answers
        self.active: Any = None
        self.accepted = asyncio.Event()

    async def me(self) -> dict[str, Any]:
        self.calls.append(("me", None))
        return {"id": "d-sim-01", "status": "BUSY", "activeDelivery": self.active}

    async def offers(self) -> list[dict[str, Any]]:
        self.calls.append(("offers", None))
        return list(self.answers.get("offers", []))

    async def offer(self, order_id: str) -> dict[str, Any] | None:
        self.calls.append(("offer", order_id))
        found: dict[str, Any] | None = self.answers.get("offer")
        return found

    async def go_online(self, location: Point, vehicle: str) -> Outcome:
        self.calls.append(("goOnline", vehicle))
        return Outcome("Me", {"id": "d-sim-01", "status": "AVAILABLE"})

    async def go_offline(self) -> Outcome:
        self.calls.append(("goOffline", None))
        return Outcome("Me", {"id": "d-sim-01", "status": "OFFLINE"})

    async def report(self, location: Point) -> Outcome:
        self.calls.append(("reportLocation", location))
        return Outcome("Me", {"id": "d-sim-01", "status": "BUSY"})

    async def step(self, verb: str, order_id: str) -> Outcome:
        self.calls.append((verb, order_id))
        if verb == "acceptDelivery":
            self.accepted.set()
        answer = self.answers.get(verb)
        if isinstance(answer, Outcome):
            return answer
        status = {"acceptDelivery": "ACCEPTED", "markPickedUp": "PICKED_UP"}.get(verb, "DELIVERED")
        ready = bool(self.answers.get("ready_at_once"))
        return Outcome.of(delivery(order_id, status, can_pick_up=ready))

    def verbs(self) -> list[str]:
        return [verb for verb, _ in self.calls if verb not in ("me", "offers", "offer")]


def driver(api: FakeDriverApi, ledger: Ledger, tally: Tally) -> Driver:
    config = SimConfig(poll_every=0.002)
    d = Driver(
        "d-sim-01",
        api,
        None,  # type: ignore[arg-type]
        config,
        FAST,
        ledger,
        tally,
        random.Random(5),
        home=PICKUP,
        vehicle="BICYCLE",
    )
    d.online.set()
    return d


def placed(order_id: str, ledger: Ledger) -> OrderTrack:
    track = ledger.add(
        OrderTrack(order_id, "r-trattoria", "c-sim-0001", ledger.clock(), drop_off=DROP_OFF)
    )
    ledger.step(order_id, "accepted")
    return track


async def test_a_pushed_offer_is_taken_and_delivered_once_ready() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeDriverApi()
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1")})
    work = asyncio.ensure_future(d.deliver_next())
    await api.accepted.wait()
    assert (
        d.job is not None and not d.idle.is_set() and len(d.board) == 0
    )  # busy: the board is stale
    # the kitchen marks it ready: pushed on shift
    d.on_shift_update({"kind": "DELIVERY", "delivery": delivery("o-1", can_pick_up=True)})
    await work
    verbs = api.verbs()
    assert verbs[0] == "acceptDelivery" and verbs[-1] == "markDelivered"
    assert verbs[1] == "reportLocation"  # arrived at the restaurant
    assert verbs.index("markPickedUp") < verbs.index("markDelivered")
    rides = verbs[verbs.index("markPickedUp") + 1 : -1]
    assert rides in (["reportLocation"] * 2, ["reportLocation"] * 3)
    assert api.calls[-1] == ("offers", None)  # available again: read the open offers
    assert d.here == DROP_OFF and d.idle.is_set()
    assert {k: tally.counts[k] for k in ("assigned", "picked_up", "delivered")} == {
        "assigned": 1,
        "picked_up": 1,
        "delivered": 1,
    }
    assert set(ledger.orders["o-1"].steps) >= {"assigned", "picked_up", "delivered"}
    assert ledger.orders["o-1"].driver_id == "d-sim-01"


async def test_ready_is_seen_by_reading_me_when_no_push_comes() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeDriverApi()
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    api.active = delivery("o-1", can_pick_up=True)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1")})
    await d.deliver_next()
    assert tally.counts["ready_by_poll"] == 1 and tally.counts["delivered"] == 1


async def test_a_ready_offer_is_picked_up_without_waiting() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeDriverApi(ready_at_once=True)
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1", ready=True)})
    await d.deliver_next()
    assert ("me", None) not in api.calls and tally.counts["delivered"] == 1


async def test_a_lost_race_is_counted_not_failed() -> None:
    taken = Outcome("Conflict", {"code": "TAKEN", "message": "already taken by another driver"})
    ledger, tally, api = Ledger(), Tally(), FakeDriverApi(acceptDelivery=taken)
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1")})
    await d.deliver_next()
    assert tally.counts["taken"] == 1 and tally.failed == 0
    assert "o-1" not in d.board and d.job is None


async def test_a_stale_offer_is_gone_not_failed() -> None:
    late = Outcome("Conflict", {"code": "CONFLICT", "message": "order was already delivered"})
    ledger, tally = Ledger(), Tally()
    api = FakeDriverApi(acceptDelivery=late, offer={**offer_data("o-1"), "status": "DELIVERED"})
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1")})
    await d.deliver_next()
    assert tally.counts["offer_gone"] == 1 and tally.failed == 0


async def test_a_refusal_of_an_open_offer_is_a_failure() -> None:
    odd = Outcome("Conflict", {"code": "CONFLICT", "message": "go online first"})
    ledger, tally = Ledger(), Tally()
    api = FakeDriverApi(acceptDelivery=odd, offer=offer_data("o-1"))
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1")})
    await d.deliver_next()
    assert tally.failures == Counter({"driver": 1})


async def test_offers_of_others_and_closed_ones_are_not_taken() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeDriverApi(ready_at_once=True)
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-x", "offer": offer_data("o-x")})
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1")})
    d.on_offer_update({"kind": "CLOSED", "orderId": "o-1", "offer": None})
    # nothing wanted in sight: o-1 is looked up by id (the list shows only 50) and found
    api.answers["offer"] = offer_data("o-1")
    await d.deliver_next()
    assert api.verbs()[0] == "acceptDelivery" and api.calls[0] == ("offer", "o-1")
    assert tally.counts["offers_by_id"] == 1
    assert [c for c in api.calls if c[0] == "acceptDelivery"] == [("acceptDelivery", "o-1")]


async def test_a_leftover_of_an_earlier_run_is_delivered_uncounted() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeDriverApi(ready_at_once=True)
    d = driver(api, ledger, tally)
    ledger.adopt("o-old")
    assert not ledger.leftovers_cleared.is_set()
    d.on_offer_update({"kind": "OPEN", "orderId": "o-old", "offer": offer_data("o-old")})
    await d.deliver_next()
    assert tally.counts["leftovers_finished"] == 1 and tally.counts["delivered"] == 0
    assert ledger.leftovers_cleared.is_set()


async def test_winding_down_takes_no_new_offer() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeDriverApi()
    d = driver(api, ledger, tally)
    placed("o-1", ledger)
    d.on_offer_update({"kind": "OPEN", "orderId": "o-1", "offer": offer_data("o-1")})
    d.winding_down.set()
    work = asyncio.ensure_future(d.deliver_next())
    await asyncio.sleep(0.002)
    assert not work.done() and api.verbs() == []
    work.cancel()
    await asyncio.gather(work, return_exceptions=True)
    await d.stop()
    assert api.verbs() == ["goOffline"] and not d.online.is_set()
