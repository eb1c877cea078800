"""Runs a set of processes in the foreground: each in its own process group, its output
line by line with its name in front (``customer-api    | ...``), restarted with backoff if
it dies on its own, and all stopped together (SIGTERM to each group, then SIGKILL).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from runner.plan import Program

COLOURS = (36, 33, 35, 32, 34, 31, 96, 93, 95, 92)
#: a process that ran at least this long before dying is restarted at once
HEALTHY_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 10.0
STOP_SECONDS = 10.0

Printer = Callable[[str], None]


def _stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass
class Running:
    program: Program
    process: asyncio.subprocess.Process
    started: float
    restarts: int = 0
    pump: asyncio.Task[None] | None = None


@dataclass
class Supervisor:
    """Starts ``programs`` and keeps them running until ``stop``."""

    programs: Sequence[Program]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    say: Printer = _stdout
    colour: bool = field(default_factory=lambda: sys.stdout.isatty())
    restart: bool = True
    running: dict[str, Running] = field(default_factory=dict)
    _stopping: bool = False
    _watchers: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(p.name) for p in self.programs), default=0)

    def prefix(self, name: str) -> str:
        index = [p.name for p in self.programs].index(name) if name in self.names else 0
        label = f"{name:<{self.width}} |"
        return f"\x1b[{COLOURS[index % len(COLOURS)]}m{label}\x1b[0m" if self.colour else label

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.programs]

    async def start(self) -> None:
        for program in self.programs:
            self.running[program.name] = await self._spawn(program)
            self._watchers.append(asyncio.create_task(self._watch(program.name)))

    async def _spawn(self, program: Program, restarts: int = 0) -> Running:
        process = await asyncio.create_subprocess_exec(
            *program.argv,
            env={**self.env, **program.env},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        running = Running(program, process, time.monotonic(), restarts)
        running.pump = asyncio.create_task(self._pump(program.name, process))
        return running

    async def _pump(self, name: str, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        prefix = self.prefix(name)
        while line := await process.stdout.readline():
            self.say(f"{prefix} {line.decode(errors='replace').rstrip()}")

    async def _watch(self, name: str) -> None:
        """Wait for the process to end; restart it (with backoff) unless stopping."""
        while True:
            running = self.running[name]
            code = await running.process.wait()
            if running.pump is not None:
                await running.pump
            if self._stopping:
                return
            self.say(f"{self.prefix(name)} exited with code {code}")
            if not self.restart:
                return
            ran = time.monotonic() - running.started
            restarts = 0 if ran >= HEALTHY_SECONDS else running.restarts + 1
            delay = min(MAX_BACKOFF_SECONDS, 0.5 * 2**restarts) if restarts else 0.0
            self.say(f"{self.prefix(name)} restarting in {delay:.1f}s")
            await asyncio.sleep(delay)
            if self._stopping:
                return
            self.running[name] = await self._spawn(running.program, restarts)

    def alive(self, name: str) -> bool:
        running = self.running.get(name)
        return running is not None and running.process.returncode is None

    def kill(self, name: str, sig: signal.Signals = signal.SIGKILL) -> None:
        """Signal one process's group (for trying restarts by hand, and fault tests)."""
        running = self.running[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.process.pid, sig)

    async def stop(self) -> None:
        """SIGTERM every group, wait up to STOP_SECONDS, SIGKILL what is left."""
        self._stopping = True
        for running in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(running.process.pid, signal.SIGTERM)
        waits = [r.process.wait() for r in self.running.values()]
        try:
            async with asyncio.timeout(STOP_SECONDS):
                await asyncio.gather(*waits)
        except TimeoutError:
            for running in self.running.values():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(running.process.pid, signal.SIGKILL)
            await asyncio.gather(*(r.process.wait() for r in self.running.values()))
        for running in self.running.values():  # leftovers of a group whose leader exited
            with contextlib.suppress(ProcessLookupError):
                os.killpg(running.process.pid, signal.SIGKILL)
        for watcher in self._watchers:
            watcher.cancel()
        await asyncio.gather(*self._watchers, return_exceptions=True)
        pumps = [r.pump for r in self.running.values() if r.pump is not None]
        await asyncio.gather(*pumps, return_exceptions=True)
