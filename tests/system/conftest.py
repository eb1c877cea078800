"""The whole system for the tests in this folder: ``python -m runner``'s processes (each
BFF's api, listener and trigger apart, the lake writer), on the test stack, with their own
topic, database prefix, lake folder and ports, seeded through the BFFs' commands. Started
once per session (about 15 s) and shared; the process output goes to
``test-results/system.log``; the processes without HTTP serve their metrics on
18101-18107.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.settings import Settings
from tests.system.whole import METRICS_BASE, System, whole_system

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "test-results" / "system.log"


@pytest.fixture(scope="session")
async def system(
    settings: Settings, kafka_bootstrap: str, run_id: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    lake = tmp_path_factory.mktemp("lake")
    async with whole_system(
        settings, name=run_id, lake_dir=lake, log=LOG, metrics_base=METRICS_BASE
    ) as whole:
        yield whole
