"""The whole system a fault test runs on its own (``tests/system/whole.py``), one module at
a time: APIs on 18011-18013 (apart from the session system's 18001-18003), its own topic,
database prefix and lake folder, the processes' output in
``test-results/faults-<kind>.log``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from ulid import ULID

from adapters.settings import Settings
from tests.system.whole import System, whole_system

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"customer": 18011, "restaurant": 18012, "driver": 18013}


@asynccontextmanager
async def own_system(
    settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
    kind: str,
    *,
    restart: bool = False,
) -> AsyncIterator[System]:
    """A fresh whole system for the ``kind`` of fault test (``restart``: the supervisor
    restarts a process that exits, as ``make run`` does)."""
    async with whole_system(
        settings,
        name=f"{kind}-{ULID()}".lower(),
        lake_dir=tmp_path_factory.mktemp(f"{kind}-lake"),
        log=ROOT / "test-results" / f"faults-{kind}.log",
        ports=PORTS,
        restart=restart,
    ) as whole:
        yield whole
