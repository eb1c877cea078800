"""The local runner: the system's processes, and the supervisor that runs them (prefixed
output, restarts with backoff, everything stopped together). Tiny Python programs stand
in for the services."""

from __future__ import annotations

import asyncio
import sys

import pytest

from runner import supervisor as supervising
from runner.plan import Program, app_urls, plan
from runner.supervisor import Supervisor


def test_the_plan_runs_each_bff_role_apart_and_the_lake() -> None:
    programs = plan({"driver": 18003})
    names = [p.name for p in programs]
    assert names == [
        *(
            f"{bff}-{role}"
            for bff in ("customer", "restaurant", "driver")
            for role in ("api", "listener", "trigger")
        ),
        "lake",
    ]
    apis = {p.name: p.port for p in programs if p.port is not None}
    assert apis == {"customer-api": 8001, "restaurant-api": 8002, "driver-api": 18003}
    driver_api = next(p for p in programs if p.name == "driver-api")
    assert driver_api.argv[-4:] == ("--roles", "api", "--port", "18003")
    assert app_urls()["restaurant"] == "http://127.0.0.1:8002/dev/signin"


def program(name: str, code: str) -> Program:
    return Program(name, (sys.executable, "-u", "-c", code))


async def test_output_is_prefixed_and_a_crashed_program_is_restarted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines: list[str] = []
    twice = asyncio.Event()

    def say(line: str) -> None:
        lines.append(line)
        if lines.count("crasher | up") == 2:
            twice.set()

    crash = program("crasher", "print('up'); raise SystemExit(3)")
    steady = program("steady", "import time; print('ready'); time.sleep(60)")
    monkeypatch.setattr(supervising, "MAX_BACKOFF_SECONDS", 0.05)  # fast restarts here
    runner = Supervisor([crash, steady], say=say, colour=False)
    await runner.start()
    try:
        async with asyncio.timeout(10):
            await twice.wait()
    finally:
        await runner.stop()
    assert "steady  | ready" in lines
    assert "crasher | exited with code 3" in lines
    assert any(line.startswith("crasher | restarting in") for line in lines)
    assert not runner.alive("steady") and not runner.alive("crasher")
