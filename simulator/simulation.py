"""One run: kitchens and drivers take their places, customers arrive at the rate for the
duration, the orders in flight get ``drain`` seconds to end, and the tally becomes the
``Summary``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

import httpx

from adapters.settings import Settings
from bff.kit.auth import Authenticator
from bff.restaurant.demo import IDENTITIES
from simulator.client import GraphQL, Subscription, Unexpected
from simulator.config import Pace, SimConfig
from simulator.customers import Customers
from simulator.drivers import VEHICLES, Driver, DriverApi, driver_ids, starting_point
from simulator.kitchens import KITCHEN_UPDATES, Kitchen
from simulator.ledger import Ledger
from simulator.schedule import arrival_offsets
from simulator.tally import Summary, Tally, summarize

log = logging.getLogger("simulator")
#: seconds the kitchens and drivers get to connect and go online
STARTUP = 20.0
#: seconds the drivers get to finish the step they are in after the drain
GRACE = 5.0
#: how long an actor whose call failed waits before it starts again (``_keep``)
RETRY_AFTER = 1.0
#: seconds without a leftover of an earlier run delivered before the run starts anyway
STALL = 15.0
RESTAURANT_NAMES = {identity.id: identity.name for identity in IDENTITIES}


class SimulationError(Exception):
    """The run could not start (a BFF is not there, no restaurant to order from)."""


class Tokens:
    """Bearer tokens the way the dev sign-in issues them (local auth mode)."""

    def __init__(self, settings: Settings) -> None:
        self._authenticators = {
            role: Authenticator(settings, role) for role in ("customer", "restaurant", "driver")
        }
        self._issued: dict[tuple[str, str], str] = {}

    def __call__(self, role: str, actor_id: str) -> str:
        key = (role, actor_id)
        if key not in self._issued:
            self._issued[key] = self._authenticators[role].issue(actor_id, _name(role, actor_id))
        return self._issued[key]


def _name(role: str, actor_id: str) -> str:
    if role == "restaurant":
        return RESTAURANT_NAMES.get(actor_id, actor_id)
    number = actor_id.rsplit("-", 1)[-1]
    return f"Sim {role.capitalize()} {number}"


async def preflight(http: httpx.AsyncClient, config: SimConfig) -> None:
    """Each BFF answers its health check, else SimulationError saying how to start it."""
    for name, url in config.urls.items():
        try:
            response = await http.get(url.rstrip("/") + "/healthz", timeout=5)
        except httpx.TransportError as exc:
            raise SimulationError(
                f"the {name} BFF does not answer at {url} ({type(exc).__name__}); "
                f"start it with: python -m bff.{name}"
            ) from exc
        if response.status_code != 200:
            raise SimulationError(f"the {name} BFF at {url} is not healthy: {response.status_code}")


async def simulate(
    config: SimConfig,
    *,
    settings: Settings | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> Summary:
    """Run the simulation ``config`` describes against the three BFFs; the summary says
    what happened (``summary.ok``: no failures). SimulationError if it cannot start."""
    config.validate()
    tokens = Tokens(settings or Settings())
    rng = random.Random(config.seed)
    pace = Pace(config.speed)
    ledger, tally = Ledger(), Tally()
    loop = asyncio.get_running_loop()
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
    async with httpx.AsyncClient(timeout=20.0, limits=limits, trust_env=False) as http:
        await preflight(http, config)
        customers = Customers(
            config, pace, http, partial(tokens, "customer"), ledger, tally, _fork(rng)
        )
        try:
            venues = await customers.catalog.refresh()
        except Unexpected as exc:
            raise SimulationError(f"the catalog could not be read: {exc}") from exc
        if not venues:
            raise SimulationError(
                f"no open restaurant with a menu among {', '.join(config.kitchens)} in the "
                "customer app: seed them with python -m bff.restaurant.demo"
            )
        kitchens = {
            rid: _kitchen(rid, config, pace, http, tokens, ledger, tally, _fork(rng))
            for rid in config.kitchens
        }

        async def ready_now(restaurant_id: str, order_id: str) -> bool:
            kitchen = kitchens.get(restaurant_id)
            return kitchen is not None and await kitchen.ready_now(order_id)

        places = [venue.location for venue in venues]
        drivers = [
            _driver(did, config, pace, http, tokens, ledger, tally, _fork(rng), places, ready_now)
            for did in driver_ids(config.drivers)
        ]
        actors = [
            *(_keep(tally, f"kitchen {k.restaurant_id}", k.run) for k in kitchens.values()),
            *(_keep(tally, f"driver {d.id}", d.run) for d in drivers),
            _keep(tally, "catalog", customers.keep_catalog_fresh),
        ]
        visits: set[asyncio.Task[None]] = set()
        start = loop.time()
        try:
            await _take_places(kitchens.values(), drivers, tally)
            await _clear_leftovers(ledger, config.drain, on_progress)
            start = loop.time()
            actors.append(_spawn(tally, "progress", _progress(config, tally, ledger, on_progress)))
            arrivals = arrival_offsets(config.rate, config.duration, rng, config.arrivals)
            for index, offset in enumerate(arrivals):
                await asyncio.sleep(max(0.0, start + offset - loop.time()))
                visit = _spawn(tally, "customer", customers.visit(index))
                visits.add(visit)
                visit.add_done_callback(visits.discard)
            await asyncio.sleep(max(0.0, start + config.duration - loop.time()))
            drained_by = loop.time() + config.drain
            if visits:
                await asyncio.wait(set(visits), timeout=config.drain)
            # a customer may see "delivered" before the driver's answer arrived
            await _until_idle(drivers, max(GRACE, drained_by - loop.time()))
            for track in ledger.unfinished():  # last look: a push may have been lost
                await customers.check(customers.api(track.customer_id), track)
        finally:
            await _cancel([*visits, *actors])
            await asyncio.gather(*(driver.stop() for driver in drivers))
        elapsed = loop.time() - start
        if on_progress is not None:
            on_progress(tally.progress_line(elapsed, len(ledger.unfinished())))
        return summarize(config, tally, ledger, elapsed)


def _fork(rng: random.Random) -> random.Random:
    return random.Random(rng.getrandbits(64))


def _kitchen(
    restaurant_id: str,
    config: SimConfig,
    pace: Pace,
    http: httpx.AsyncClient,
    tokens: Tokens,
    ledger: Ledger,
    tally: Tally,
    rng: random.Random,
) -> Kitchen:
    token = tokens("restaurant", restaurant_id)

    def subscription() -> Subscription:
        return Subscription(
            config.restaurant_url, token, KITCHEN_UPDATES, "kitchen", on_problem=tally.fail
        )

    api = GraphQL(http, config.restaurant_url, token, observe=tally.latency)
    return Kitchen(restaurant_id, api, subscription, config, pace, ledger, tally, rng)


def _driver(
    driver_id: str,
    config: SimConfig,
    pace: Pace,
    http: httpx.AsyncClient,
    tokens: Tokens,
    ledger: Ledger,
    tally: Tally,
    rng: random.Random,
    places: list[Any],
    ready_now: Callable[[str, str], Coroutine[Any, Any, bool]],
) -> Driver:
    token = tokens("driver", driver_id)

    def subscription(document: str, field: str) -> Subscription:
        return Subscription(config.driver_url, token, document, field, on_problem=tally.fail)

    return Driver(
        driver_id,
        DriverApi(GraphQL(http, config.driver_url, token, observe=tally.latency)),
        subscription,
        config,
        pace,
        ledger,
        tally,
        rng,
        home=starting_point(places, rng),
        vehicle=rng.choice(VEHICLES),
        ready_now=ready_now,
    )


def _spawn(tally: Tally, name: str, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    async def guarded() -> None:
        try:
            await work
        except Unexpected as exc:
            tally.fail(exc.kind, f"{name}: {exc.detail}")
        except Exception as exc:  # a bug or an answer of an unexpected shape: keep going
            log.exception("%s crashed", name)
            tally.fail("crash", f"{name}: {exc!r}")

    return asyncio.create_task(guarded(), name=name)


def _keep(
    tally: Tally, name: str, work: Callable[[], Coroutine[Any, Any, None]]
) -> asyncio.Task[None]:
    """A kitchen, driver or the catalog for the whole run: an actor whose call failed
    (its API restarting, say) is counted as a failure and starts again after a second,
    as a person would retry, instead of leaving its orders unfinished for good."""

    async def again() -> None:
        while True:
            await _spawn(tally, name, work())
            await asyncio.sleep(RETRY_AFTER)

    return asyncio.create_task(again(), name=name)


async def _take_places(kitchens: Any, drivers: list[Driver], tally: Tally) -> None:
    """Until every kitchen follows its tickets and every driver is online (or STARTUP)."""
    waits = [k.ready_to_serve.wait() for k in kitchens] + [d.online.wait() for d in drivers]
    try:
        async with asyncio.timeout(STARTUP):
            await asyncio.gather(*waits)
    except TimeoutError:
        late = [k.restaurant_id for k in kitchens if not k.ready_to_serve.is_set()]
        late += [d.id for d in drivers if not d.online.is_set()]
        tally.fail("startup", f"not ready after {STARTUP:.0f} s: {', '.join(late)}")


async def _clear_leftovers(
    ledger: Ledger, seconds: float, on_progress: Callable[[str], None] | None
) -> None:
    """Give the drivers up to ``seconds`` to deliver what earlier runs left behind, so
    that this run starts on a clean board; stop waiting when none was delivered for
    ``STALL`` seconds (what remains is delivered along the way, if it can be)."""
    if not ledger.leftovers:
        return
    say = on_progress or log.info
    count = len(ledger.leftovers)
    say(f"delivering {count} orders that earlier runs left unfinished first")
    loop = asyncio.get_running_loop()
    started = loop.time()
    until = started + seconds
    while ledger.leftovers and loop.time() < until:
        before = len(ledger.leftovers)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(min(STALL, max(0.0, until - loop.time()))):
                await ledger.leftovers_cleared.wait()
        if len(ledger.leftovers) == before:
            break
    left = len(ledger.leftovers)
    say(f"{count - left} of them delivered in {loop.time() - started:.0f} s; {left} left")


async def _until_idle(drivers: list[Driver], seconds: float) -> None:
    """Until no driver is on a delivery any more (or ``seconds`` passed); from now on
    drivers take no new offers."""
    for driver in drivers:
        driver.winding_down.set()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await asyncio.gather(*(driver.idle.wait() for driver in drivers))


async def _progress(
    config: SimConfig, tally: Tally, ledger: Ledger, on_progress: Callable[[str], None] | None
) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    while True:
        await asyncio.sleep(config.progress_every)
        line = tally.progress_line(loop.time() - start, len(ledger.unfinished()))
        if on_progress is not None:
            on_progress(line)
        else:
            log.info("%s", line)


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
