"""The whole system as one async context: every process of ``plan`` under a supervisor,
ready (each API answers ``/readyz``) and seeded, then stopped on exit.

``python -m runner`` uses it around the local stack; the end-to-end tests use it on the
test stack (their ``FD_*`` environment and ports).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx

from devstack.process import port_open
from runner.plan import Program, plan, python
from runner.supervisor import Printer, Supervisor, _stdout

READY_SECONDS = 90.0
#: seeding through the BFFs' own commands (idempotent: a second run registers nothing)
SEEDS: tuple[Program, ...] = (Program("seed", python("-m", "bff.restaurant.demo")),)


class NotReady(RuntimeError):
    pass


async def wait_ready(supervisor: Supervisor, host: str = "127.0.0.1") -> None:
    """Until every API process answers /readyz with 200 (its stack clients connected)."""
    pending = {p.name: p.port for p in supervisor.programs if p.port is not None}
    deadline = time.monotonic() + READY_SECONDS
    async with httpx.AsyncClient(timeout=2.0) as client:
        while pending:
            for name, port in list(pending.items()):
                try:
                    answer = await client.get(f"http://{host}:{port}/readyz")
                except httpx.HTTPError:
                    continue
                if answer.status_code == 200:
                    del pending[name]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise NotReady(f"not ready after {READY_SECONDS:.0f}s: {', '.join(pending)}")
            await asyncio.sleep(0.3)


async def run_once(program: Program, env: Mapping[str, str], say: Printer) -> None:
    """Run a one-shot program (its output prefixed); raise if it fails."""
    process = await asyncio.create_subprocess_exec(
        *program.argv,
        env={**env, **program.env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    while line := await process.stdout.readline():
        say(f"{program.name} | {line.decode(errors='replace').rstrip()}")
    if await process.wait() != 0:
        raise RuntimeError(f"{program.name} failed with exit code {process.returncode}")


@asynccontextmanager
async def running_system(
    *,
    ports: Mapping[str, int] | None = None,
    env: Mapping[str, str] | None = None,
    say: Printer = _stdout,
    seed: bool = True,
    restart: bool = True,
    metrics_base: int | None = None,
) -> AsyncIterator[Supervisor]:
    """Every process of the system, ready and seeded; all stopped on exit. With
    ``metrics_base``, the processes without HTTP serve their metrics on loopback ports from
    it on (``runner.plan``); without, only the APIs do (on their own ports)."""
    environment = dict(env if env is not None else os.environ)
    programs = plan(ports, metrics_base=metrics_base)
    wanted = [port for p in programs for port in (p.port, p.metrics_port) if port is not None]
    taken = [port for port in wanted if port_open(port)]
    if taken:  # else /readyz or /metrics could be answered by another system's server
        raise NotReady(f"ports already in use by another process: {taken}")
    supervisor = Supervisor(
        programs, env=environment, say=say, colour=sys.stdout.isatty(), restart=restart
    )
    await supervisor.start()
    try:
        await wait_ready(supervisor)
        if seed:
            for program in SEEDS:
                await run_once(program, environment, say)
        yield supervisor
    finally:
        await supervisor.stop()
