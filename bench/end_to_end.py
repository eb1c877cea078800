"""End to end: how long after one actor's command returns does the other actor's app get
the change pushed, and how much memory each BFF process needs meanwhile.

The whole system runs as ``make run`` runs it (``runner.system.running_system``: every BFF
role as its own process, the lake writer; own topic, ``FD_PREFIX`` and ports) on the
benchmark stack. One load generator (this process) plays many virtual customers and the
three demo kitchens through the public APIs:

- leg **place**: a customer's ``placeOrder`` returns -> the kitchen's ``kitchen``
  subscription pushes that order's ticket (customer-api -> outbox -> customer-trigger ->
  Kafka -> restaurant-listener -> view + Redis -> restaurant-api -> websocket);
- leg **accept**: the kitchen accepts as soon as it sees the ticket; its ``acceptOrder``
  returns -> the customer's ``myOrders`` subscription pushes the order as accepted
  (restaurant-api -> restaurant-trigger -> Kafka -> customer-listener -> customer-api).

Orders arrive open-loop (evenly spaced at the offered rate, whether or not earlier ones
finished) for ``PHASE_SECONDS`` at each of ``RATES``. The raw baseline in the same run is
one Kafka hop: an aiokafka producer as the relay's (acks=all, idempotent, no linger) sends
a small message, a consumer as the listeners' (same group settings, ``getmany``) receives
it, at the same rates. Memory: each process's peak RSS (``VmHWM``; ``VmRSS`` sampled).
CPU per process per phase (``/proc/<pid>/stat``) says what saturates.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import tempfile
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from matplotlib.ticker import FuncFormatter, NullFormatter
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from adapters.hub import EventPublisher, event_consumer
from adapters.notify import redis_client
from adapters.settings import Settings
from adapters.store import store_client
from bench import charts  # noqa: F401 (matplotlib's headless backend)
from bench.common import ROOT, Figure, Result, chart_path, percentile
from bff.customer.demo import CUSTOMERS
from bff.kit.auth import Authenticator
from bff.restaurant.demo import RESTAURANTS
from devstack.kafka import ensure_topic
from devstack.stack import services
from runner.supervisor import Supervisor
from runner.system import running_system

NAME = "end_to_end"
#: offered orders per second, each for PHASE_SECONDS (plus the drain)
RATES: tuple[float, ...] = (10.0, 50.0, 200.0)
PHASE_SECONDS = 20.0
BASELINE_SECONDS = 10.0
#: at least this many raw round trips per rate (a p99 of 100 is one sample)
BASELINE_MESSAGES = 300
#: the system up and subscribed, no orders: each process's idle CPU
IDLE_SECONDS = 5.0
#: orders before the measured phases (imports, connections, a just started broker's JIT)
WARMUP_RATE, WARMUP_SECONDS = 10.0, 8.0
#: how long after the last arrival an order may still complete
DRAIN_SECONDS = 20.0
#: virtual customers, each with its own myOrders subscription
CUSTOMER_COUNT = 120
#: the goals (at GOAL_RATE orders/s) and the memory goal per process
GOAL_RATE = 50.0
GOAL_P50_MS, GOAL_P99_MS = 10.0, 50.0
GOAL_RSS_MB = 150.0
LEGS = ("place", "accept")
LEG_TITLES = {"place": "placeOrder -> kitchen", "accept": "acceptOrder -> customer"}

PROBLEM = "... on Problem { code message }"
PLACE = (
    "mutation($o: PlaceOrderInput!) { placeOrder(order: $o) "
    f"{{ __typename ... on Order {{ id }} {PROBLEM} }} }}"
)
ACCEPT = (
    "mutation($id: ID!) { acceptOrder(orderId: $id, prepMinutes: 10) "
    f"{{ __typename {PROBLEM} }} }}"
)
KITCHEN = "subscription { kitchen { kind ticket { orderId status } } }"
MY_ORDERS = "subscription { myOrders { kind order { id status } } }"
CATALOG = "{ restaurants(first: 50) { items { id } } }"


# --- pure helpers (tests/unit/test_bench_e2e.py) -------------------------------------------


def schedule(rate: float, seconds: float) -> list[float]:
    """Open-loop arrival offsets in seconds from the phase start, evenly spaced at ``rate``."""
    if rate <= 0 or seconds <= 0:
        return []
    return [i / rate for i in range(round(rate * seconds))]


def baseline_seconds(rate: float) -> float:
    """How long the raw baseline runs at ``rate``: BASELINE_SECONDS, longer at low rates to
    send at least BASELINE_MESSAGES."""
    return max(BASELINE_SECONDS, BASELINE_MESSAGES / rate) if rate > 0 else BASELINE_SECONDS


@dataclass
class OrderTimes:
    """One order's timestamps (``time.perf_counter``, the same clock in every process)."""

    phase: str
    due: float
    customer: str
    kitchen: str
    fired: float | None = None
    placed: float | None = None
    in_kitchen: float | None = None
    accept_fired: float | None = None
    accepted: float | None = None
    at_customer: float | None = None
    error: str | None = None
    order_id: str | None = None


def leg_ms(start: float | None, end: float | None) -> float | None:
    """Milliseconds from a command's answer to the other app's push; 0 when the push came
    first (the user waited nothing); None when either is missing."""
    if start is None or end is None:
        return None
    return max(0.0, (end - start) * 1000)


@dataclass
class PhaseSummary:
    phase: str
    offered: float
    seconds: float
    sent: int
    placed: int
    completed: int
    #: orders per second that completed both legs, over the phase until the last completion
    achieved: float
    errors: dict[str, int]
    latencies: dict[str, list[float]]
    #: pushes that arrived before the command's HTTP answer (counted as 0 ms)
    pushed_first: dict[str, int]
    #: how late the generator fired arrivals (ms): p50, p99, max
    lag_ms: tuple[float, float, float]
    #: how long the commands took (ms) as the apps see them: p50, p99
    command_ms: dict[str, tuple[float, float]]
    #: p50, p99 of each part of a leg (``STAGES``)
    stages_ms: dict[str, tuple[float, float]] = field(default_factory=dict)

    def p(self, leg: str, q: float) -> float:
        return percentile(self.latencies[leg], q)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


#: where a leg's time goes, between these moments: the command's answer, the event seen on
#: the hub by a plain consumer (after the relay, plus one Kafka hop), the listener's
#: notification seen on Redis (after the view write), the push on the websocket (after the
#: API's fan-out, its read of the view, GraphQL, the websocket)
STAGES = {
    "place: answer -> on the hub": ("place", "answer", "hub"),
    "place: on the hub -> notified": ("place", "hub", "notified"),
    "place: notified -> pushed": ("place", "notified", "pushed"),
    "accept: answer -> on the hub": ("accept", "answer", "hub"),
    "accept: on the hub -> notified": ("accept", "hub", "notified"),
    "accept: notified -> pushed": ("accept", "notified", "pushed"),
}
#: each leg's event, and the notification scope its listener tells (restaurant, customer)
LEG_EVENTS = {"place": ("order-placed", "restaurant"), "accept": ("order-accepted", "customer")}


def moments(
    order: OrderTimes,
    leg: str,
    hub: Mapping[tuple[str, str], float],
    notified: Mapping[tuple[str, str, str], float],
) -> dict[str, float | None]:
    """When each moment of ``leg`` happened for ``order`` (None: not seen)."""
    event_type, scope = LEG_EVENTS[leg]
    order_id = order.order_id or ""
    answer, pushed = (
        (order.placed, order.in_kitchen) if leg == "place" else (order.accepted, order.at_customer)
    )
    return {
        "answer": answer,
        "hub": hub.get((event_type, order_id)),
        "notified": notified.get((scope, event_type, order_id)),
        "pushed": pushed,
    }


def stages(
    orders: Iterable[OrderTimes],
    hub: Mapping[tuple[str, str], float],
    notified: Mapping[tuple[str, str, str], float] | None = None,
) -> dict[str, list[float]]:
    """Each leg split at the moments its event was seen on the hub and its notification on
    Redis (ms; negative when a later moment beat the command's answer)."""
    found: dict[str, list[float]] = {name: [] for name in STAGES}
    for order in orders:
        seen = {leg: moments(order, leg, hub, notified or {}) for leg in LEGS}
        for name, (leg, start, end) in STAGES.items():
            a, b = seen[leg][start], seen[leg][end]
            if a is not None and b is not None:
                found[name].append((b - a) * 1000)
    return found


def summarize(
    orders: Iterable[OrderTimes],
    phase: str,
    offered: float,
    seconds: float,
    started: float,
    hub: Mapping[tuple[str, str], float] | None = None,
    notified: Mapping[tuple[str, str, str], float] | None = None,
) -> PhaseSummary:
    """What one phase's orders say: latencies per leg, rates, errors by kind, and (with
    ``hub``: when each event was seen on the hub) where each leg's time went."""
    mine = [o for o in orders if o.phase == phase]
    errors: Counter[str] = Counter()
    latencies: dict[str, list[float]] = {leg: [] for leg in LEGS}
    pushed_first: Counter[str] = Counter()
    command: dict[str, list[float]] = {leg: [] for leg in LEGS}
    lags: list[float] = []
    completions: list[float] = []
    for order in mine:
        if order.fired is not None:
            lags.append((order.fired - order.due) * 1000)
        if order.placed is None:
            errors[order.error or "no answer to placeOrder"] += 1
            continue
        if order.fired is not None:
            command["place"].append((order.placed - order.fired) * 1000)
        if order.accepted is not None and order.accept_fired is not None:
            command["accept"].append((order.accepted - order.accept_fired) * 1000)
        for leg, start, end in (
            ("place", order.placed, order.in_kitchen),
            ("accept", order.accepted, order.at_customer),
        ):
            value = leg_ms(start, end)
            if value is not None:
                latencies[leg].append(value)
                if end is not None and start is not None and end < start:
                    pushed_first[leg] += 1
        if order.in_kitchen is None:
            errors["not pushed to the kitchen"] += 1
        elif order.accepted is None:
            errors[order.error or "no answer to acceptOrder"] += 1
        elif order.at_customer is None:
            errors["accept not pushed to the customer"] += 1
        else:
            completions.append(max(order.at_customer, order.accepted))
    placed = sum(1 for o in mine if o.placed is not None)
    span = max(completions) - started if completions else 0.0
    achieved = len(completions) / max(span, seconds) if completions else 0.0
    return PhaseSummary(
        phase=phase,
        offered=offered,
        seconds=seconds,
        sent=len(mine),
        placed=placed,
        completed=len(completions),
        achieved=achieved,
        errors=dict(errors),
        latencies=latencies,
        pushed_first=dict(pushed_first),
        lag_ms=(percentile(lags, 50), percentile(lags, 99), max(lags, default=float("nan"))),
        command_ms={
            leg: (percentile(values, 50), percentile(values, 99)) for leg, values in command.items()
        },
        stages_ms={
            name: (percentile(values, 50), percentile(values, 99))
            for name, values in stages(mine, hub or {}, notified).items()
        },
    )


def proc_status(text: str) -> dict[str, int]:
    """``/proc/<pid>/status`` memory lines (``VmRSS``, ``VmHWM``, ...) in bytes."""
    found: dict[str, int] = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if key.startswith("Vm") and len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
            found[key] = int(parts[0]) * 1024
    return found


def cpu_ticks(stat: str) -> int:
    """User + system clock ticks from ``/proc/<pid>/stat`` (the name may hold spaces)."""
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of the line


#: pseudo-processes in a CPU snapshot: the whole machine's busy time (all cores, every
#: user of the machine), and the time some task waited for a CPU (PSI), in clock ticks
MACHINE, STALLED = "(machine busy)", "(waiting for a CPU)"


def machine_busy_ticks(stat: str) -> int:
    """Busy clock ticks of all cores from ``/proc/stat``'s ``cpu`` line (not idle, iowait)."""
    fields = [int(x) for x in stat.splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal


def stalled_ticks(pressure: str, hz: int) -> int:
    """``/proc/pressure/cpu``'s "some" total (microseconds some task waited for a CPU), in
    clock ticks."""
    for line in pressure.splitlines():
        if line.startswith("some "):
            total = int(line.rpartition("total=")[2])
            return total * hz // 1_000_000
    return 0


def cpu_shares(
    before: Mapping[str, int], after: Mapping[str, int], seconds: float, hz: int
) -> dict[str, float]:
    """Percent of one core each process used between two tick snapshots, busiest first."""
    shares = {
        name: 100.0 * (after[name] - ticks) / hz / seconds
        for name, ticks in before.items()
        if name in after and seconds > 0
    }
    return dict(sorted(shares.items(), key=lambda kv: -kv[1]))


def cpu_per_order(
    before: Mapping[str, int],
    after: Mapping[str, int],
    seconds: float,
    idle: Mapping[str, float],
    orders: int,
    hz: int,
) -> dict[str, float]:
    """CPU milliseconds each process spent per order beyond its idle use (``idle``: percent
    of one core while nothing ran), busiest first."""
    if orders <= 0:
        return {}
    spent = {
        name: max(0.0, (after[name] - ticks) / hz - idle.get(name, 0.0) / 100 * seconds)
        for name, ticks in before.items()
        if name in after and name not in (MACHINE, STALLED)
    }
    per_order = {name: 1000 * s / orders for name, s in spent.items()}
    return dict(sorted(per_order.items(), key=lambda kv: -kv[1]))


def bff_of(process: str) -> str:
    """``customer-api`` -> ``customer``; ``lake`` -> ``lake``."""
    return process.split("-", 1)[0]


def peak_by_bff(peaks: Mapping[str, int]) -> dict[str, tuple[str, int]]:
    """The largest peak of each BFF's processes (and the lake writer): bff -> (process, bytes)."""
    best: dict[str, tuple[str, int]] = {}
    for process, peak in peaks.items():
        bff = bff_of(process)
        if bff not in best or peak > best[bff][1]:
            best[bff] = (process, peak)
    return best


def figures(
    phases: Sequence[PhaseSummary],
    baselines: Mapping[float, tuple[float, float]],
    peaks: Mapping[str, int],
) -> list[Figure]:
    """Per rate: each leg's p50 and p99 next to the raw Kafka hop's, the achieved rate;
    then each BFF's largest peak RSS. Goals: at GOAL_RATE, and memory everywhere."""
    out: list[Figure] = []
    for s in phases:
        raw50, raw99 = baselines.get(s.offered, (float("nan"), float("nan")))
        at_goal = s.offered == GOAL_RATE
        for leg in LEGS:
            for q, raw, goal in ((50, raw50, GOAL_P50_MS), (99, raw99, GOAL_P99_MS)):
                value = s.p(leg, q)
                out.append(
                    Figure(
                        name=f"{LEG_TITLES[leg]} p{q} @ {s.offered:g}/s",
                        value=value,
                        unit="ms",
                        baseline=raw,
                        goal=f"< {goal:g} ms" if at_goal else "",
                        met=(value < goal) if at_goal else None,
                    )
                )
        out.append(
            Figure(
                name=f"achieved orders/s @ {s.offered:g}/s offered ({s.error_count} errors)",
                value=s.achieved,
                unit="orders/s",
                baseline=s.offered,
                goal=">= 0.95 of offered, no errors",
                met=s.achieved >= 0.95 * s.offered and s.error_count == 0,
            )
        )
    for bff, (process, peak) in peak_by_bff(peaks).items():
        mb = peak / 2**20
        out.append(
            Figure(
                name=f"peak RSS {bff} (largest: {process})",
                value=mb,
                unit="MB",
                goal=f"< {GOAL_RSS_MB:g} MB",
                met=mb < GOAL_RSS_MB,
            )
        )
    return out


# --- the system under load ------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """Loopback ports free right now (the OS picks them)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def read_proc(pid: int, name: str) -> str | None:
    try:
        return Path(f"/proc/{pid}/{name}").read_text()
    except OSError:
        return None


class Processes:
    """The system's processes (by supervisor name) and the stack's: RSS sampled, peaks kept,
    CPU ticks on demand."""

    def __init__(self, supervisor: Supervisor, stack: Mapping[str, int]) -> None:
        self._supervisor = supervisor
        self._stack = dict(stack)
        self.sampled: dict[str, int] = {}
        self.idle: dict[str, int] = {}

    def system_pids(self) -> dict[str, int]:
        return {
            name: running.process.pid
            for name, running in self._supervisor.running.items()
            if running.process.returncode is None
        }

    def all_pids(self) -> dict[str, int]:
        return {**self.system_pids(), **self._stack, "load-generator": os.getpid()}

    def rss(self) -> dict[str, dict[str, int]]:
        found = {}
        for name, pid in self.system_pids().items():
            text = read_proc(pid, "status")
            if text is not None:
                found[name] = proc_status(text)
        return found

    def sample(self) -> None:
        for name, memory in self.rss().items():
            self.sampled[name] = max(self.sampled.get(name, 0), memory.get("VmRSS", 0))

    def peaks(self) -> dict[str, int]:
        """Each system process's peak RSS: its VmHWM (kernel-kept) or the sampled maximum."""
        peaks = dict(self.sampled)
        for name, memory in self.rss().items():
            peaks[name] = max(peaks.get(name, 0), memory.get("VmHWM", 0))
        return peaks

    def ticks(self) -> dict[str, int]:
        """CPU clock ticks of each process, of the whole machine (``MACHINE``), and of the
        time tasks waited for a CPU (``STALLED``)."""
        found = {}
        for name, pid in self.all_pids().items():
            text = read_proc(pid, "stat")
            if text is not None:
                found[name] = cpu_ticks(text)
        hz = os.sysconf("SC_CLK_TCK")
        with contextlib.suppress(OSError, ValueError, IndexError):
            found[MACHINE] = machine_busy_ticks(Path("/proc/stat").read_text())
        with contextlib.suppress(OSError, ValueError):
            found[STALLED] = stalled_ticks(Path("/proc/pressure/cpu").read_text(), hz)
        return found

    async def keep_sampling(self, every: float = 0.5) -> None:
        while True:
            self.sample()
            await asyncio.sleep(every)


class Subscription:
    """One graphql-transport-ws subscription; ``on_data`` gets (receive time, data)."""

    def __init__(
        self, url: str, token: str, query: str, on_data: Callable[[float, dict[str, Any]], None]
    ) -> None:
        self._url, self._token, self._query, self._on_data = url, token, query, on_data
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self.errors: list[str] = []

    async def open(self) -> None:
        ws = await connect(self._url, subprotocols=[Subprotocol("graphql-transport-ws")])
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {self._token}"}}
        await ws.send(json.dumps(init))
        async with asyncio.timeout(30):
            ack = json.loads(await ws.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"no connection_ack: {ack}")
        payload = {"query": self._query, "variables": {}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        self._ws = ws
        self._task = asyncio.create_task(self._read(ws))

    async def _read(self, ws: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                now = time.perf_counter()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "next":
                    payload = message.get("payload") or {}
                    if payload.get("errors"):
                        self.errors.append(str(payload["errors"])[:200])
                    if isinstance(payload.get("data"), dict):
                        self._on_data(now, payload["data"])
                elif kind == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif kind in ("error", "complete"):
                    self.errors.append(f"{kind}: {str(message)[:200]}")

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await asyncio.wait_for(self._task, 5)


class HttpError(Exception):
    """The connection failed or the answer was not HTTP as expected."""


class _Stale(Exception):
    """A kept-alive connection the server had closed before our request."""


class GraphQLClient:
    """GraphQL POSTs over kept-alive HTTP/1.1 connections to one ``host:port``: a few lines
    of asyncio streams instead of httpx, whose per-request cost would make the load
    generator the bottleneck at 200 orders/s on this machine."""

    #: uvicorn closes a connection idle for 5 s (timeout_keep_alive): reuse younger ones
    IDLE_SECONDS = 3.0

    def __init__(self, address: str, *, connections: int = 400, timeout: float = 30.0) -> None:
        self.host, _, port = address.rpartition(":")
        self.port = int(port)
        self._idle: list[tuple[float, asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(connections)
        self._timeout = timeout

    async def post(self, token: str, query: str, variables: Mapping[str, Any]) -> Any:
        """The answer's JSON body; HttpError for a non-200 status or a broken connection."""
        body = json.dumps({"query": query, "variables": variables}).encode()
        head = (
            f"POST /graphql HTTP/1.1\r\nhost: {self.host}:{self.port}\r\n"
            f"authorization: Bearer {token}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\n\r\n"
        ).encode()
        async with self._slots:
            status, answer = await self._exchange(head + body)
        if status != 200:
            raise HttpError(f"HTTP {status}")
        return json.loads(answer)

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        kept = self._kept()
        if kept is not None:
            try:
                return await self._over(request, *kept, fresh=False)
            except _Stale:  # the server had closed it: the request was not taken
                pass
        return await self._over(request, *await self._connect(), fresh=True)

    async def _over(
        self,
        request: bytes,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        fresh: bool,
    ) -> tuple[int, bytes]:
        try:
            async with asyncio.timeout(self._timeout):
                writer.write(request)
                status, keep, answer = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
            writer.close()
            unanswered = isinstance(exc, ConnectionError) or (
                isinstance(exc, asyncio.IncompleteReadError) and not exc.partial
            )
            if unanswered and not fresh:
                raise _Stale from exc
            raise HttpError(type(exc).__name__) from exc
        if keep:
            self._idle.append((time.monotonic(), reader, writer))
        else:
            writer.close()
        return status, answer

    def _kept(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """The most recently used open connection, if one is young enough."""
        while self._idle:
            since, reader, writer = self._idle.pop()
            if time.monotonic() - since < self.IDLE_SECONDS:
                return reader, writer
            writer.close()
        return None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        try:
            return await asyncio.open_connection(self.host, self.port)
        except OSError as exc:
            raise HttpError(f"connect: {exc!r}") from exc

    async def close(self) -> None:
        for _, _, writer in self._idle:
            writer.close()
        self._idle.clear()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """(status, whether the connection stays open, body) of one HTTP/1.1 response with a
    content length."""
    status_line = await reader.readuntil(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    length, keep = 0, True
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep = False
        elif name == b"transfer-encoding":
            raise ValueError("chunked answers are not expected here")
    return status, keep, await reader.readexactly(length)


@dataclass
class Endpoints:
    customer: str
    restaurant: str

    def ws(self, bff: str) -> str:
        return f"ws://{getattr(self, bff)}/graphql"


@dataclass
class LoadGenerator:
    """Virtual customers placing orders open-loop and the demo kitchens accepting each order
    as soon as their console shows it; every timestamp kept in ``orders``."""

    endpoints: Endpoints
    settings: Settings
    customers: list[str]
    clients: dict[str, GraphQLClient] = field(default_factory=dict)
    #: every order sent, and the placed ones by id
    sent: list[OrderTimes] = field(default_factory=list)
    orders: dict[str, OrderTimes] = field(default_factory=dict)
    #: sightings by order id (a push may come before the command's answer)
    seen_in_kitchen: dict[str, float] = field(default_factory=dict)
    seen_accepted: dict[str, float] = field(default_factory=dict)
    subscriptions: list[Subscription] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    #: set whenever an order finished or failed (the drain waits on it)
    progress: asyncio.Event = field(default_factory=asyncio.Event)
    _tokens: dict[tuple[str, str], str] = field(default_factory=dict)

    def token(self, role: str, actor: str) -> str:
        key = (role, actor)
        if key not in self._tokens:
            self._tokens[key] = Authenticator(self.settings, role).issue(actor, f"Bench {actor}")
        return self._tokens[key]

    async def subscribe(self) -> None:
        for demo in RESTAURANTS:
            rid = demo.restaurant.id
            self.subscriptions.append(
                Subscription(
                    self.endpoints.ws("restaurant"),
                    self.token("restaurant", rid),
                    KITCHEN,
                    self._on_kitchen,
                )
            )
        for customer in self.customers:
            self.subscriptions.append(
                Subscription(
                    self.endpoints.ws("customer"),
                    self.token("customer", customer),
                    MY_ORDERS,
                    self._on_my_orders,
                )
            )
        for i in range(0, len(self.subscriptions), 20):
            await asyncio.gather(*(s.open() for s in self.subscriptions[i : i + 20]))

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in self.subscriptions), return_exceptions=True)
        for client in self.clients.values():
            await client.close()

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _on_kitchen(self, now: float, data: dict[str, Any]) -> None:
        ticket = (data.get("kitchen") or {}).get("ticket") or {}
        order_id = ticket.get("orderId")
        if ticket.get("status") != "PLACED" or not isinstance(order_id, str):
            return
        if order_id in self.seen_in_kitchen:
            return
        self.seen_in_kitchen[order_id] = now
        order = self.orders.get(order_id)
        if order is not None:
            order.in_kitchen = now
            self._spawn(self._accept(order_id, order))

    def _on_my_orders(self, now: float, data: dict[str, Any]) -> None:
        order = (data.get("myOrders") or {}).get("order") or {}
        order_id = order.get("id")
        if order.get("status") != "ACCEPTED" or not isinstance(order_id, str):
            return
        self.seen_accepted.setdefault(order_id, now)
        mine = self.orders.get(order_id)
        if mine is not None and mine.at_customer is None:
            mine.at_customer = now
            self.progress.set()

    def client(self, bff: str) -> GraphQLClient:
        if bff not in self.clients:
            self.clients[bff] = GraphQLClient(getattr(self.endpoints, bff))
        return self.clients[bff]

    async def call(self, bff: str, actor: str, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.client(bff).post(self.token(bff, actor), query, variables)
        if not isinstance(body, dict):
            raise CommandError("not a JSON object")
        if body.get("errors"):
            raise CommandError("GraphQL error: " + str(body["errors"][0].get("message"))[:80])
        data: dict[str, Any] = body["data"]
        return data

    async def _command(
        self, name: str, bff: str, actor: str, query: str, wanted: str, **variables: Any
    ) -> tuple[dict[str, Any] | None, float, str | None]:
        """(the mutation's result, when it was answered, None) or (None, when, the error)."""
        try:
            data = await self.call(bff, actor, query, **variables)
        except (CommandError, HttpError) as exc:
            return None, time.perf_counter(), f"{name}: {exc}"
        now = time.perf_counter()
        result: dict[str, Any] = data[name]
        if result.get("__typename") != wanted:
            return None, now, f"{name}: {result.get('__typename')} {result.get('code', '')}"
        return result, now, None

    async def _place(self, times: OrderTimes) -> None:
        times.fired = time.perf_counter()
        result, now, times.error = await self._command(
            "placeOrder", "customer", times.customer, PLACE, "Order", o=cart(times)
        )
        if result is None:
            self.progress.set()
            return
        times.placed = now
        order_id = times.order_id = str(result["id"])
        self.orders[order_id] = times
        seen = self.seen_in_kitchen.get(order_id)
        if seen is not None:  # the kitchen was told before the customer got the answer
            times.in_kitchen = seen
            self._spawn(self._accept(order_id, times))

    async def _accept(self, order_id: str, times: OrderTimes) -> None:
        times.accept_fired = time.perf_counter()
        result, now, times.error = await self._command(
            "acceptOrder", "restaurant", times.kitchen, ACCEPT, "KitchenDecision", id=order_id
        )
        if result is not None:
            times.accepted = now
            seen = self.seen_accepted.get(order_id)
            if seen is not None and times.at_customer is None:
                times.at_customer = seen
        self.progress.set()

    async def run_phase(self, phase: str, rate: float, seconds: float) -> tuple[float, float]:
        """Fire the phase's arrivals on time (open loop); wait until every order completed
        or DRAIN_SECONDS passed. Returns (start, end of arrivals)."""
        kitchens = list(RESTAURANTS)
        started = time.perf_counter() + 0.05
        placing: list[asyncio.Task[None]] = []
        mine: list[OrderTimes] = []
        for i, offset in enumerate(schedule(rate, seconds)):
            due = started + offset
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            demo = kitchens[i % len(kitchens)]
            times = OrderTimes(
                phase=phase,
                due=due,
                customer=self.customers[i % len(self.customers)],
                kitchen=demo.restaurant.id,
            )
            mine.append(times)
            self.sent.append(times)
            placing.append(asyncio.create_task(self._place(times)))
        ended = time.perf_counter()
        deadline = ended + DRAIN_SECONDS
        await asyncio.wait(placing, timeout=max(0.1, deadline - time.perf_counter()))
        while time.perf_counter() < deadline and not all(_finished(o) for o in mine):
            self.progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.progress.wait(), 0.2)
        for task in placing:
            task.cancel()
        return started, ended


class CommandError(Exception):
    pass


def _finished(order: OrderTimes) -> bool:
    if order.error is not None:
        return True
    return order.at_customer is not None and order.accepted is not None


def cart(times: OrderTimes) -> dict[str, Any]:
    """One dish from the order's kitchen, to one of the demo customers' homes."""
    demo = next(d for d in RESTAURANTS if d.restaurant.id == times.kitchen)
    home = CUSTOMERS[zlib.crc32(times.customer.encode()) % len(CUSTOMERS)].home
    return {
        "restaurantId": times.kitchen,
        "items": [{"menuItemId": demo.items[0].id, "quantity": 1}],
        "deliveryAddress": {
            "line1": home.line1,
            "city": home.city,
            "postcode": home.postcode,
            "lat": home.location.lat,
            "lng": home.location.lng,
        },
    }


class Tap:
    """A plain consumer of the system's topic (no group, from its end): when each
    ``order-placed`` and ``order-accepted`` reached the hub, by (type, order id)."""

    WATCHED = (b'"order-placed"', b'"order-accepted"')

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.seen: dict[tuple[str, str], float] = {}
        self._consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="latest"
        )
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._consumer.start()
        self._task = asyncio.create_task(self._consume())

    async def _consume(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=250, max_records=1000)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    if record.key is None or not any(w in record.value for w in self.WATCHED):
                        continue
                    kind = json.loads(record.value).get("type")
                    self.seen.setdefault((str(kind), record.key.decode()), now)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()


class NotificationTap:
    """One more Redis subscriber to the listeners' notifications (as every API replica
    is): when each order's notification of each event type reached Redis, by
    (scope kind, event type, order id)."""

    def __init__(self, url: str, patterns: Sequence[str]) -> None:
        self.seen: dict[tuple[str, str, str], float] = {}
        self._redis: Redis = redis_client(url)
        self._patterns = list(patterns)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.psubscribe(*self._patterns)
        self._task = asyncio.create_task(self._listen(pubsub))

    async def _listen(self, pubsub: Any) -> None:
        try:
            while True:
                item = await pubsub.get_message(timeout=1.0)
                if item is None:
                    continue
                now = time.perf_counter()
                channel = item["channel"].decode()  # fd:<scope kind>:<id>
                message = json.loads(item["data"])
                key = (channel.split(":")[1], str(message.get("type")), str(message.get("id")))
                self.seen.setdefault(key, now)
        finally:
            await pubsub.aclose()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._redis.aclose()


# --- the raw baseline -----------------------------------------------------------------------


class RawHop:
    """The relay's producer and a listener's consumer on their own topic: one Kafka hop."""

    def __init__(self, bootstrap: str, topic: str, group: str) -> None:
        self._publisher = EventPublisher(bootstrap, topic)
        self._consumer = event_consumer(bootstrap, topic, group)
        self._received: dict[int, float] = {}
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._seq = 0

    async def start(self, partitions: int) -> None:
        await self._publisher.start()
        await self._consumer.start()
        self._task = asyncio.create_task(self._consume())
        async with asyncio.timeout(60):
            while len(self._consumer.assignment()) < partitions:  # noqa: ASYNC110 (the group join)
                await asyncio.sleep(0.05)
        await self.round_trips(100.0, 5.0)  # warm both clients (and a just started broker) up

    async def _consume(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=250, max_records=1000)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    self._received[int(json.loads(record.value)["seq"])] = now
            self._arrived.set()

    async def round_trips(self, rate: float, seconds: float) -> list[float]:
        """Send at ``rate`` open-loop; each message's send -> receive time in ms."""
        sent: dict[int, float] = {}
        sending: list[asyncio.Task[None]] = []
        started = time.perf_counter() + 0.02
        for offset in schedule(rate, seconds):
            delay = started + offset - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self._seq += 1
            sent[self._seq] = time.perf_counter()
            sending.append(asyncio.create_task(self._send(self._seq)))
        await asyncio.gather(*sending)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and not all(s in self._received for s in sent):
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), 0.5)
        return [(self._received[s] - t) * 1000 for s, t in sent.items() if s in self._received]

    async def _send(self, seq: int) -> None:
        value = json.dumps({"seq": seq, "pad": "x" * 64}).encode()
        await self._publisher.publish_raw(f"k-{seq}", value)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()
        await self._publisher.stop()


# --- measure --------------------------------------------------------------------------------


@dataclass
class Run:
    """One run's names on the shared stack: topics, database prefix, ports, lake folder."""

    settings: Settings
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    ports: dict[str, int] = field(default_factory=dict)
    lake: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bench-e2e-lake-")))

    def __post_init__(self) -> None:
        if not self.ports:
            self.ports = dict(zip(("customer", "restaurant", "driver"), free_ports(3), strict=True))

    @property
    def topic(self) -> str:
        return f"bench-e2e-{self.run_id}"

    @property
    def raw_topic(self) -> str:
        return f"bench-e2e-raw-{self.run_id}"

    @property
    def prefix(self) -> str:
        return f"e2e{self.run_id}_"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "FD_KAFKA_TOPIC": self.topic,
            "FD_PREFIX": self.prefix,
            "FD_LAKE_DIR": str(self.lake),
        }
        env.pop("FD_HTTP_PORT", None)
        return env

    def log_path(self) -> Path:
        state = self.settings.state_dir
        folder = state if state.is_absolute() else ROOT / state
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{NAME}.log"

    async def clean_up(self) -> None:
        """Drop this run's databases and topics, remove its lake folder."""
        mongo = store_client(self.settings.mongo_url)
        try:
            for name in await mongo.list_database_names():
                if name.startswith(self.prefix):
                    await mongo.drop_database(name)
        finally:
            await mongo.close()
        admin = AIOKafkaAdminClient(bootstrap_servers=self.settings.kafka_bootstrap)
        await admin.start()
        try:
            await admin.delete_topics([self.topic, self.raw_topic])
        finally:
            await admin.close()
        shutil.rmtree(self.lake, ignore_errors=True)


async def wait_seeded(load: LoadGenerator) -> None:
    """Until the demo restaurants are in the customers' catalog (their events went round)."""
    wanted = {d.restaurant.id for d in RESTAURANTS}
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            data = await load.call("customer", load.customers[0], CATALOG)
        except (CommandError, HttpError):
            data = {}
        items = (data.get("restaurants") or {}).get("items", [])
        if wanted <= {i["id"] for i in items}:
            return
        await asyncio.sleep(0.3)
    raise RuntimeError("the demo restaurants never reached the customers' catalog")


def stack_pids(settings: Settings) -> dict[str, int]:
    found = {}
    for svc in services(settings):
        pid = svc.process.pid()
        if pid is not None:
            found[svc.name] = pid
    return found


async def measure(settings: Settings) -> Result:
    run = Run(settings)
    print(f"[bench]   run {run.run_id}: system on ports {run.ports}, log {run.log_path()}")
    hz = os.sysconf("SC_CLK_TCK")
    await ensure_topic(settings.kafka_bootstrap, run.topic, settings.kafka_partitions)
    await ensure_topic(settings.kafka_bootstrap, run.raw_topic, settings.kafka_partitions)
    system_settings = settings.model_copy(update={"kafka_topic": run.topic, "prefix": run.prefix})
    phases: list[PhaseSummary] = []
    baselines: dict[float, tuple[float, float]] = {}
    raw_series: dict[str, list[float]] = {}
    cpu: dict[str, dict[str, float]] = {}
    cpu_ms: dict[str, dict[str, float]] = {}
    idle_cpu: dict[str, float] = {}
    idle_rss: dict[str, int] = {}
    peaks: dict[str, int] = {}
    sub_errors: list[str] = []
    try:
        with run.log_path().open("w") as log:

            def say(line: str) -> None:
                log.write(line + "\n")
                log.flush()

            async with running_system(
                ports=run.ports, env=run.env(), say=say, restart=False
            ) as supervisor:
                processes = Processes(supervisor, stack_pids(settings))
                sampler = asyncio.create_task(processes.keep_sampling())
                endpoints = Endpoints(
                    customer=f"127.0.0.1:{run.ports['customer']}",
                    restaurant=f"127.0.0.1:{run.ports['restaurant']}",
                )
                raw = RawHop(settings.kafka_bootstrap, run.raw_topic, f"{run.prefix}raw-hop")
                tap = Tap(settings.kafka_bootstrap, run.topic)
                told = NotificationTap(settings.redis_url, ["fd:restaurant:*", "fd:customer:*"])
                customers = [f"c-bench-{i:03d}" for i in range(CUSTOMER_COUNT)]
                load = LoadGenerator(endpoints, system_settings, customers)
                try:
                    await wait_seeded(load)
                    await load.subscribe()
                    await raw.start(settings.kafka_partitions)
                    await tap.start()
                    await told.start()
                    await load.run_phase("warm-up", WARMUP_RATE, WARMUP_SECONDS)
                    await asyncio.sleep(1.0)
                    idle_rss = {n: m.get("VmRSS", 0) for n, m in processes.rss().items()}
                    before, t0 = processes.ticks(), time.perf_counter()
                    await asyncio.sleep(IDLE_SECONDS)
                    idle_cpu = cpu_shares(before, processes.ticks(), time.perf_counter() - t0, hz)
                    for rate in RATES:
                        trips = await raw.round_trips(rate, baseline_seconds(rate))
                        raw_series[f"{rate:g}"] = trips
                        baselines[rate] = (percentile(trips, 50), percentile(trips, 99))
                        phase = f"{rate:g}/s"
                        before, t0 = processes.ticks(), time.perf_counter()
                        started, ended = await load.run_phase(phase, rate, PHASE_SECONDS)
                        after, spent = processes.ticks(), time.perf_counter() - t0
                        cpu[phase] = cpu_shares(before, after, spent, hz)
                        summary = summarize(
                            load.sent,
                            phase,
                            rate,
                            ended - started,
                            started,
                            tap.seen,
                            told.seen,
                        )
                        cpu_ms[phase] = cpu_per_order(
                            before, after, spent, idle_cpu, summary.sent, hz
                        )
                        phases.append(summary)
                        print(f"[bench]   {_line(summary, baselines[rate])}", flush=True)
                        await asyncio.sleep(2.0)
                    peaks = processes.peaks()
                    sub_errors = [e for s in load.subscriptions for e in s.errors]
                    died = [n for n in supervisor.names if not supervisor.alive(n)]
                    if died:
                        sub_errors.append(f"processes that died: {', '.join(died)}")
                finally:
                    sampler.cancel()
                    await load.close()
                    await raw.stop()
                    await tap.stop()
                    await told.stop()
    finally:
        await run.clean_up()

    rates = [s.offered for s in phases]
    chart(chart_path(NAME), phases, baselines, peaks)
    return Result(
        benchmark=NAME,
        title="end_to_end",
        figures=figures(phases, baselines, peaks),
        notes=_notes(phases, baselines, cpu, cpu_ms, peaks, idle_rss, sub_errors),
        series={
            "rates": rates,
            "phase_seconds": PHASE_SECONDS,
            "customers": CUSTOMER_COUNT,
            "phases": [_phase_json(s, baselines[s.offered]) for s in phases],
            "raw_hop_ms": {k: _round(v) for k, v in raw_series.items()},
            "cpu_percent_of_one_core": {
                k: {n: round(x, 1) for n, x in v.items()}
                for k, v in {"idle": idle_cpu, **cpu}.items()
            },
            "cpu_ms_per_order": {
                k: {n: round(x, 2) for n, x in v.items()} for k, v in cpu_ms.items()
            },
            "peak_rss_mb": {n: round(b / 2**20, 1) for n, b in sorted(peaks.items())},
            "idle_rss_mb": {n: round(b / 2**20, 1) for n, b in sorted(idle_rss.items())},
            "subscription_errors": sub_errors[:20],
        },
    )


def chart(
    path: Path,
    phases: Sequence[PhaseSummary],
    baselines: Mapping[float, tuple[float, float]],
    peaks: Mapping[str, int],
) -> Path:
    """Latency by offered rate (p50 solid, p99 dashed; the raw Kafka hop in grey; the goals
    at GOAL_RATE as markers), and each process's peak RSS against the memory goal."""
    rates = [s.offered for s in phases]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(11, 4), dpi=100, gridspec_kw={"width_ratios": [3, 2]}
    )
    for leg, colour in zip(LEGS, ("#2563eb", "#16a34a"), strict=True):
        for q, style in ((50, "-"), (99, "--")):
            left.plot(
                rates,
                [s.p(leg, q) for s in phases],
                linestyle=style,
                marker="o",
                color=colour,
                label=f"{LEG_TITLES[leg]} p{q}",
            )
    for i, style in ((0, "-"), (1, "--")):
        left.plot(
            rates,
            [baselines[r][i] for r in rates],
            linestyle=style,
            marker=".",
            color="#9ca3af",
            label=f"raw Kafka hop p{(50, 99)[i]}",
        )
    for goal in (GOAL_P50_MS, GOAL_P99_MS):
        left.plot([GOAL_RATE], [goal], marker="_", markersize=28, color="#dc2626")
    left.annotate("goals", (GOAL_RATE, GOAL_P99_MS), textcoords="offset points", xytext=(14, 0))
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xticks(rates, [f"{r:g}" for r in rates])
    left.xaxis.set_minor_formatter(NullFormatter())
    left.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    left.yaxis.set_minor_formatter(NullFormatter())
    left.set_xlabel("offered orders/s")
    left.set_ylabel("ms after the command's answer")
    left.set_title("Command answered -> the other app's push")
    left.grid(alpha=0.3)
    left.legend(frameon=False, fontsize=7, handlelength=3.5)
    names = sorted(peaks)
    right.barh(names, [peaks[n] / 2**20 for n in names], color="#2563eb")
    right.axvline(GOAL_RSS_MB, color="#dc2626", linestyle="--", label=f"goal {GOAL_RSS_MB:g} MB")
    right.set_xlabel("peak RSS (MB)")
    right.set_title("Memory per process")
    right.tick_params(axis="y", labelsize=8)
    right.legend(frameon=False, fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _round(values: Sequence[float]) -> list[float]:
    return [round(v, 2) for v in values]


def _phase_json(s: PhaseSummary, raw: tuple[float, float]) -> dict[str, Any]:
    return {
        "phase": s.phase,
        "offered": s.offered,
        "seconds": round(s.seconds, 2),
        "sent": s.sent,
        "placed": s.placed,
        "completed": s.completed,
        "achieved": round(s.achieved, 2),
        "errors": s.errors,
        "pushed_before_answer": s.pushed_first,
        "generator_lag_ms_p50_p99_max": [round(x, 2) for x in s.lag_ms],
        "command_ms_p50_p99": {k: [round(x, 2) for x in v] for k, v in s.command_ms.items()},
        "stages_ms_p50_p99": {k: [round(x, 2) for x in v] for k, v in s.stages_ms.items()},
        "p50_ms": {leg: round(s.p(leg, 50), 2) for leg in LEGS},
        "p99_ms": {leg: round(s.p(leg, 99), 2) for leg in LEGS},
        "raw_hop_ms_p50_p99": [round(raw[0], 2), round(raw[1], 2)],
        "latencies_ms": {leg: _round(v) for leg, v in s.latencies.items()},
    }


def _line(s: PhaseSummary, raw: tuple[float, float]) -> str:
    return (
        f"{s.phase}: place p50 {s.p('place', 50):.1f} p99 {s.p('place', 99):.1f} ms, "
        f"accept p50 {s.p('accept', 50):.1f} p99 {s.p('accept', 99):.1f} ms, "
        f"raw hop p50 {raw[0]:.1f} p99 {raw[1]:.1f} ms; achieved {s.achieved:.1f}/s "
        f"of {s.offered:g}, {s.completed}/{s.sent} completed, errors {s.errors or 0}"
    )


def limits(summary: PhaseSummary, cpu_ms: Mapping[str, float], cores: int) -> str:
    """What limited a phase, from its own figures: the slowest part of each leg, the CPU
    one order cost, and the rate the machine could carry at that cost."""
    parts = []
    for leg in LEGS:
        mine = {n: v for n, v in summary.stages_ms.items() if n.startswith(f"{leg}:")}
        if mine:
            name, (p50, _) = max(mine.items(), key=lambda kv: kv[1][0])
            parts.append(f"{name.split(': ', 1)[1]} ({p50:.0f} ms p50)")
    per_order = sum(cpu_ms.values())
    busiest = ", ".join(f"{n} {x:.1f}" for n, x in list(cpu_ms.items())[:3])
    ceiling = 1000 * cores / per_order if per_order else float("inf")
    saturated = summary.achieved < 0.95 * summary.offered
    head = (
        f"{summary.phase}: {'saturated' if saturated else 'kept up'} "
        f"({summary.achieved:.1f} orders/s completed); slowest part of each leg: "
        f"{'; '.join(parts) or 'unknown'}; "
    )
    if summary.completed < 0.95 * summary.sent:  # CPU went to orders that never finished
        return head + "most orders did not finish, so no CPU cost per order."
    return head + (
        f"{per_order:.0f} ms of CPU per order in this system ({busiest}), so {cores} cores "
        f"carry at most ~{ceiling:.0f} orders/s at this cost with nothing else running."
    )


def _notes(
    phases: Sequence[PhaseSummary],
    baselines: Mapping[float, tuple[float, float]],
    cpu: Mapping[str, Mapping[str, float]],
    cpu_ms: Mapping[str, Mapping[str, float]],
    peaks: Mapping[str, int],
    idle: Mapping[str, int],
    sub_errors: Sequence[str],
) -> list[str]:
    notes = [
        f"{CUSTOMER_COUNT} virtual customers (one myOrders websocket each) and the 3 demo "
        f"kitchens (one kitchen websocket each); open-loop arrivals for {PHASE_SECONDS:g} s per "
        "rate; each kitchen accepts an order as soon as its console shows it. A latency runs "
        "from the command's HTTP answer to the push on the other app's websocket (0 when the "
        "push came first). Raw baseline: one Kafka hop (relay's producer -> listener's "
        "consumer settings) at the same rates.",
    ]
    for s in phases:
        shares = dict(cpu.get(s.phase, {}))
        machine, stalled = shares.pop(MACHINE, float("nan")), shares.pop(STALLED, float("nan"))
        top = ", ".join(f"{n} {x:.0f}%" for n, x in list(shares.items())[:6])
        total = sum(shares.values())
        per_order = cpu_ms.get(s.phase, {})
        costs = ", ".join(f"{n} {x:.1f}" for n, x in list(per_order.items())[:8])
        notes.append(
            f"{s.phase}: the machine's {os.cpu_count()} cores were {machine:.0f}% busy (% of "
            f"one core) and some task waited for a CPU {stalled:.0f}% of the time; this system "
            f"used {total:.0f}%: {top}; CPU ms per order beyond idle: "
            f"{costs} ({sum(per_order.values()):.0f} in all); generator lag "
            f"p99 {s.lag_ms[1]:.1f} ms; placeOrder answered in p50 {s.command_ms['place'][0]:.1f}"
            f" / p99 {s.command_ms['place'][1]:.1f} ms, acceptOrder p50 "
            f"{s.command_ms['accept'][0]:.1f} / p99 {s.command_ms['accept'][1]:.1f} ms. "
            "Where a leg goes (p50/p99 ms): "
            + "; ".join(f"{n} {a:.1f}/{b:.1f}" for n, (a, b) in s.stages_ms.items())
            + "."
        )
    for s in phases:
        notes.append("What limits it: " + limits(s, cpu_ms.get(s.phase, {}), os.cpu_count() or 1))
    memory = ", ".join(
        f"{n} {b / 2**20:.0f} MB (idle {idle.get(n, 0) / 2**20:.0f})"
        for n, b in sorted(peaks.items())
    )
    notes.append(f"Peak RSS per process (VmHWM): {memory}.")
    if sub_errors:
        notes.append(f"Subscription errors: {'; '.join(sub_errors[:5])}")
    return notes
