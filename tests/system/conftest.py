"""The whole system for the tests in this folder: ``python -m runner``'s processes (each
BFF's api, listener and trigger apart, the lake writer), on the test stack, with their own
topic, database prefix, lake folder and ports, seeded through the BFFs' commands. Started
once per session (about 15 s) and shared; the process output goes to
``test-results/system.log``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.settings import Settings
from devstack.kafka import ensure_topic
from runner.system import running_system
from tests.system.whole import PORTS, System

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "test-results" / "system.log"


@pytest.fixture(scope="session")
async def system(
    settings: Settings, kafka_bootstrap: str, run_id: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    env = {
        **os.environ,
        "FD_KAFKA_TOPIC": f"system-{run_id}",
        "FD_PREFIX": f"s{run_id[-8:]}_",
        "FD_LAKE_DIR": str(tmp_path_factory.mktemp("lake")),
    }
    env.pop("FD_HTTP_PORT", None)  # each API gets its port from the plan
    system_settings = settings.model_copy(
        update={
            "kafka_topic": env["FD_KAFKA_TOPIC"],
            "prefix": env["FD_PREFIX"],
            "lake_dir": Path(env["FD_LAKE_DIR"]),
        }
    )
    await ensure_topic(kafka_bootstrap, system_settings.kafka_topic, settings.kafka_partitions)
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("w") as log:

        def say(line: str) -> None:
            log.write(line + "\n")
            log.flush()

        async with (
            running_system(ports=PORTS, env=env, say=say, restart=False) as supervisor,
            System(system_settings, supervisor) as whole,
        ):
            await whole.seeded()
            yield whole
