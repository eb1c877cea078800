"""Counting what happened: the actors' counters and failures while the run goes on
(``Tally``, one progress line), and the run's ``Summary`` at the end."""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from simulator.config import SimConfig
from simulator.ledger import Ledger, OrderTrack

log = logging.getLogger("simulator")

#: the counters a progress line shows, in order, with their labels
PROGRESS = (
    ("placed", "placed"),
    ("accepted", "accepted"),
    ("rejected", "rejected"),
    ("cancelled", "cancelled"),
    ("ready", "ready"),
    ("picked_up", "picked up"),
    ("delivered", "delivered"),
)
#: failure details kept for the summary (the counts are always complete)
SAMPLES = 30


class Tally:
    """Counters of the actors' successful actions and expected refusals, and failures:
    anything unexpected, by kind, with the first few details."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.samples: list[str] = []
        self.latencies: dict[str, list[float]] = {}

    def latency(self, operation: str, seconds: float) -> None:
        """One GraphQL call's round trip (``client.Observe``)."""
        self.latencies.setdefault(operation, []).append(seconds)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] += amount

    def fail(self, kind: str, detail: str) -> None:
        self.failures[kind] += 1
        if len(self.samples) < SAMPLES:
            self.samples.append(f"{kind}: {detail}")
        log.warning("failure %s: %s", kind, detail)

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def progress_line(self, elapsed: float, in_flight: int) -> str:
        counts = "  ".join(f"{label} {self.counts[name]}" for name, label in PROGRESS)
        return f"[{elapsed:5.0f}s] {counts}  in flight {in_flight}  failures {self.failed}"


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation between the closest
    ranks (numpy's default); None for no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q is between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Spread:
    """How long something took, in seconds."""

    count: int
    p50: float | None
    p95: float | None
    max: float | None

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        seen = list(values)
        return cls(len(seen), percentile(seen, 50), percentile(seen, 95), max(seen, default=None))

    def render(self, unit: str = "orders", digits: int = 1) -> str:
        if not self.count:
            return "none"

        def s(value: float | None) -> str:
            return "-" if value is None else f"{value:.{digits}f} s"

        return f"p50 {s(self.p50)}  p95 {s(self.p95)}  max {s(self.max)}  ({self.count} {unit})"


@dataclass(frozen=True)
class Summary:
    run_id: str
    rate: float
    duration: float
    drivers: int
    speed: float
    #: seconds from the first order to the end of the drain
    elapsed: float
    #: orders by how they ended in the customer's app
    placed: int
    delivered: int
    cancelled: int
    rejected: int
    #: orders not final after the drain
    unfinished: list[str]
    #: those by the last step the simulated actors took ("delivered": the driver did,
    #: the customer's app did not show it yet)
    unfinished_by_step: dict[str, int]
    failures: int
    failures_by_kind: dict[str, int]
    failure_samples: list[str]
    #: drivers who lost the race for an offer (Conflict TAKEN): expected
    taken: int
    #: cancels the customer BFF refused because the kitchen had decided: expected
    cancels_refused: int
    #: cancels the BFF took, but the kitchen's accept came first on the hub: expected
    cancels_overtaken: int
    #: kitchen decisions refused because the customer cancelled first: expected
    kitchen_too_late: int
    #: every counter of the actors' actions
    actions: dict[str, int]
    place_to_delivered: Spread
    #: from the driver's markDelivered answer to the customer's push showing it
    delivered_push_lag: Spread
    #: GraphQL round trips by operation (its first root field)
    calls: dict[str, Spread] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failures == 0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}

    def render(self) -> str:
        a = self.actions
        lines = [
            f"Simulation {self.run_id}: {self.rate:g} orders/s for {self.duration:g} s, "
            f"{self.drivers} drivers, speed {self.speed:g} ({self.elapsed:.0f} s in all)",
            f"  orders     placed {self.placed}  delivered {self.delivered}  "
            f"cancelled {self.cancelled}  rejected {self.rejected}  "
            f"unfinished {len(self.unfinished)}",
            f"  customers  cancels sent {a.get('cancel_sent', 0)}: taken {a.get('cancelled', 0)}, "
            f"refused as the kitchen had decided {self.cancels_refused}, "
            f"overtaken by the kitchen's accept {self.cancels_overtaken}",
            f"  kitchens   accepted {a.get('accepted', 0)}  rejected {a.get('rejected', 0)}  "
            f"ready {a.get('ready', 0)}  too late (customer cancelled first) "
            f"{self.kitchen_too_late}",
            f"  drivers    accepted {a.get('assigned', 0)}  TAKEN races lost {self.taken}  "
            f"picked up {a.get('picked_up', 0)}  delivered {a.get('delivered', 0)}",
            f"  place -> delivered   {self.place_to_delivered.render()}",
            f"  delivered -> customer push   {self.delivered_push_lag.render()}",
        ]
        slowest = sorted(self.calls.items(), key=lambda item: -(item[1].p95 or 0.0))[:5]
        if slowest:
            lines.append("  slowest calls (by p95):")
        for name, spread in slowest:
            lines.append(f"    {name:<18} {spread.render('calls', digits=3)}")
        if self.notes:
            notes = "  ".join(f"{k} {v}" for k, v in sorted(self.notes.items()))
            lines.append(f"  notes      {notes}")
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.failures_by_kind.items()))
        lines.append(f"  failures   {self.failures}" + (f" ({kinds})" if kinds else ""))
        lines.extend(f"    - {sample}" for sample in self.failure_samples)
        if self.unfinished:
            steps = ", ".join(f"{k} {v}" for k, v in self.unfinished_by_step.items())
            lines.append(f"  not final after the drain, by the actors' last step: {steps}")
            shown = ", ".join(self.unfinished[:20])
            more = f" and {len(self.unfinished) - 20} more" if len(self.unfinished) > 20 else ""
            lines.append(f"  not final after the drain: {shown}{more}")
        return "\n".join(lines)


#: counters that are expected refusals or notes, not actions (shown apart)
NOTES = (
    "ready_by_poll",
    "offers_by_refetch",
    "offers_by_id",
    "offer_gone",
    "tickets_by_reread",
    "leftovers_closed",
    "leftovers_finished",
    "drivers_busy_at_end",
)


def summarize(config: SimConfig, tally: Tally, ledger: Ledger, elapsed: float) -> Summary:
    """The run's summary; orders not final and orders whose ending contradicts what the
    actors did count as failures here."""
    failures = Counter(tally.failures)
    samples = list(tally.samples)

    def fail(kind: str, detail: str) -> None:
        failures[kind] += 1
        if len(samples) < SAMPLES:
            samples.append(f"{kind}: {detail}")

    tracks = list(ledger.orders.values())
    unfinished = [t.id for t in tracks if t.final is None]
    if unfinished:
        failures["unfinished"] += len(unfinished)
    for track in tracks:
        problem = contradiction(track)
        if problem:
            fail("inconsistent", f"{track.id}: {problem}")
    finals = Counter(t.final for t in tracks if t.final)
    delivered = [t for t in tracks if t.final == "DELIVERED" and "delivered" in t.steps]
    pushed = [t for t in delivered if not t.final_by_poll and t.final_at is not None]
    notes = {name: tally.counts[name] for name in NOTES if tally.counts[name]}
    by_poll = sum(1 for t in tracks if t.final_by_poll)
    if by_poll:
        notes["finals_by_poll"] = by_poll
    return Summary(
        run_id=config.run_id,
        rate=config.rate,
        duration=config.duration,
        drivers=config.drivers,
        speed=config.speed,
        elapsed=round(elapsed, 3),
        placed=len(tracks),
        delivered=finals["DELIVERED"],
        cancelled=finals["CANCELLED"],
        rejected=finals["REJECTED"],
        unfinished=unfinished,
        unfinished_by_step=dict(
            Counter(last_step(t) for t in tracks if t.final is None).most_common()
        ),
        failures=sum(failures.values()),
        failures_by_kind=dict(sorted(failures.items())),
        failure_samples=samples,
        taken=tally.counts["taken"],
        cancels_refused=tally.counts["cancel_refused"],
        cancels_overtaken=sum(
            1 for t in tracks if t.cancel == "cancelled" and t.final not in (None, "CANCELLED")
        ),
        kitchen_too_late=tally.counts["kitchen_too_late"],
        actions={k: v for k, v in sorted(tally.counts.items()) if k not in NOTES},
        place_to_delivered=Spread.of(t.steps["delivered"] - t.placed_at for t in delivered),
        delivered_push_lag=Spread.of(
            max(0.0, (t.final_at or 0.0) - t.steps["delivered"]) for t in pushed
        ),
        calls={name: Spread.of(values) for name, values in sorted(tally.latencies.items())},
        notes=notes,
    )


#: the actors' steps, latest first
STEPS = ("delivered", "picked_up", "assigned", "ready", "rejected", "accepted")


def last_step(track: OrderTrack) -> str:
    """The latest step the simulated actors took on the order ("placed": none yet)."""
    for step in STEPS:
        if step in track.steps:
            return step
    return "cancel sent" if track.cancel == "cancelled" else "placed"


def contradiction(track: OrderTrack) -> str | None:
    """Why the order's ending contradicts what the simulated actors did (None: it fits)."""
    steps = track.steps
    if track.final == "DELIVERED" and "delivered" not in steps:
        return "the customer sees it delivered, but no simulated driver delivered it"
    if track.final == "DELIVERED" and "rejected" in steps:
        return "delivered although the kitchen rejected it"
    if track.final in ("CANCELLED", "REJECTED") and "picked_up" in steps:
        return f"{track.final.lower()} in the customer's app, but a driver picked it up"
    if track.final == "REJECTED" and "rejected" not in steps:
        return "rejected in the customer's app, but the kitchen did not reject it"
    if track.final == "CANCELLED" and track.cancel != "cancelled":
        return "cancelled in the customer's app, but the customer's cancel was not taken"
    return None
