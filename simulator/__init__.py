"""Traffic simulator: virtual customers, kitchens and drivers drive the three BFFs through
their public GraphQL APIs (``python -m simulator``; in process: ``await simulate(config)``).
See docs/simulator.md."""

from simulator.config import ConfigError, SimConfig
from simulator.simulation import SimulationError, simulate
from simulator.tally import Summary

__all__ = ["ConfigError", "SimConfig", "SimulationError", "Summary", "simulate"]
