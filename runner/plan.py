"""What the whole system is, as processes: each BFF's three roles (api, listener,
trigger) apart, as in the distributed deployment, and the event lake writer.

Every process is this repository's Python with ``-m``; settings reach it through the
``FD_*`` environment (the caller's, plus what ``plan`` adds).

Metrics: an API serves ``/metrics`` on its own port; each process without HTTP (the
listeners, the relays, the lake writer) gets a loopback port of its own,
``FD_METRICS_PORT``, counted from ``metrics_base`` in plan order (``python -m runner``:
``METRICS_BASE``, 8101-8107).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

#: the BFFs and the port each one's API serves on by default (bff.<name>.spec)
BFFS: Mapping[str, int] = {"customer": 8001, "restaurant": 8002, "driver": 8003}
ROLES = ("api", "listener", "trigger")
#: the first metrics port of the processes without HTTP, as ``python -m runner`` runs them:
#: customer-listener 8101, customer-trigger 8102, restaurant-... 8103-8104, driver-...
#: 8105-8106, lake 8107
METRICS_BASE = 8101


@dataclass(frozen=True)
class Program:
    """One process to run: a name for its log lines, its argv, extra environment, the
    port it serves HTTP on (None: no HTTP) and the loopback port of its metrics when it
    has no HTTP (None: none, or on its HTTP port)."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    port: int | None = None
    metrics_port: int | None = None

    @property
    def metrics_url(self) -> str | None:
        """Where its metrics are scraped (on 127.0.0.1)."""
        port = self.port if self.port is not None else self.metrics_port
        return f"http://127.0.0.1:{port}/metrics" if port is not None else None


def python(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-u", *args)


def plan(
    ports: Mapping[str, int] | None = None, *, metrics_base: int | None = None
) -> list[Program]:
    """Every process of the system, the APIs on ``ports`` (BFF name -> port); with
    ``metrics_base``, the processes without HTTP serve their metrics on the ports from it
    on, in order (``FD_METRICS_PORT``)."""
    chosen = {**BFFS, **(ports or {})}
    programs: list[Program] = []
    for bff, port in chosen.items():
        for role in ROLES:
            args = ["-m", f"bff.{bff}", "--roles", role]
            if role == "api":
                args += ["--port", str(port)]
            programs.append(
                Program(f"{bff}-{role}", python(*args), port=port if role == "api" else None)
            )
    programs.append(Program("lake", python("-m", "listeners.lake")))
    return programs if metrics_base is None else with_metrics_ports(programs, metrics_base)


def with_metrics_ports(programs: list[Program], base: int) -> list[Program]:
    """``programs``, those without HTTP given a metrics port each, from ``base`` on."""
    placed: list[Program] = []
    next_port = base
    for program in programs:
        if program.port is None:
            env = {**program.env, "FD_METRICS_PORT": str(next_port)}
            program = replace(program, env=env, metrics_port=next_port)
            next_port += 1
        placed.append(program)
    return placed


def app_urls(ports: Mapping[str, int] | None = None, host: str = "127.0.0.1") -> dict[str, str]:
    """Each app's dev sign-in page (BFF name -> URL)."""
    chosen = {**BFFS, **(ports or {})}
    return {bff: f"http://{host}:{port}/dev/signin" for bff, port in chosen.items()}
