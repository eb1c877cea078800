"""Simulated load for the fault tests: the simulator's virtual customers, kitchens and
drivers through the public APIs (``tests/system/traffic.py``), with every failure the
actors met kept (the summary keeps only counts and a few samples): while a process is
down its callers fail, and the fault tests count how."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.system.traffic import simulate_traffic
from tests.system.whole import System

#: the simulator's logger: its tally logs each failure as "failure <kind>: <detail>"
TALLY_LOGGER = "simulator"


class Failures(logging.Handler):
    """The simulator's failures while ``capturing``: (kind, detail) each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "failure %s: %s" and isinstance(record.args, tuple):
            kind, detail = record.args
            self.seen.append((str(kind), str(detail)))

    @contextmanager
    def capturing(self) -> Iterator[Failures]:
        logger = logging.getLogger(TALLY_LOGGER)
        logger.addHandler(self)
        try:
            yield self
        finally:
            logger.removeHandler(self)

    def of_call(self, call: str) -> int:
        """How many failures were of one call, e.g. ``placeOrder`` (no answer)."""
        return sum(1 for _, detail in self.seen if detail.startswith(f"{call}:"))

    def by_call(self) -> dict[str, int]:
        """Failures by the call or step they name (the detail's first word)."""
        return dict(Counter(detail.split(":")[0].split()[0] for _, detail in self.seen))


async def load(system: System, *, seconds: float, rate: float) -> dict[str, Any]:
    """The simulator at ``rate`` orders/s for ``seconds`` (then its drain): its summary."""
    return await simulate_traffic(system, seconds=seconds, rate=rate)
