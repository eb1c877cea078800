"""What the whole system is, as processes: each BFF's three roles (api, listener,
trigger) apart, as in the distributed deployment, and the event lake writer.

Every process is this repository's Python with ``-m``; settings reach it through the
``FD_*`` environment (the caller's, plus what ``plan`` adds).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

#: the BFFs and the port each one's API serves on by default (bff.<name>.spec)
BFFS: Mapping[str, int] = {"customer": 8001, "restaurant": 8002, "driver": 8003}
ROLES = ("api", "listener", "trigger")


@dataclass(frozen=True)
class Program:
    """One process to run: a name for its log lines, its argv, extra environment, and the
    port it serves HTTP on (None: no HTTP)."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    port: int | None = None


def python(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-u", *args)


def plan(ports: Mapping[str, int] | None = None) -> list[Program]:
    """Every process of the system, the APIs on ``ports`` (BFF name -> port)."""
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
    return programs


def app_urls(ports: Mapping[str, int] | None = None, host: str = "127.0.0.1") -> dict[str, str]:
    """Each app's dev sign-in page (BFF name -> URL)."""
    chosen = {**BFFS, **(ports or {})}
    return {bff: f"http://{host}:{port}/dev/signin" for bff, port in chosen.items()}
