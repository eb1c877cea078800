"""``python -m listeners.lake run`` stores the hub's events and exits 0 on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from adapters.hub import EventPublisher
from events import EVENT_TYPES
from events.samples import sample_event
from listeners.lake import read_lake


async def test_the_writer_process_stores_events_and_stops_cleanly_on_sigterm(
    kafka_bootstrap: str, topic: str, tmp_path: Path
) -> None:
    events = [sample_event(kind) for kind in sorted(EVENT_TYPES)]
    async with EventPublisher(kafka_bootstrap, topic) as hub:
        await hub.publish_many(events)
    env = {
        **os.environ,
        "FD_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "FD_KAFKA_TOPIC": topic,
        "FD_LAKE_DIR": str(tmp_path / "from-env"),
    }
    lake = tmp_path / "lake"
    args = ["-m", "listeners.lake", "run", "--group", f"{topic}.lake", "--lake-dir", str(lake)]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        async with asyncio.timeout(60):
            while len(list(read_lake(lake))) < len(events):
                assert process.returncode is None, "the writer process exited early"
                await asyncio.sleep(0.2)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, log = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, log.decode()
    assert sorted(e["id"] for e in read_lake(lake)) == sorted(e.id for e in events)
    assert b"lake: stopped" in log
    assert not (tmp_path / "from-env").exists()
