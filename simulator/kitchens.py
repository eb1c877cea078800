"""Virtual kitchens, one per restaurant: each follows its ``kitchen`` subscription, decides
on every new ticket of this run after a short think (reject a share, else accept with a
prep time), and marks accepted orders ready when the (scaled) prep time is over."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from simulator.client import PROBLEM, GraphQL, Outcome, Reconnected, Subscription, Unexpected
from simulator.config import Pace, SimConfig
from simulator.ledger import Ledger
from simulator.tally import Tally

TICKET = "orderId status placedAt"
KITCHEN_UPDATES = f"subscription {{ kitchen {{ kind eventType ticket {{ {TICKET} }} }} }}"
BOARD = f"{{ board {{ new {{ {TICKET} }} preparing {{ {TICKET} }} }} }}"
SWEEP_FIELDS = "orderId status customerName driver { id }"
SWEEP = f"""{{ board {{
  new {{ {SWEEP_FIELDS} }} preparing {{ {SWEEP_FIELDS} }} ready {{ {SWEEP_FIELDS} }}
}} }}"""
#: the names the simulator's customers carry (``Sim Customer 0001``): their tickets are
#: the simulator's own, also those of earlier runs
SIM_CUSTOMER = "Sim Customer "
LEFTOVER_REASON = "The simulator restarted: this order of an earlier run is closed"
TICKET_STATUS = "query($id: ID!) { ticket(orderId: $id) { orderId status } }"
DECISION = "... on KitchenDecision { orderId status }"
ACCEPT = f"""mutation($id: ID!, $prep: Int!) {{
  acceptOrder(orderId: $id, prepMinutes: $prep) {{ {PROBLEM} {DECISION} }}
}}"""
REJECT = f"""mutation($id: ID!, $reason: String!) {{
  rejectOrder(orderId: $id, reason: $reason) {{ {PROBLEM} {DECISION} }}
}}"""
READY = f"mutation($id: ID!) {{ markOrderReady(orderId: $id) {{ {PROBLEM} {DECISION} }} }}"
REJECT_REASONS = (
    "Sorry, we are out of one of the dishes",
    "The kitchen is at capacity right now",
    "We are closing soon",
    "The delivery address is outside our usual area",
)
#: how long a ticket pushed before its placeOrder answered may wait to be known
KNOWN_WAIT = 15.0
#: board re-reads as a safety net besides the pushes (seconds, not scaled)
REREAD_EVERY = 15.0


@dataclass(frozen=True, slots=True)
class Accept:
    prep_minutes: int


@dataclass(frozen=True, slots=True)
class Reject:
    reason: str


def decide(rng: random.Random, reject_share: float) -> Accept | Reject:
    """The kitchen's call on a new order: reject ``reject_share`` of them (with a
    reason), accept the others with a prep time of 5-20 minutes."""
    if rng.random() < reject_share:
        return Reject(rng.choice(REJECT_REASONS))
    return Accept(rng.randint(5, 20))


Spawn = Callable[[Awaitable[None]], None]


class Kitchen:
    def __init__(
        self,
        restaurant_id: str,
        api: GraphQL,
        subscription: Callable[[], Subscription],
        config: SimConfig,
        pace: Pace,
        ledger: Ledger,
        tally: Tally,
        rng: random.Random,
    ) -> None:
        self.restaurant_id = restaurant_id
        self.api = api
        self._subscription = subscription
        self._config = config
        self._pace = pace
        self._ledger = ledger
        self._tally = tally
        self._rng = rng
        #: orders a decision (or the cooking) was started for
        self._handled: set[str] = set()
        self._cooking: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.ready_to_serve = asyncio.Event()

    async def run(self) -> None:
        """Follow the kitchen until cancelled."""
        try:
            async with self._subscription() as subscription:
                while True:
                    push = await subscription.next(within=REREAD_EVERY)
                    if push is None:
                        await self.reread(note=True)
                    elif isinstance(push, Reconnected) or push.get("kind") == "RESYNC":
                        if not self.ready_to_serve.is_set():
                            await self.sweep()
                        await self.reread()
                        self.ready_to_serve.set()
                    elif push.get("kind") == "TICKET" and push.get("ticket"):
                        self.consider(push["ticket"])
        finally:
            for task in self._tasks:
                task.cancel()

    async def reread(self, *, note: bool = False) -> None:
        """Read the board: a ticket whose push was missed is handled now."""
        try:
            board = (await self.api.query(BOARD))["board"]
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"board of {self.restaurant_id}: {exc.detail}")
            return
        for ticket in [*board["new"], *board["preparing"]]:
            if self.consider(ticket) and note and self._ledger.knows(ticket["orderId"]):
                self._tally.count("tickets_by_reread")

    async def sweep(self) -> None:
        """Before the run: close what earlier runs left. A new ticket of a simulated
        customer is rejected; one being prepared is marked ready and, like a ready one
        without a driver, adopted for this run's drivers to deliver."""
        try:
            board = (await self.api.query(SWEEP))["board"]
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"board of {self.restaurant_id}: {exc.detail}")
            return
        for column in ("new", "preparing", "ready"):
            for ticket in board[column]:
                order_id = str(ticket["orderId"])
                if not str(ticket.get("customerName")).startswith(SIM_CUSTOMER):
                    continue
                if self._ledger.knows(order_id):
                    continue
                self._handled.add(order_id)
                self._cooking.add(order_id)
                if column == "new":
                    self._spawn(self._close_leftover(order_id))
                elif column == "preparing":
                    self._ledger.adopt(order_id)
                    self._spawn(self._ready_leftover(order_id))
                elif not ticket.get("driver"):
                    self._ledger.adopt(order_id)

    async def _close_leftover(self, order_id: str) -> None:
        outcome = await self.api.mutate("rejectOrder", REJECT, id=order_id, reason=LEFTOVER_REASON)
        if outcome.problem and not outcome.is_conflict():
            self._tally.fail("kitchen", f"rejecting leftover {order_id}: {outcome.describe()}")
        else:
            self._tally.count("leftovers_closed")

    async def _ready_leftover(self, order_id: str) -> None:
        if not await self.ready_now(order_id):
            self._ledger.leftover_done(order_id)  # nobody will deliver it: do not wait

    def consider(self, ticket: dict[str, Any]) -> bool:
        """React to a ticket as it is now; True if that started something."""
        order_id, status = str(ticket.get("orderId")), ticket.get("status")
        if status == "PLACED" and order_id not in self._handled:
            self._handled.add(order_id)
            self._spawn(self._decide(order_id))
            return True
        if status == "ACCEPTED" and order_id not in self._cooking and self._ledger.knows(order_id):
            # accepted, but its cooking was never started here (an answer lost on the way)
            self._handled.add(order_id)
            self._cooking.add(order_id)
            self._spawn(self._cook(order_id, self._rng.randint(5, 20)))
            return True
        return False

    async def ready_now(self, order_id: str) -> bool:
        """Mark an order of an earlier run ready at once (a driver was left with it)."""
        try:
            outcome = await self.api.mutate("markOrderReady", READY, id=order_id)
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"markOrderReady {order_id}: {exc.detail}")
            return False
        return not outcome.problem or outcome.is_conflict()

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Awaitable[None]) -> None:
        try:
            await work
        except Unexpected as exc:
            self._tally.fail(exc.kind, f"kitchen {self.restaurant_id}: {exc.detail}")

    async def _decide(self, order_id: str) -> None:
        if await self._ledger.wait_known(order_id, KNOWN_WAIT) is None:
            return  # not an order of this run: leave it to whoever placed it
        await asyncio.sleep(self._pace.delay(self._pace.think, self._rng))
        choice = decide(self._rng, self._config.reject_share)
        if isinstance(choice, Reject):
            outcome = await self.api.mutate(
                "rejectOrder", REJECT, id=order_id, reason=choice.reason
            )
            if not outcome.problem:
                self._tally.count("rejected")
                self._ledger.step(order_id, "rejected")
            else:
                await self._refused(order_id, "rejectOrder", outcome)
            return
        outcome = await self.api.mutate(
            "acceptOrder", ACCEPT, id=order_id, prep=choice.prep_minutes
        )
        if outcome.problem:
            await self._refused(order_id, "acceptOrder", outcome)
            return
        self._tally.count("accepted")
        self._ledger.step(order_id, "accepted")
        self._cooking.add(order_id)
        await self._cook(order_id, choice.prep_minutes)

    async def _cook(self, order_id: str, prep_minutes: int) -> None:
        await asyncio.sleep(self._pace.prep(prep_minutes))
        outcome = await self.api.mutate("markOrderReady", READY, id=order_id)
        if outcome.problem:
            await self._refused(order_id, "markOrderReady", outcome)
            return
        self._tally.count("ready")
        self._ledger.step(order_id, "ready")

    async def _refused(self, order_id: str, verb: str, outcome: Outcome) -> None:
        """A Conflict because the customer cancelled first is expected; anything else is
        a failure."""
        if outcome.is_conflict():
            ticket = (await self.api.query(TICKET_STATUS, id=order_id))["ticket"]
            if ticket is not None and ticket.get("status") == "CANCELLED":
                self._tally.count("kitchen_too_late")
                return
        self._tally.fail("kitchen", f"{verb} {order_id}: {outcome.describe()}")
