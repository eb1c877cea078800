"""What every benchmark shares: the stack it runs on, timing and percentiles, the result
it writes (``bench/results/<name>.json`` and ``.png``), the machine it ran on.

A benchmark module has ``async def measure(settings: Settings) -> Result`` (the stack is
up, the topic exists) and writes its chart with ``bench.charts``. ``python -m bench`` runs
them all on one stack and rewrites the results table in bench/README.md.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from adapters.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

#: the benchmark stack: its own ports and state, apart from `make run` and `make test`
BENCH_ENV = {
    "FD_STATE_DIR": ".local/bench-stack",
    "FD_KAFKA_PORT": "29092",
    "FD_KAFKA_CONTROLLER_PORT": "29093",
    "FD_MONGO_PORT": "47017",
    "FD_REDIS_PORT": "26379",
    # the per-actor mutation limit stays on (its Redis round trip is part of every
    # mutation measured) but never refuses: end_to_end drives 200 orders/s through a few
    # kitchens, far above any real actor's pace
    "FD_RATE_LIMIT": "1000000000",
}


def bench_settings(**changes: Any) -> Settings:
    """Settings of the benchmark stack (``BENCH_ENV`` unless the environment says else)."""
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    return Settings(**changes)


@dataclass
class Figure:
    """One measured figure, its raw baseline from the same run, and the goal."""

    name: str
    value: float
    unit: str
    #: the raw baseline's figure in the same unit (None: no baseline for this figure)
    baseline: float | None = None
    #: e.g. ">= 0.5 of baseline", "< 20 ms"
    goal: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline


@dataclass
class Result:
    benchmark: str
    title: str
    figures: list[Figure]
    #: what limits it, what was changed, how to read the figures
    notes: list[str] = field(default_factory=list)
    #: raw series for the chart and for later comparison
    series: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=lambda: machine())
    finished_at: str = field(
        default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for figure, raw in zip(self.figures, data["figures"], strict=True):
            raw["ratio"] = figure.ratio
        return data


def machine() -> dict[str, Any]:
    """What the figures were measured on (shared machines drift: compare ratios)."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def save(result: Result) -> Path:
    """Write ``bench/results/<benchmark>.json``; returns its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result.benchmark}.json"
    path.write_text(json.dumps(result.to_json(), indent=2, sort_keys=False) + "\n")
    return path


def chart_path(benchmark: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS / f"{benchmark}.png"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Stopwatch:
    """``with Stopwatch() as t: ...`` then ``t.seconds``."""

    def __enter__(self) -> Stopwatch:
        self.started = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self.started
