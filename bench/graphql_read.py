"""GraphQL read path: a customer's order with its items, through the real customer BFF.

The customer BFF (``python -m bff.customer --roles api``) and a raw baseline (a plain
Starlette JSON endpoint doing the same ``find_one`` by ``_id`` on ``orders_view`` and
shaping the same JSON) each run in a process of their own, with the same uvicorn settings
as ``bff.kit.entry`` (uvloop, httptools, INFO logging with access lines). A second BFF
process runs with ``FD_GRAPHQL_CACHE=0`` (no parse/validation cache) to show what the
cache is worth. The load generator is this process: a minimal keep-alive HTTP/1.1 client
on asyncio protocols with pre-built request bytes (about 0.1 ms of CPU per request on the
2-core machine, a few % of a core, recorded with each run), so that as much CPU as
possible is left to the server and to FerretDB. Each run records the server's CPU time
per request (from /proc), the figure least disturbed by other work on a shared machine.

1. Seed: the customer listener's own rules (``bff.customer.listener.CUSTOMER`` through
   ``listeners.materializer``) over generated events write 16 customers x 16 orders,
   each placed, accepted, ready, with a driver and picked up (5 timeline steps, 2-3 items).
2. Saturation (closed loop): 16 connections, each sends its next request as soon as the
   last answer arrived; 6 rounds of 3 s in which GraphQL (cache on), GraphQL (cache off)
   and the baseline take turns, so that the other work of a shared machine disturbs all
   three alike; the req/s figures come from the round with the median GraphQL/baseline
   ratio (both from one moment), the CPU figures are the medians of the rounds.
3. Half of saturation (open loop): requests are due at a fixed rate of half of each
   server's own saturation throughput, sent on the next free connection of 16; latency is
   counted from when a request was due (no coordinated omission); 4 rounds of 3 s taking
   turns; the figures are the median round's percentiles (all rounds pooled in the notes).
4. Profile: py-spy samples each server at saturation; the samples are sorted into the
   layers of the request path (``PROFILE_LAYERS``). py-spy counts a process busy while it
   runs or waits for a CPU, so on a crowded machine a layer that wakes another process
   (a socket write to FerretDB or to the client) looks larger than its own CPU time.

``python -m bench.graphql_read serve-baseline --port N`` serves the baseline (what the
benchmark starts).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from adapters.settings import Settings
from adapters.store import store_client
from bench.common import ROOT, Figure, Result, chart_path, median, percentile
from bff.customer.listener import CUSTOMER
from bff.customer.names import DATABASE, ORDERS_VIEW
from bff.kit.auth import Authenticator
from bff.restaurant.demo import RESTAURANTS
from events import (
    Delivery,
    DeliveryAccepted,
    Event,
    Money,
    Order,
    OrderAccepted,
    OrderItem,
    OrderPickedUp,
    OrderPlaced,
    OrderReady,
)
from listeners.materializer import Materializer
from listeners.views import Views

log = logging.getLogger(__name__)

BENCHMARK = "graphql_read"
QUERY = (
    "query($id: ID!) { order(id: $id) { id status restaurantName "
    "items { name quantity unitPrice { amount currency } lineTotal { amount } } "
    "total { amount currency } timeline { step at } } }"
)
#: the benchmark's own databases on the stack (``Settings.prefix``)
PREFIX = "bench_graphql_read_"
CUSTOMERS = 16
ORDERS_PER_CUSTOMER = 16
CONCURRENCY = 16
WARMUP_SECONDS = 2.0
#: short runs, many rounds, the targets taking turns: a shared machine's other work then
#: disturbs each target alike (and the median of the rounds leaves out a disturbed one)
SATURATION_SECONDS = 3.0
SATURATION_ROUNDS = 6
HALF_RATE_SECONDS = 3.0
HALF_RATE_ROUNDS = 4
PROFILE_SECONDS = 8.0
PROFILE_RATE = 200
#: the goals of the brief
MIN_RATIO = 0.5
MAX_P99_MS = 20.0

#: the GraphQL enum names of the order steps (``bff.customer.api.order_types.StepName``)
STEP_NAMES = {
    "placed": "PLACED",
    "accepted": "ACCEPTED",
    "rejected": "REJECTED",
    "cancelled": "CANCELLED",
    "ready": "READY",
    "driverAssigned": "DRIVER_ASSIGNED",
    "pickedUp": "PICKED_UP",
    "delivered": "DELIVERED",
}
STEP_RANK = {step: rank for rank, step in enumerate(STEP_NAMES)}

#: (layer, substrings of py-spy frames): a sample counts for the layer of its innermost
#: frame that names one (a resolver's store read is the store's, its JWT check the JWT's);
#: a socket write's time in the kernel shows in the layer that wrote (the store's request,
#: uvicorn's response)
PROFILE_LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("JWT verification", ("jwt/", "bff/kit/auth.py")),
    ("store read (pymongo, bson)", ("pymongo/", "bson/")),
    ("view model (pydantic)", ("pydantic/", "pydantic_core", "bff/customer/tracking.py")),
    ("GraphQL parse", ("graphql/language/", "parser_cache.py")),
    ("GraphQL validation", ("graphql/validation/", "validation_cache.py")),
    (
        "GraphQL execution, resolvers",
        (
            "graphql/execution/",
            "graphql/pyutils/",
            "graphql/type/",
            "strawberry/schema/",
            "strawberry/types/",
            "strawberry/execution/",
            "strawberry/permission",
            "strawberry/dataloader",
            "bff/customer/",
        ),
    ),
    ("strawberry extensions", ("strawberry/extensions/",)),
    ("strawberry HTTP view, context", ("strawberry/", "cross_web/", "bff/kit/")),
    ("access log", ("logging/",)),
    ("JSON", ("json/",)),
    ("HTTP server (uvicorn, starlette)", ("uvicorn/", "starlette/", "httptools")),
)
OTHER_LAYER = "event loop, other"


# --- the baseline -------------------------------------------------------------------------


def baseline_shape(doc: Mapping[str, Any]) -> dict[str, Any]:
    """An ``orders_view`` document as the benchmark's GraphQL query answers it (``order``)."""
    order = doc["order"]
    steps: Mapping[str, int | None] = doc.get("steps") or {}
    reached = sorted((at, STEP_RANK[step], step) for step, at in steps.items() if at is not None)
    total = order["total"]
    return {
        "id": doc["_id"],
        "status": str(doc["status"]).upper().replace("-", "_"),
        "restaurantName": order["restaurantName"],
        "items": [
            {
                "name": item["name"],
                "quantity": item["quantity"],
                "unitPrice": {
                    "amount": item["unitPrice"]["amount"],
                    "currency": item["unitPrice"]["currency"],
                },
                "lineTotal": {"amount": item["unitPrice"]["amount"] * item["quantity"]},
            }
            for item in order["items"]
        ],
        "total": {"amount": total["amount"], "currency": total["currency"]},
        "timeline": [{"step": STEP_NAMES[step], "at": at} for at, _, step in reached],
    }


def baseline_app(settings: Settings) -> Any:
    """``POST /order`` with ``{"id": ...}``: the order's document shaped as the query's
    answer; ``/healthz``. No GraphQL, no auth, no view model: the floor of the read."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        mongo = store_client(settings.mongo_url)
        try:
            yield {"orders": mongo[settings.database(DATABASE)][ORDERS_VIEW]}
        finally:
            await mongo.close()

    async def order(request: Request) -> JSONResponse:
        body = await request.json()
        doc = await request.state.orders.find_one({"_id": body["id"]})
        return JSONResponse({"order": baseline_shape(doc) if doc is not None else None})

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"alive": True})

    return Starlette(
        routes=[Route("/order", order, methods=["POST"]), Route("/healthz", healthz)],
        lifespan=lifespan,
    )


def serve_baseline(port: int) -> None:
    """Serve the baseline as ``bff.kit.entry.run`` serves a BFF (same uvicorn settings)."""
    import uvicorn

    from bff.kit.entry import LOG_FORMAT

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    settings = Settings()
    config = uvicorn.Config(
        baseline_app(settings),
        host=settings.bind_host,
        port=port,
        ws="websockets-sansio",
        lifespan="on",
        timeout_graceful_shutdown=5,
        log_config=None,
    )
    uvicorn.Server(config).run()


# --- seeding ------------------------------------------------------------------------------


def order_events(order_id: str, customer_id: str, rng: random.Random, now: int) -> list[Event]:
    """One order's life up to picked up, as the services would publish it."""
    demo = rng.choice(RESTAURANTS)
    items = [
        OrderItem(
            menu_item_id=item.id, name=item.name, quantity=rng.randint(1, 3), unit_price=item.price
        )
        for item in rng.sample(demo.items, rng.randint(2, 3))
    ]
    subtotal = sum(i.unit_price.amount * i.quantity for i in items)
    placed_at = now - rng.randint(600_000, 3_600_000)
    order = Order(
        id=order_id,
        customer_id=customer_id,
        customer_name=f"Customer {customer_id}",
        restaurant_id=demo.restaurant.id,
        restaurant_name=demo.restaurant.name,
        items=items,
        subtotal=Money(amount=subtotal, currency="EUR"),
        delivery_fee=Money(amount=299, currency="EUR"),
        total=Money(amount=subtotal + 299, currency="EUR"),
        delivery_address=demo.restaurant.address,
        status="placed",
        placed_at=placed_at,
        note=None,
    )
    customer, kitchen = f"customer:{customer_id}", f"restaurant:{demo.restaurant.id}"
    accepted_at, ready_at = placed_at + 60_000, placed_at + 900_000
    assigned_at, picked_at = placed_at + 300_000, placed_at + 960_000

    def delivery(status: Any, at: int) -> Delivery:
        return Delivery(
            order_id=order_id,
            restaurant_id=demo.restaurant.id,
            customer_id=customer_id,
            driver_id="d-bench",
            driver_name="Bench Driver",
            vehicle="bicycle",
            status=status,
            accepted_at=assigned_at,
            picked_up_at=at if status == "picked-up" else None,
        )

    return [
        OrderPlaced.record(order=order, source="bff-customer", actor=customer, now_ms=placed_at),
        OrderAccepted.record(
            order=order.model_copy(update={"status": "accepted"}),
            estimated_ready_at=ready_at,
            prep_minutes=14,
            pickup_address=demo.restaurant.address,
            source="bff-restaurant",
            actor=kitchen,
            now_ms=accepted_at,
        ),
        DeliveryAccepted.record(
            delivery=delivery("accepted", assigned_at),
            source="bff-driver",
            actor="driver:d-bench",
            now_ms=assigned_at,
        ),
        OrderReady.record(
            order=order.model_copy(update={"status": "ready"}),
            source="bff-restaurant",
            actor=kitchen,
            now_ms=ready_at,
        ),
        OrderPickedUp.record(
            delivery=delivery("picked-up", picked_at),
            source="bff-driver",
            actor="driver:d-bench",
            now_ms=picked_at,
        ),
    ]


async def seed(settings: Settings) -> dict[str, list[str]]:
    """A fresh customer database with the orders, through the listener's rules; returns the
    order ids by customer id."""
    rng = random.Random(7)
    now = time.time_ns() // 1_000_000
    orders = {
        f"c-bench-{c:02d}": [f"o-bench-{c:02d}-{n:02d}" for n in range(ORDERS_PER_CUSTOMER)]
        for c in range(CUSTOMERS)
    }
    events = [
        event
        for customer_id, order_ids in orders.items()
        for order_id in order_ids
        for event in order_events(order_id, customer_id, rng, now)
    ]
    mongo = store_client(settings.mongo_url)
    try:
        name = settings.database(CUSTOMER.database)
        await mongo.drop_database(name)
        materializer = Materializer(CUSTOMER, Views(mongo[name]))
        await materializer.ensure_indexes()
        applied = await materializer.apply(events)
        if applied.failed:
            raise RuntimeError(f"seeding failed: {applied.failed[:3]}")
        count = await mongo[name][ORDERS_VIEW].count_documents({})
        if count != CUSTOMERS * ORDERS_PER_CUSTOMER:
            raise RuntimeError(f"seeded {count} orders, expected {CUSTOMERS * ORDERS_PER_CUSTOMER}")
    finally:
        await mongo.close()
    return orders


# --- a minimal keep-alive HTTP/1.1 client -------------------------------------------------


def http_request(path: str, body: bytes, headers: Mapping[str, str] = {}) -> bytes:
    """A complete ``POST`` request with a JSON body, for a keep-alive connection."""
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def parse_response(buffer: bytearray) -> tuple[int, bytes] | None:
    """(status, body) of the first complete response in ``buffer``, removed from it; None
    while it is incomplete. Needs a Content-Length (what uvicorn sends for these)."""
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    head = bytes(buffer[:head_end]).lower()
    marker = head.find(b"\r\ncontent-length:")
    if marker < 0:
        raise ValueError("a response without Content-Length")
    value_end = head.find(b"\r\n", marker + 2)
    length = int(head[marker + 17 : value_end if value_end >= 0 else len(head)].strip())
    end = head_end + 4 + length
    if len(buffer) < end:
        return None
    status = int(head[9:12])
    body = bytes(buffer[head_end + 4 : end])
    del buffer[:end]
    return status, body


class Connection(asyncio.Protocol):
    """One keep-alive connection; one request at a time."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None

    @classmethod
    async def open(cls, port: int) -> Connection:
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_connection(cls, "127.0.0.1", port)
        return protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            response = parse_response(self.buffer)
        except ValueError as exc:
            self.waiter.set_exception(exc)
            return
        if response is not None:
            self.waiter.set_result(response)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc or ConnectionError("the server closed the connection"))

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


# --- load ---------------------------------------------------------------------------------


@dataclass
class Run:
    """One load run against one server."""

    target: str
    mode: str  # "saturation" | "fixed rate"
    seconds: float
    completed: int = 0
    failed: int = 0
    #: seconds from when each request was sent (saturation) or due (fixed rate)
    latencies: list[float] = field(default_factory=list)
    rate: float | None = None
    #: CPU seconds the server process and this (load generating) process used meanwhile
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    #: the machine's 1-minute load average when the run ended
    load: float = 0.0

    @property
    def rps(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms(self) -> float:
        """The server's CPU time per answered request."""
        return self.server_cpu / self.completed * 1000 if self.completed else float("nan")

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    def summary(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "mode": self.mode,
            "seconds": round(self.seconds, 2),
            "rate": None if self.rate is None else round(self.rate, 1),
            "completed": self.completed,
            "failed": self.failed,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.ms(50), 2),
            "p90_ms": round(self.ms(90), 2),
            "p99_ms": round(self.ms(99), 2),
            "max_ms": round(max(self.latencies, default=0) * 1000, 2),
            "server_cpu_ms_per_request": round(self.server_cpu_ms, 3),
            "server_cpu_share": round(self.server_cpu / self.seconds, 3) if self.seconds else None,
            "client_cpu_share": round(self.client_cpu / self.seconds, 3) if self.seconds else None,
            "load_average": round(self.load, 2),
        }


def median_round(measured: Sequence[Run], baseline: Sequence[Run]) -> tuple[Run, Run]:
    """The round (a pair of runs one after the other) whose throughput ratio is the median
    (the lower one of an even count): both figures from the same moment of the machine."""
    pairs = sorted(zip(measured, baseline, strict=True), key=lambda pair: _ratio(*pair))
    return pairs[(len(pairs) - 1) // 2]


def _ratio(measured: Run, baseline: Run) -> float:
    return measured.rps / baseline.rps if baseline.rps else float("inf")


def pooled(runs: Sequence[Run]) -> Run:
    """Runs of one target and mode as one (their requests, latencies and CPU together)."""
    first = runs[0]
    return Run(
        first.target,
        first.mode,
        sum(r.seconds for r in runs),
        completed=sum(r.completed for r in runs),
        failed=sum(r.failed for r in runs),
        latencies=[latency for r in runs for latency in r.latencies],
        rate=first.rate,
        server_cpu=sum(r.server_cpu for r in runs),
        client_cpu=sum(r.client_cpu for r in runs),
        load=max(r.load for r in runs),
    )


@dataclass(frozen=True)
class Target:
    """A server under load and the requests each connection cycles through."""

    name: str
    port: int
    #: one list of request bytes per connection (a connection is one customer)
    requests: Sequence[Sequence[bytes]]
    #: the server's process id (for its CPU time); None: not measured
    pid: int | None = None


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used so far; 0 when unknown."""
    if pid is None:
        return 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rpartition(")")[2].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def accounted(run: Run, pid: int | None) -> Iterator[None]:
    """Records the CPU time the server and this process use while the block runs."""
    server, client = process_cpu(pid), time.process_time()
    yield
    run.server_cpu = process_cpu(pid) - server
    run.client_cpu = time.process_time() - client
    run.load = os.getloadavg()[0]


def _ok(status: int, body: bytes) -> bool:
    return status == 200 and b'"errors"' not in body and b'{"order":null' not in body


@asynccontextmanager
async def connections(port: int, count: int) -> AsyncIterator[list[Connection]]:
    opened = [await Connection.open(port) for _ in range(count)]
    try:
        yield opened
    finally:
        for connection in opened:
            connection.close()


async def saturate(target: Target, seconds: float, concurrency: int = CONCURRENCY) -> Run:
    """Closed loop: each connection sends its next request when the last one is answered."""
    run = Run(target.name, "saturation", seconds)
    async with connections(target.port, concurrency) as opened:
        deadline = time.perf_counter() + seconds

        async def client(index: int, connection: Connection) -> None:
            requests = target.requests[index % len(target.requests)]
            n = index
            while True:
                raw = requests[n % len(requests)]
                n += 1
                sent = time.perf_counter()
                if sent >= deadline:
                    return
                status, body = await connection.request(raw)
                run.latencies.append(time.perf_counter() - sent)
                if _ok(status, body):
                    run.completed += 1
                else:
                    run.failed += 1

        with accounted(run, target.pid):
            began = time.perf_counter()
            await asyncio.gather(*(client(i, c) for i, c in enumerate(opened)))
            run.seconds = time.perf_counter() - began
    return run


def due_times(start: float, rate: float, seconds: float) -> Iterator[float]:
    """When each request of a fixed-rate run is due."""
    for i in range(int(rate * seconds)):
        yield start + i / rate


async def fixed_rate(
    target: Target, rate: float, seconds: float, concurrency: int = CONCURRENCY
) -> Run:
    """Open loop: requests due at ``rate`` per second go out on the next free connection;
    latency counts from when a request was due, so a slow answer delays the ones queued
    behind it on the clock (no coordinated omission)."""
    run = Run(target.name, "fixed rate", seconds, rate=rate)
    async with connections(target.port, concurrency) as opened:
        idle: asyncio.Queue[tuple[int, Connection]] = asyncio.Queue()
        for entry in enumerate(opened):
            idle.put_nowait(entry)
        counters = [0] * concurrency
        pending: set[asyncio.Task[None]] = set()

        async def one(index: int, connection: Connection, due: float) -> None:
            requests = target.requests[index % len(target.requests)]
            raw = requests[counters[index] % len(requests)]
            counters[index] += 1
            status, body = await connection.request(raw)
            run.latencies.append(time.perf_counter() - due)
            if _ok(status, body):
                run.completed += 1
            else:
                run.failed += 1
            idle.put_nowait((index, connection))

        with accounted(run, target.pid):
            began = time.perf_counter() + 0.01
            for due in due_times(began, rate, seconds):
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                index, connection = await idle.get()
                task = asyncio.create_task(one(index, connection, due))
                pending.add(task)
                task.add_done_callback(pending.discard)
            await asyncio.gather(*pending)
            run.seconds = time.perf_counter() - began
    return run


# --- the servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a server process: the benchmark stack's clients and database
    prefix, local auth with this process's secret."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FD_")}
    env.update(
        FD_KAFKA_BOOTSTRAP=settings.kafka_bootstrap,
        FD_MONGO_URL=settings.mongo_url,
        FD_REDIS_URL=settings.redis_url,
        FD_PREFIX=settings.prefix,
        FD_AUTH_MODE="local",
        FD_AUTH_SECRET=settings.auth_secret,
        FD_AUTH_ISSUER=settings.auth_issuer,
        FD_AUTH_AUDIENCE=settings.auth_audience,
        FD_BIND_HOST="127.0.0.1",
        **extra,
    )
    return env


@dataclass
class Server:
    name: str
    port: int
    process: asyncio.subprocess.Process
    log_path: Path


@asynccontextmanager
async def serving(
    name: str, argv: Sequence[str], env: Mapping[str, str], log_dir: Path
) -> AsyncIterator[Server]:
    """A server process on a free loopback port (``{port}`` in argv), up when /healthz
    answers; stopped with SIGTERM (then SIGKILL) afterwards."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *(arg.format(port=port) for arg in argv),
            cwd=ROOT,
            env=dict(env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        server = Server(name, port, process, log_path)
        try:
            await _wait_healthy(server)
            yield server
        finally:
            await _stop(process)


async def _wait_healthy(server: Server, seconds: float = 60) -> None:
    raw = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.process.returncode is None:
        with contextlib.suppress(OSError):
            connection = await Connection.open(server.port)
            try:
                status, _ = await asyncio.wait_for(connection.request(raw), 5)
                if status == 200:
                    return
            finally:
                connection.close()
        await asyncio.sleep(0.2)
    tail = server.log_path.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"{server.name} did not come up; its log ends:\n{tail}")


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 10)
    except TimeoutError:
        process.kill()
        await process.wait()


# --- profile ------------------------------------------------------------------------------


def layer_of(stack: str) -> str:
    """The layer of one sample (``PROFILE_LAYERS``): its innermost frame's that names one."""
    for frame in reversed(stack.split(";")):
        for layer, needles in PROFILE_LAYERS:
            if any(needle in frame for needle in needles):
                return layer
    return OTHER_LAYER


def layer_shares(collapsed: Iterable[str]) -> dict[str, int]:
    """Samples per layer from py-spy's raw output: one line per distinct stack,
    ``frame;frame;... count`` (outermost frame first)."""
    counts = {layer: 0 for layer, _ in PROFILE_LAYERS}
    counts[OTHER_LAYER] = 0
    for line in collapsed:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if stack and count.isdigit():
            counts[layer_of(stack)] += int(count)
    return counts


def top_functions(collapsed: Iterable[str], limit: int = 12) -> list[tuple[str, int]]:
    """The leaf frames with the most samples (self time)."""
    counts: dict[str, int] = {}
    for line in collapsed:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        leaf = stack.rsplit(";", 1)[-1]
        counts[leaf] = counts.get(leaf, 0) + int(count)
    return sorted(counts.items(), key=lambda kv: -kv[1])[:limit]


def _py_spy() -> str | None:
    """py-spy next to this Python (the venv's), else on the PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.is_file() else shutil.which("py-spy")


async def profile(server: Server, load: Callable[[], Awaitable[Run]]) -> dict[str, Any] | None:
    """py-spy's samples of ``server`` while ``load`` runs, by layer; None without py-spy."""
    py_spy = _py_spy()
    if py_spy is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "samples.txt"
        recorder = await asyncio.create_subprocess_exec(
            py_spy,
            "record",
            "--pid",
            str(server.process.pid),
            "--rate",
            str(PROFILE_RATE),
            "--duration",
            str(int(PROFILE_SECONDS)),
            "--format",
            "raw",
            "--nonblocking",
            "--output",
            str(out),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        run = await load()
        _, err = await recorder.communicate()
        if recorder.returncode != 0 or not out.is_file():
            log.warning("py-spy failed: %s", err.decode(errors="replace")[-500:])
            return None
        lines = out.read_text().splitlines()
    layers = layer_shares(lines)
    total = sum(layers.values())
    return {
        "samples": total,
        "rate": PROFILE_RATE,
        "seconds": PROFILE_SECONDS,
        #: the fraction of the time the process was busy (py-spy leaves idle stacks out)
        "busy": round(total / (PROFILE_RATE * PROFILE_SECONDS), 3),
        "rps_while_sampled": round(run.rps, 1),
        "layers": {k: round(v / total, 3) for k, v in layers.items()} if total else layers,
        "top_self": [(name, round(n / total, 3)) for name, n in top_functions(lines)]
        if total
        else [],
    }


# --- the benchmark ------------------------------------------------------------------------


def graphql_requests(settings: Settings, orders: Mapping[str, Sequence[str]]) -> list[list[bytes]]:
    auth = Authenticator(settings, "customer")
    per_customer = []
    for customer_id, order_ids in orders.items():
        token = auth.issue(customer_id, f"Customer {customer_id}", ttl_seconds=3600)
        headers = {"Authorization": f"Bearer {token}"}
        per_customer.append(
            [
                http_request(
                    "/graphql",
                    json.dumps({"query": QUERY, "variables": {"id": i}}).encode(),
                    headers,
                )
                for i in order_ids
            ]
        )
    return per_customer


def baseline_requests(orders: Mapping[str, Sequence[str]]) -> list[list[bytes]]:
    return [
        [http_request("/order", json.dumps({"id": i}).encode()) for i in order_ids]
        for order_ids in orders.values()
    ]


async def check_same_answer(graphql: Target, baseline: Target) -> None:
    """Both servers answer the first order alike (the baseline does the same work)."""
    answers = []
    for target in (graphql, baseline):
        async with connections(target.port, 1) as (connection,):
            status, body = await connection.request(target.requests[0][0])
        if status != 200:
            raise RuntimeError(f"{target.name} answered {status}: {body[:300]!r}")
        answers.append(json.loads(body))
    graphql_answer, baseline_answer = answers
    if graphql_answer.get("data") != baseline_answer:
        raise RuntimeError(f"different answers: {graphql_answer} != {baseline_answer}")


async def measure(settings: Settings) -> Result:
    settings = settings.model_copy(update={"prefix": PREFIX})
    orders = await seed(settings)
    log_dir = Path(settings.state_dir) / "graphql_read"
    if not log_dir.is_absolute():
        log_dir = ROOT / log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    bff = ["-m", "bff.customer", "--roles", "api", "--port", "{port}"]
    async with (
        serving("graphql", bff, server_env(settings), log_dir) as cached,
        serving(
            "graphql-nocache", bff, server_env(settings, FD_GRAPHQL_CACHE="0"), log_dir
        ) as bare,
        serving(
            "baseline",
            ["-m", "bench.graphql_read", "serve-baseline", "--port", "{port}"],
            server_env(settings),
            log_dir,
        ) as raw,
    ):
        gql_requests = graphql_requests(settings, orders)
        targets = {
            "graphql": Target("graphql", cached.port, gql_requests, cached.process.pid),
            "graphql, no cache": Target(
                "graphql, no cache", bare.port, gql_requests, bare.process.pid
            ),
            "baseline": Target("baseline", raw.port, baseline_requests(orders), raw.process.pid),
        }
        await check_same_answer(targets["graphql"], targets["baseline"])
        for target in targets.values():
            await saturate(target, WARMUP_SECONDS)
        saturation: dict[str, list[Run]] = {name: [] for name in targets}
        for _ in range(SATURATION_ROUNDS):
            for name, target in targets.items():
                saturation[name].append(await saturate(target, SATURATION_SECONDS))
        rps = {name: median([r.rps for r in runs]) for name, runs in saturation.items()}
        slices: dict[str, list[Run]] = {"graphql": [], "baseline": []}
        for _ in range(HALF_RATE_ROUNDS):
            for name, runs in slices.items():
                runs.append(await fixed_rate(targets[name], rps[name] / 2, HALF_RATE_SECONDS))
        half = {name: pooled(runs) for name, runs in slices.items()}
        servers = {"graphql": cached, "graphql, no cache": bare, "baseline": raw}
        profiled = {
            name: await profile(server, partial(saturate, targets[name], PROFILE_SECONDS))
            for name, server in servers.items()
        }
    failed = sum(r.failed for runs in saturation.values() for r in runs)
    failed += sum(r.failed for r in half.values())
    if failed:
        raise RuntimeError(f"{failed} requests failed; logs in {log_dir}")
    return _result(rps, saturation, half, slices, profiled)


def _result(
    rps: dict[str, float],
    saturation: dict[str, list[Run]],
    half: dict[str, Run],
    slices: dict[str, list[Run]],
    profiled: dict[str, dict[str, Any] | None],
) -> Result:
    gql, base = half["graphql"], half["baseline"]
    p50 = {name: median([r.ms(50) for r in runs]) for name, runs in slices.items()}
    p99 = {name: median([r.ms(99) for r in runs]) for name, runs in slices.items()}
    cpu = {name: median([r.server_cpu_ms for r in runs]) for name, runs in saturation.items()}
    cached, raw = median_round(saturation["graphql"], saturation["baseline"])
    bare, raw_too = median_round(saturation["graphql, no cache"], saturation["baseline"])
    figures = [
        Figure(
            "requests/s at saturation (16 connections)",
            cached.rps,
            "req/s",
            baseline=raw.rps,
            goal=f">= {MIN_RATIO} of baseline",
            met=cached.rps / raw.rps >= MIN_RATIO,
        ),
        Figure(
            "requests/s without the parse/validation cache",
            bare.rps,
            "req/s",
            baseline=raw_too.rps,
        ),
        Figure(
            "server CPU per request at saturation",
            cpu["graphql"],
            "ms",
            baseline=cpu["baseline"],
        ),
        Figure(
            "p50 at half of saturation (median round)",
            p50["graphql"],
            "ms",
            baseline=p50["baseline"],
        ),
        Figure(
            "p99 at half of saturation (median round)",
            p99["graphql"],
            "ms",
            baseline=p99["baseline"],
            goal=f"< {MAX_P99_MS:.0f} ms",
            met=p99["graphql"] < MAX_P99_MS,
        ),
    ]
    runs = saturation["graphql"], saturation["graphql, no cache"], saturation["baseline"]
    ratios = [_ratio(g, b) for g, _, b in zip(*runs, strict=True)]
    gains = [_ratio(g, n) for g, n, _ in zip(*runs, strict=True)]
    notes = [
        f"Saturation, the round with the median ratio (GraphQL and the baseline one after "
        f"the other): GraphQL {cached.rps:,.0f} req/s vs baseline {raw.rps:,.0f} req/s "
        f"(ratio {cached.rps / raw.rps:.2f}; the rounds' ratios range from {min(ratios):.2f} "
        f"to {max(ratios):.2f}). Medians of the rounds: GraphQL {rps['graphql']:,.0f}, "
        f"without the parse/validation cache {rps['graphql, no cache']:,.0f}, baseline "
        f"{rps['baseline']:,.0f} req/s; the cache multiplies req/s by {median(gains):.2f} "
        f"(median of the rounds).",
        f"At half of saturation ({gql.rate:,.0f} req/s), median of {len(slices['graphql'])} "
        f"rounds of {HALF_RATE_SECONDS:.0f} s: GraphQL p50 {p50['graphql']:.1f} ms, p99 "
        f"{p99['graphql']:.1f} ms; the baseline at {base.rate:,.0f} req/s p50 "
        f"{p50['baseline']:.1f} ms, p99 {p99['baseline']:.1f} ms. All rounds pooled: GraphQL "
        f"p99 {gql.ms(99):.1f} ms (worst round {max(r.ms(99) for r in slices['graphql']):.1f}"
        f" ms), baseline p99 {base.ms(99):.1f} ms (worst round "
        f"{max(r.ms(99) for r in slices['baseline']):.1f} ms): a round the machine's other "
        f"work disturbed shows in the pooled figures.",
    ]
    notes.append(
        f"Server CPU per request: GraphQL {cpu['graphql']:.2f} ms, without the cache "
        f"{cpu['graphql, no cache']:.2f} ms, baseline {cpu['baseline']:.2f} ms."
    )
    for name, found in profiled.items():
        if not found:
            continue
        layers = ", ".join(
            f"{layer} {share:.0%}" for layer, share in found["layers"].items() if share >= 0.01
        )
        notes.append(
            f"Profile of {name} at saturation ({found['rps_while_sampled']:,.0f} req/s; py-spy, "
            f"{found['samples']} samples, busy {found['busy']:.0%} of the time): {layers}."
        )
    series: dict[str, Any] = {
        "saturation": {name: [r.summary() for r in runs] for name, runs in saturation.items()},
        "half_saturation": {name: run.summary() for name, run in half.items()},
        "half_saturation_slices": {
            name: [r.summary() for r in runs] for name, runs in slices.items()
        },
        "server_cpu_ms_per_request": cpu,
        "profile": profiled,
        "query": QUERY,
        "concurrency": CONCURRENCY,
        "orders": CUSTOMERS * ORDERS_PER_CUSTOMER,
    }
    _chart(saturation, slices)
    return Result(
        benchmark=BENCHMARK,
        title="GraphQL read path",
        figures=figures,
        notes=notes,
        series=series,
    )


def _chart(saturation: Mapping[str, Sequence[Run]], slices: Mapping[str, Sequence[Run]]) -> None:
    """Saturation req/s and server CPU per request (bars: medians, dots: the rounds), and
    the latency percentiles at half of saturation (medians of the rounds)."""
    import matplotlib  # imported when a chart is drawn (slow to import)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bench.charts import BASELINE, MEASURED

    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(12, 3.8), dpi=100)
    names = list(saturation)
    colors = [MEASURED, "#93c5fd", BASELINE]
    labels = [name.replace(", ", ",\n") for name in names]
    for ax, figure, unit, title in (
        (left, "rps", "req/s", f"saturation, {CONCURRENCY} connections"),
        (middle, "server_cpu_ms", "ms", "server CPU per request"),
    ):
        rounds = [[getattr(run, figure) for run in saturation[n]] for n in names]
        ax.bar(labels, [median(values) for values in rounds], color=colors)
        for x, values in enumerate(rounds):
            ax.plot([x] * len(values), values, "o", color="#111827", markersize=3, alpha=0.6)
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
    percentiles = ["p50", "p90", "p99"]
    xs = range(len(percentiles))
    width = 0.38
    for offset, name, color in (
        (-width / 2, "graphql", MEASURED),
        (width / 2, "baseline", BASELINE),
    ):
        runs = slices[name]
        right.bar(
            [x + offset for x in xs],
            [median([r.ms(p) for r in runs]) for p in (50, 90, 99)],
            width,
            color=color,
            label=f"{name} at {runs[0].rate or 0:,.0f} req/s",
        )
    right.axhline(MAX_P99_MS, color="#dc2626", linestyle="--", linewidth=1, label="p99 goal")
    right.set_xticks(list(xs), percentiles)
    right.set_ylabel("ms (median round)")
    right.set_title("latency at half of saturation")
    right.legend(frameon=False, fontsize=8)
    right.grid(axis="y", alpha=0.3)
    fig.suptitle("GraphQL read path: a customer's order with its items")
    fig.tight_layout()
    fig.savefig(chart_path(BENCHMARK))
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graphql_read")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve-baseline", help="serve the raw baseline")
    serve.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.command == "serve-baseline":
        serve_baseline(args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
