"""When customers arrive: offsets in seconds from the start of the run."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator


def arrival_offsets(rate: float, duration: float, rng: random.Random, kind: str) -> Iterator[float]:
    """Offsets in [0, duration) at ``rate`` per second on average: ``even`` one every
    1/rate seconds (starting at 0), ``poisson`` with exponential gaps (a Poisson process)."""
    if rate <= 0 or duration <= 0:
        return
    if kind == "even":
        count = math.ceil(duration * rate - 1e-9)
        for index in range(count):
            yield index / rate
        return
    if kind != "poisson":
        raise ValueError(f"unknown arrivals {kind!r}: poisson or even")
    at = rng.expovariate(rate)
    while at < duration:
        yield at
        at += rng.expovariate(rate)
