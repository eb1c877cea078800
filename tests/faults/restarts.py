"""Killing one process of a running system (``whole_system(..., restart=True)``) and
waiting until the supervisor has it back and it serves again: an API answers /readyz, a
consumer is a member of its group again (a new member, the group stable), a relay runs.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from tests.faults.consumers import group_state, listener_groups
from tests.integration.listening import wait_for
from tests.system.whole import System

#: how long a killed process may take to serve again (a consumer group waits out the dead
#: member's session, 10 s, before it lets the new one in)
BACK_WITHIN_SECONDS = 90.0


@dataclass(frozen=True)
class Restart:
    name: str
    #: seconds from the kill to the new process running
    respawned: float
    #: seconds from the kill to it serving again (as above)
    serving: float

    def __str__(self) -> str:
        return f"{self.name}: respawned {self.respawned:.1f}s, serving {self.serving:.1f}s"


async def kill_and_wait(system: System, name: str) -> Restart:
    """SIGKILL ``name`` (the runner's process name, e.g. ``customer-api``, ``lake``) and
    wait until it is back."""
    supervisor = system.supervisor
    before = supervisor.running[name].process.pid
    program = supervisor.running[name].program
    group = listener_groups(system.settings).get(name)
    members = (await group_state(system.settings, group)).members if group else frozenset()
    killed = time.monotonic()
    supervisor.kill(name, signal.SIGKILL)

    async def respawned() -> bool:
        running = supervisor.running[name]
        return running.process.pid != before and supervisor.alive(name)

    await wait_for(f"{name} restarted by the supervisor", respawned, BACK_WITHIN_SECONDS)
    back = time.monotonic() - killed

    if program.port is not None:
        await wait_for(f"{name} ready again", _ready(program.port), BACK_WITHIN_SECONDS)
    elif group is not None:

        async def rejoined() -> bool:
            now = await group_state(system.settings, group)
            return now.state == "Stable" and bool(now.members) and not now.members & members

        await wait_for(f"{name} consuming again as group {group}", rejoined, BACK_WITHIN_SECONDS)
    return Restart(name, back, time.monotonic() - killed)


def _ready(port: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                answer = await client.get(f"http://127.0.0.1:{port}/readyz")
        except httpx.HTTPError:
            return False
        return answer.status_code == 200

    return check
