"""The simulator's counting: percentiles, the tally, the summary and its checks."""

from __future__ import annotations

import json

import pytest

from simulator.config import SimConfig
from simulator.ledger import Ledger, OrderTrack
from simulator.places import Point
from simulator.tally import Spread, Tally, contradiction, last_step, percentile, summarize


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_percentile_interpolates_between_ranks() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 100.0
    assert percentile([3.0], 95) == 3.0
    assert percentile([5.0, 1.0], 50) == pytest.approx(3.0)  # unsorted input
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_spread() -> None:
    spread = Spread.of([1.0, 2.0, 3.0, 10.0])
    assert spread.count == 4 and spread.max == 10.0
    assert spread.p50 == pytest.approx(2.5)
    assert "p50 2.5 s" in spread.render()
    assert Spread.of([]).render() == "none"


def test_progress_line_shows_every_counter() -> None:
    tally = Tally()
    for name, amount in (("placed", 7), ("accepted", 5), ("picked_up", 2), ("delivered", 1)):
        tally.count(name, amount)
    tally.fail("http", "HTTP 500")
    line = tally.progress_line(12.3, in_flight=4)
    for part in (
        "placed 7",
        "accepted 5",
        "rejected 0",
        "cancelled 0",
        "ready 0",
        "picked up 2",
        "delivered 1",
        "in flight 4",
        "failures 1",
    ):
        assert part in line
    assert line.startswith("[   12s]")


def test_failures_keep_counts_and_the_first_details() -> None:
    tally = Tally()
    for n in range(40):
        tally.fail("graphql", f"error {n}")
    assert tally.failed == 40 and tally.failures["graphql"] == 40
    assert len(tally.samples) == 30 and tally.samples[0] == "graphql: error 0"


def track(order_id: str, final: str | None, **steps: float) -> OrderTrack:
    return OrderTrack(
        id=order_id,
        restaurant_id="r-trattoria",
        customer_id="c-sim-0001",
        placed_at=0.0,
        drop_off=Point(52.5, 13.4),
        steps=dict(steps),
        final=final,
        final_at=steps.get("delivered", 0.0) + 0.5 if final == "DELIVERED" else None,
    )


def test_last_steps() -> None:
    assert last_step(track("a", None)) == "placed"
    assert last_step(track("b", None, accepted=1.0, ready=2.0)) == "ready"
    assert last_step(track("c", None, accepted=1.0, ready=2.0, delivered=5.0)) == "delivered"
    cancelled = track("d", None)
    cancelled.cancel = "cancelled"
    assert last_step(cancelled) == "cancel sent"


def test_contradictions() -> None:
    assert contradiction(track("a", "DELIVERED", delivered=9.0)) is None
    assert "no simulated driver" in str(contradiction(track("b", "DELIVERED")))
    assert "picked it up" in str(contradiction(track("c", "CANCELLED", picked_up=3.0)))
    assert "did not reject" in str(contradiction(track("d", "REJECTED")))
    assert contradiction(track("e", "REJECTED", rejected=1.0)) is None
    assert "cancel was not taken" in str(contradiction(track("f", "CANCELLED")))
    assert contradiction(track("g", None)) is None


def test_summary_counts_outcomes_failures_and_times() -> None:
    clock = Clock()
    ledger = Ledger(clock)
    tally = Tally()
    delivered = [track(f"o-{n}", "DELIVERED", delivered=float(n)) for n in range(1, 11)]
    cancelled = track("o-c", "CANCELLED")
    cancelled.cancel = "cancelled"
    overtaken = track("o-x", "DELIVERED", delivered=20.0)
    overtaken.cancel = "cancelled"
    rejected = track("o-r", "REJECTED", rejected=1.0)
    unfinished = track("o-u", None)
    stranger = track("o-s", "DELIVERED")  # nobody of ours delivered it
    for t in [*delivered, cancelled, overtaken, rejected, unfinished, stranger]:
        ledger.add(t)
    tally.count("taken", 3)
    tally.count("cancel_refused", 2)
    tally.count("kitchen_too_late")
    tally.count("ready_by_poll")
    tally.latency("placeOrder", 0.1)
    tally.latency("placeOrder", 0.3)
    tally.fail("http", "HTTP 502 on placeOrder")

    summary = summarize(SimConfig(run_id="abc"), tally, ledger, elapsed=42.0)

    assert (summary.placed, summary.delivered, summary.cancelled, summary.rejected) == (
        15,
        12,
        1,
        1,
    )
    assert summary.unfinished == ["o-u"] and summary.unfinished_by_step == {"placed": 1}
    assert summary.failures_by_kind == {"http": 1, "inconsistent": 1, "unfinished": 1}
    assert summary.failures == 3 and not summary.ok
    assert (summary.taken, summary.cancels_refused, summary.kitchen_too_late) == (3, 2, 1)
    assert summary.cancels_overtaken == 1
    assert summary.notes == {"ready_by_poll": 1}
    assert "ready_by_poll" not in summary.actions
    # place -> delivered over the 11 orders our drivers delivered: 1..10 and 20 seconds
    assert summary.place_to_delivered.count == 11
    assert summary.place_to_delivered.p50 == pytest.approx(6.0)
    assert summary.delivered_push_lag.p50 == pytest.approx(0.5)
    assert summary.calls["placeOrder"].count == 2
    text = summary.render()
    for part in ("placed 15", "delivered 12", "unfinished 1", "TAKEN races lost 3", "o-u"):
        assert part in text
    as_json = json.loads(json.dumps(summary.to_dict()))
    assert as_json["ok"] is False and as_json["unfinished"] == ["o-u"]


def test_a_clean_run_is_ok() -> None:
    ledger = Ledger(Clock())
    ledger.add(track("o-1", "DELIVERED", delivered=8.0))
    summary = summarize(SimConfig(), Tally(), ledger, elapsed=10.0)
    assert summary.ok and summary.failures == 0
    assert "failures   0" in summary.render()
