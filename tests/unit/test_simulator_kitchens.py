"""The simulated customers' and kitchens' decisions, on fakes of the BFFs."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import pytest

from simulator import kitchens as kitchens_module
from simulator.client import Outcome, Reconnected
from simulator.config import Pace, SimConfig
from simulator.customers import Customers, Venue, fill_cart, venues_from
from simulator.kitchens import Accept, Kitchen, Reject, decide
from simulator.ledger import Ledger, OrderTrack
from simulator.places import Point, distance_km
from simulator.tally import Tally

FAST = Pace(speed=1e6)  # every delay in microseconds
HERE = Point(52.5019, 13.4186)


def order(order_id: str, ledger: Ledger, restaurant_id: str = "r-trattoria") -> OrderTrack:
    return ledger.add(
        OrderTrack(
            id=order_id,
            restaurant_id=restaurant_id,
            customer_id="c-sim-0001",
            placed_at=ledger.clock(),
            drop_off=HERE,
        )
    )


# -- customers -------------------------------------------------------------------------


def restaurant(rid: str, *, open_: bool = True, available: tuple[bool, ...] = (True,)) -> Any:
    return {
        "id": rid,
        "name": rid.title(),
        "isOpen": open_,
        "address": {"location": {"lat": HERE.lat, "lng": HERE.lng}},
        "menu": [
            {"items": [{"id": f"{rid}-{n}", "available": a} for n, a in enumerate(available)]}
        ],
    }


def test_customers_order_only_where_a_kitchen_is_simulated_and_open() -> None:
    venues = venues_from(
        [
            restaurant("r-trattoria", available=(True, False, True)),
            restaurant("r-sakura", open_=False),
            restaurant("r-curry", available=(False,)),
            restaurant("r-elsewhere"),
        ],
        ("r-trattoria", "r-sakura", "r-curry"),
    )
    assert [v.id for v in venues] == ["r-trattoria"]
    assert venues[0].items == ("r-trattoria-0", "r-trattoria-2")
    assert venues[0].location == HERE


def test_carts_hold_one_to_three_available_items_near_the_restaurant() -> None:
    venue = Venue("r-1", "One", HERE, tuple(f"i-{n}" for n in range(5)))
    rng = random.Random(2)
    sizes = Counter()
    for _ in range(300):
        cart = fill_cart([venue], rng, 3.0)
        items = [item for item, _ in cart.lines]
        assert len(set(items)) == len(items) and set(items) <= set(venue.items)
        assert all(1 <= n <= 3 for _, n in cart.lines)
        assert distance_km(HERE, cart.drop_off.point) <= 3.0 + 1e-9
        sizes[len(items)] += 1
    assert set(sizes) == {1, 2, 3}
    placed = cart.as_input("sim-key-1")
    assert placed["restaurantId"] == "r-1" and placed["requestKey"] == "sim-key-1"
    assert placed["deliveryAddress"]["city"] == "Berlin"
    with pytest.raises(ValueError):
        fill_cart([], rng, 3.0)


class FakeSubscription:
    def __init__(self, *pushes: Any) -> None:
        self.pushes = list(pushes)

    async def next(self, within: float | None = None) -> Any:
        await asyncio.sleep(0)
        return self.pushes.pop(0) if self.pushes else None


class FakeCustomerApi:
    def __init__(self, status: str | None) -> None:
        self.status = status
        self.reads = 0

    async def query(self, document: str, **variables: Any) -> dict[str, Any]:
        self.reads += 1
        found = {"id": variables["id"], "status": self.status} if self.status else None
        return {"order": found}


def customers(ledger: Ledger, tally: Tally, **config: Any) -> Customers:
    settings = SimConfig(poll_every=0.001, **config)
    return Customers(settings, FAST, None, lambda cid: "tok", ledger, tally, random.Random(1))  # type: ignore[arg-type]


async def test_a_customer_follows_the_order_to_its_end_on_pushes() -> None:
    ledger, tally = Ledger(), Tally()
    track = order("o-1", ledger)
    subscription = FakeSubscription(
        Reconnected(first=True),
        {"kind": "ORDER", "order": {"id": "o-2", "status": "DELIVERED"}},  # another order
        {"kind": "ORDER", "order": {"id": "o-1", "status": "ACCEPTED"}},
        {"kind": "POSITION", "order": {"id": "o-1", "status": "PICKED_UP"}},
        {"kind": "ORDER", "order": {"id": "o-1", "status": "DELIVERED"}},
    )
    api = FakeCustomerApi(None)
    await customers(ledger, tally)._follow(api, subscription, track)  # type: ignore[arg-type]
    assert track.final == "DELIVERED" and not track.final_by_poll
    assert api.reads == 0


async def test_a_customer_reads_the_order_when_no_push_comes() -> None:
    ledger, tally = Ledger(), Tally()
    track = order("o-1", ledger)
    api = FakeCustomerApi("CANCELLED")
    await customers(ledger, tally)._follow(api, FakeSubscription(), track)  # type: ignore[arg-type]
    assert track.final == "CANCELLED" and track.final_by_poll and api.reads == 1


def test_cancel_outcomes() -> None:
    ledger, tally = Ledger(), Tally()
    shop = customers(ledger, tally)
    taken, refused, odd = order("o-1", ledger), order("o-2", ledger), order("o-3", ledger)
    shop.cancel_outcome(taken, Outcome("Order", {"id": "o-1", "status": "CANCELLED"}))
    shop.cancel_outcome(refused, Outcome("Conflict", {"code": "CONFLICT", "message": "late"}))
    shop.cancel_outcome(odd, Outcome("NotFound", {"code": "NOT_FOUND", "message": "?"}))
    assert (taken.cancel, refused.cancel, odd.cancel) == ("cancelled", "refused", None)
    assert tally.counts["cancelled"] == 1 and tally.counts["cancel_refused"] == 1
    assert tally.failures == Counter({"cancel": 1})


# -- kitchens --------------------------------------------------------------------------


def test_kitchens_reject_their_share_and_accept_with_a_prep_time() -> None:
    rng = random.Random(4)
    calls = [decide(rng, 0.1) for _ in range(4000)]
    rejected = [c for c in calls if isinstance(c, Reject)]
    assert 0.08 < len(rejected) / len(calls) < 0.12
    assert all(c.reason for c in rejected)
    assert {c.prep_minutes for c in calls if isinstance(c, Accept)} == set(range(5, 21))
    assert all(isinstance(decide(rng, 0.0), Accept) for _ in range(100))
    assert all(isinstance(decide(rng, 1.0), Reject) for _ in range(100))


class FakeKitchenApi:
    """The restaurant BFF: records mutations, answers from ``answers`` (else success)."""

    def __init__(self, ticket_status: str = "ACCEPTED", **answers: Outcome) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers = answers
        self.ticket_status = ticket_status

    async def mutate(self, field: str, document: str, **variables: Any) -> Outcome:
        self.calls.append((field, variables))
        if field in self.answers:
            return self.answers[field]
        return Outcome("KitchenDecision", {"orderId": variables["id"], "status": "X"})

    async def query(self, document: str, **variables: Any) -> dict[str, Any]:
        if "board" in document:
            return {"board": {"new": [], "preparing": [], "ready": []}}
        return {"ticket": {"orderId": variables["id"], "status": self.ticket_status}}


def kitchen(api: FakeKitchenApi, ledger: Ledger, tally: Tally, reject_share: float) -> Kitchen:
    config = SimConfig(reject_share=reject_share)
    return Kitchen("r-trattoria", api, None, config, FAST, ledger, tally, random.Random(3))  # type: ignore[arg-type]


async def settle(k: Kitchen) -> None:
    while k._tasks:
        await asyncio.gather(*list(k._tasks))


async def test_a_kitchen_accepts_then_marks_ready() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeKitchenApi()
    k = kitchen(api, ledger, tally, reject_share=0.0)
    order("o-1", ledger)
    assert k.consider({"orderId": "o-1", "status": "PLACED"})
    assert not k.consider({"orderId": "o-1", "status": "PLACED"})  # a second push
    await settle(k)
    assert [field for field, _ in api.calls] == ["acceptOrder", "markOrderReady"]
    assert 5 <= api.calls[0][1]["prep"] <= 20
    assert tally.counts["accepted"] == 1 and tally.counts["ready"] == 1
    assert set(ledger.orders["o-1"].steps) == {"accepted", "ready"}


async def test_a_kitchen_rejects_with_a_reason() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeKitchenApi()
    k = kitchen(api, ledger, tally, reject_share=1.0)
    order("o-1", ledger)
    k.consider({"orderId": "o-1", "status": "PLACED"})
    await settle(k)
    assert [field for field, _ in api.calls] == ["rejectOrder"]
    assert api.calls[0][1]["reason"]
    assert tally.counts["rejected"] == 1 and "rejected" in ledger.orders["o-1"].steps


async def test_a_ticket_pushed_before_place_order_answered_waits_for_it() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeKitchenApi()
    k = kitchen(api, ledger, tally, reject_share=0.0)
    k.consider({"orderId": "o-1", "status": "PLACED"})
    await asyncio.sleep(0)
    assert api.calls == []
    order("o-1", ledger)
    await settle(k)
    assert [field for field, _ in api.calls] == ["acceptOrder", "markOrderReady"]


async def test_other_peoples_orders_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kitchens_module, "KNOWN_WAIT", 0.002)
    ledger, tally, api = Ledger(), Tally(), FakeKitchenApi()
    k = kitchen(api, ledger, tally, reject_share=0.0)
    k.consider({"orderId": "o-someone", "status": "PLACED"})
    await settle(k)
    assert api.calls == [] and tally.failed == 0


async def test_a_customer_who_cancelled_first_is_no_failure() -> None:
    late = Outcome("Conflict", {"code": "CONFLICT", "message": "cancelled by the customer"})
    ledger, tally = Ledger(), Tally()
    api = FakeKitchenApi(ticket_status="CANCELLED", acceptOrder=late)
    k = kitchen(api, ledger, tally, reject_share=0.0)
    order("o-1", ledger)
    k.consider({"orderId": "o-1", "status": "PLACED"})
    await settle(k)
    assert tally.counts["kitchen_too_late"] == 1 and tally.failed == 0


async def test_any_other_refusal_is_a_failure() -> None:
    odd = Outcome("Conflict", {"code": "CONFLICT", "message": "was already accepted"})
    ledger, tally = Ledger(), Tally()
    api = FakeKitchenApi(ticket_status="ACCEPTED", markOrderReady=odd)
    k = kitchen(api, ledger, tally, reject_share=0.0)
    order("o-1", ledger)
    k.consider({"orderId": "o-1", "status": "PLACED"})
    await settle(k)
    assert tally.failures == Counter({"kitchen": 1})
    assert "markOrderReady o-1" in tally.samples[0]


async def test_an_accepted_order_found_on_the_board_gets_cooked() -> None:
    ledger, tally, api = Ledger(), Tally(), FakeKitchenApi()
    k = kitchen(api, ledger, tally, reject_share=0.0)
    order("o-1", ledger)
    assert k.consider({"orderId": "o-1", "status": "ACCEPTED"})
    assert not k.consider({"orderId": "o-unknown", "status": "ACCEPTED"})
    await settle(k)
    assert [field for field, _ in api.calls] == ["markOrderReady"]


async def test_ledger_waits_for_an_order_to_be_known() -> None:
    ledger = Ledger()
    waiting = asyncio.ensure_future(ledger.wait_known("o-1", 1.0))
    await asyncio.sleep(0)
    track = order("o-1", ledger)
    assert await waiting is track
    assert await ledger.wait_known("o-2", 0.001) is None
