"""What one simulation run does: how many orders, how the actors behave, how fast, and
where the three BFFs are."""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from bff.restaurant.demo import IDENTITIES

#: the demo restaurants (``python -m bff.restaurant.demo``): one simulated kitchen each
DEMO_KITCHENS: tuple[str, ...] = tuple(identity.id for identity in IDENTITIES)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

Arrivals = Literal["poisson", "even"]


class ConfigError(ValueError):
    """A setting that makes no sense; the message says which and why."""


@dataclass(frozen=True, slots=True)
class SimConfig:
    #: orders per second (customers arriving)
    rate: float = 1.0
    #: seconds during which customers arrive
    duration: float = 60.0
    #: virtual drivers
    drivers: int = 6
    #: share of new orders a kitchen turns down
    reject_share: float = 0.1
    #: share of customers who cancel shortly after placing
    cancel_share: float = 0.1
    #: pace of every think, prep and ride delay: 2.0 is twice as fast as 1.0
    speed: float = 1.0
    #: seconds to wait after ``duration`` for the orders in flight to finish
    drain: float = 60.0
    customer_url: str = "http://127.0.0.1:8001"
    restaurant_url: str = "http://127.0.0.1:8002"
    driver_url: str = "http://127.0.0.1:8003"
    #: seeds the actors' choices (the ids of the run stay unique either way)
    seed: int | None = None
    #: ``poisson`` (random gaps, mean 1/rate) or ``even`` (one every 1/rate seconds)
    arrivals: Arrivals = "poisson"
    #: distinct virtual customer ids the orders are spread over (c-sim-0001 ...)
    customers: int = 50
    #: restaurants that get a simulated kitchen; customers order only from these
    kitchens: tuple[str, ...] = DEMO_KITCHENS
    #: drop-off addresses lie within this many km of the restaurant
    dropoff_km: float = 3.0
    #: seconds between progress lines
    progress_every: float = 5.0
    #: seconds between fallback re-reads when no push came (not scaled by ``speed``)
    poll_every: float = 5.0
    #: seconds between catalog refreshes
    catalog_every: float = 30.0
    #: allow BFF URLs that are not on this machine
    allow_remote: bool = False
    #: names this run in request keys and logs
    run_id: str = field(default_factory=lambda: secrets.token_hex(3))

    def validate(self) -> SimConfig:
        """The config itself; ConfigError naming the first setting that is off."""
        if not self.rate > 0:
            raise ConfigError("--rate must be above 0 orders per second")
        if not self.duration > 0:
            raise ConfigError("--duration must be above 0 seconds")
        if self.drivers < 1:
            raise ConfigError("--drivers must be at least 1")
        for name, share in (
            ("reject-share", self.reject_share),
            ("cancel-share", self.cancel_share),
        ):
            if not 0.0 <= share <= 1.0:
                raise ConfigError(f"--{name} must be between 0 and 1")
        if not self.speed > 0:
            raise ConfigError("--speed must be above 0")
        if self.drain < 0:
            raise ConfigError("--drain must not be negative")
        if self.customers < 1:
            raise ConfigError("--customers must be at least 1")
        if not self.kitchens:
            raise ConfigError("at least one restaurant needs a simulated kitchen")
        if not 0.2 < self.dropoff_km <= 15:
            raise ConfigError("drop-offs must lie between 0.2 and 15 km from the restaurant")
        if self.arrivals not in ("poisson", "even"):
            raise ConfigError("--arrivals is poisson or even")
        for name, value in (
            ("progress-every", self.progress_every),
            ("poll-every", self.poll_every),
        ):
            if not value > 0:
                raise ConfigError(f"--{name} must be above 0 seconds")
        for name, url in self.urls.items():
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigError(f"--{name}-url must be an http(s) URL, not {url!r}")
            if not self.allow_remote and parts.hostname not in LOOPBACK_HOSTS:
                raise ConfigError(
                    f"--{name}-url {url!r} is not on this machine (pass --allow-remote to mean it)"
                )
        return self

    @property
    def urls(self) -> dict[str, str]:
        return {
            "customer": self.customer_url,
            "restaurant": self.restaurant_url,
            "driver": self.driver_url,
        }


@dataclass(frozen=True, slots=True)
class Pace:
    """How long people take, in seconds at ``speed`` 1 (divided by ``speed``). With the
    defaults an order takes about 5-15 s from placing to the door."""

    speed: float = 1.0
    #: a customer who cancels does so this long after placing
    cancel_after: tuple[float, float] = (0.3, 1.5)
    #: a kitchen looks at a new ticket this long before deciding
    think: tuple[float, float] = (0.5, 2.0)
    #: real seconds one minute of ``prepMinutes`` takes
    prep_minute: float = 0.25
    #: a driver looks at an offer this long before accepting it
    react: tuple[float, float] = (0.2, 1.0)
    #: riding to the restaurant after accepting
    to_pickup: tuple[float, float] = (0.5, 1.5)
    #: each leg of the ride to the drop-off (2-3 legs, a location report after each)
    leg: tuple[float, float] = (0.6, 1.2)

    def delay(self, span: tuple[float, float], rng: random.Random) -> float:
        low, high = span
        return rng.uniform(low, high) / self.speed

    def prep(self, minutes: int) -> float:
        return minutes * self.prep_minute / self.speed

    def driver_seconds(self) -> float:
        """About how long a driver is busy with one order: look, ride to the restaurant,
        wait for the rest of the prep (the offer opens when the kitchen accepts), ride
        2.5 legs; plus about a second of API calls, which ``speed`` does not shorten."""

        def mean(span: tuple[float, float]) -> float:
            return (span[0] + span[1]) / 2

        before_pickup = mean(self.react) + mean(self.to_pickup)
        prep = 12.5 * self.prep_minute  # prepMinutes 5-20
        busy = max(before_pickup, prep) + 2.5 * mean(self.leg)
        return busy / self.speed + 1.0


def capacity_warning(config: SimConfig) -> str | None:
    """A warning when the drivers cannot keep up with the rate (orders will queue up)."""
    seconds = Pace(config.speed).driver_seconds()
    capacity = config.drivers / seconds
    demand = config.rate * (1 - config.reject_share) * (1 - 0.8 * config.cancel_share)
    if demand <= capacity:
        return None
    needed = math.ceil(demand * seconds * 1.2)
    return (
        f"{config.drivers} drivers deliver about {capacity:.1f} orders/s at speed "
        f"{config.speed:g}, but about {demand:.1f} orders/s need one: orders will queue "
        f"up (try --drivers {needed})"
    )
