"""Simulated traffic against the running system: the simulator's virtual customers,
kitchens and drivers, through the public GraphQL APIs, in process."""

from __future__ import annotations

import dataclasses
from typing import Any

from simulator import SimConfig, simulate
from tests.system.whole import System


async def simulate_traffic(system: System, *, seconds: float, rate: float = 1.0) -> dict[str, Any]:
    """Run the simulator for ``seconds`` at ``rate`` orders/s (then drain); its summary."""
    config = SimConfig(
        rate=rate,
        duration=seconds,
        drivers=8,
        speed=2.0,
        drain=90.0,
        seed=11,
        customer_url=system.url("customer"),
        restaurant_url=system.url("restaurant"),
        driver_url=system.url("driver"),
        progress_every=15.0,
    )
    summary = await simulate(config, settings=system.settings, on_progress=print)
    return dataclasses.asdict(summary)
