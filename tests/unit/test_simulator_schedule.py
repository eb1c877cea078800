"""When the simulator's customers arrive, and what a run may be configured to do."""

from __future__ import annotations

import random

import pytest

from simulator.config import ConfigError, Pace, SimConfig, capacity_warning
from simulator.schedule import arrival_offsets


def test_even_arrivals_are_evenly_spaced() -> None:
    rng = random.Random(1)
    assert list(arrival_offsets(2.0, 5.0, rng, "even")) == [n / 2 for n in range(10)]
    assert list(arrival_offsets(3.0, 1.0, rng, "even")) == pytest.approx([0.0, 1 / 3, 2 / 3])
    assert list(arrival_offsets(1.0, 1.5, rng, "even")) == [0.0, 1.0]


def test_poisson_arrivals_keep_the_rate_on_average() -> None:
    offsets = list(arrival_offsets(3.0, 1000.0, random.Random(11), "poisson"))
    assert offsets == sorted(offsets)
    assert all(0 <= at < 1000.0 for at in offsets)
    # 3000 expected, standard deviation about 55
    assert abs(len(offsets) - 3000) < 250
    again = list(arrival_offsets(3.0, 1000.0, random.Random(11), "poisson"))
    assert again == offsets  # the seed decides


def test_no_arrivals_and_unknown_kinds() -> None:
    rng = random.Random(1)
    assert list(arrival_offsets(0.0, 10.0, rng, "even")) == []
    assert list(arrival_offsets(1.0, 0.0, rng, "poisson")) == []
    with pytest.raises(ValueError):
        list(arrival_offsets(1.0, 1.0, rng, "bursty"))


def test_config_defaults_are_valid() -> None:
    config = SimConfig().validate()
    assert config.kitchens == ("r-trattoria", "r-sakura", "r-curry")
    assert config.drivers == 6 and config.reject_share == 0.1 and config.cancel_share == 0.1
    assert SimConfig().run_id != SimConfig().run_id


@pytest.mark.parametrize(
    ("changes", "mentions"),
    [
        ({"rate": 0.0}, "--rate"),
        ({"duration": -1.0}, "--duration"),
        ({"drivers": 0}, "--drivers"),
        ({"reject_share": 1.5}, "--reject-share"),
        ({"cancel_share": -0.1}, "--cancel-share"),
        ({"speed": 0.0}, "--speed"),
        ({"drain": -5.0}, "--drain"),
        ({"kitchens": ()}, "kitchen"),
        ({"customer_url": "ftp://127.0.0.1:8001"}, "--customer-url"),
        ({"driver_url": "http://example.com:8003"}, "--allow-remote"),
    ],
)
def test_config_refuses_what_makes_no_sense(changes: dict[str, object], mentions: str) -> None:
    with pytest.raises(ConfigError, match=mentions):
        SimConfig(**changes).validate()  # type: ignore[arg-type]


def test_remote_urls_when_meant() -> None:
    SimConfig(driver_url="http://example.com:8003", allow_remote=True).validate()


def test_pace_scales_every_delay() -> None:
    rng = random.Random(5)
    slow, fast = Pace(1.0), Pace(4.0)
    assert fast.prep(20) == pytest.approx(slow.prep(20) / 4) == pytest.approx(5.0 / 4)
    delays = [fast.delay(fast.think, rng) for _ in range(200)]
    assert all(0.5 / 4 <= d <= 2.0 / 4 for d in delays)
    assert fast.driver_seconds() < slow.driver_seconds()


def test_capacity_warning_when_drivers_cannot_keep_up() -> None:
    assert capacity_warning(SimConfig(rate=1.0, drivers=6)) is None
    warning = capacity_warning(SimConfig(rate=3.0, drivers=6))
    assert warning is not None and "--drivers" in warning
    assert capacity_warning(SimConfig(rate=3.0, drivers=40)) is None
