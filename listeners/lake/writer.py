"""The lake writer: a consumer group that stores every event of the hub in the lake, once.

Nothing lost: the offsets of a batch are committed only after all its files are renamed
into place and synced. Nothing twice: a record whose key (its event id) the hour folder
already holds is dropped (``listeners.lake.stored``): the records of a batch written but
not committed (the writer killed in between, a commit failed after a rebalance) and
events published again (a relay's republish after a crash, a replayed slice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from aiokafka.errors import KafkaError

from adapters.hub import event_consumer
from listeners.lake.batch import Batch
from listeners.lake.durable import write_file
from listeners.lake.layout import Hour
from listeners.lake.lines import Line, encode_line
from listeners.lake.stored import StoredKeys, read_keys
from observability.hub import consumed_records, observe_lag

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.25
#: the lake writer's name in the metrics (``consumer`` label)
LAKE = "lake"
_RETRY_MAX_SECONDS = 30.0


class LakeWriter:
    def __init__(
        self,
        bootstrap: str,
        topic: str,
        lake_dir: Path,
        *,
        group: str = "lake",
        max_events: int = 5000,
        max_bytes: int = 8 * 1024 * 1024,
        max_seconds: float = 2.0,
    ) -> None:
        if max_events < 1 or max_bytes < 1 or max_seconds < 0:
            raise ValueError("max_events and max_bytes must be positive, max_seconds not negative")
        self.bootstrap, self.topic, self.lake_dir, self.group = bootstrap, topic, lake_dir, group
        self.limits = (max_events, max_bytes, max_seconds)
        self.stored = StoredKeys(lake_dir)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Store events until ``stop`` is set, then flush, commit and close."""
        stop = stop or asyncio.Event()
        max_events, _, max_seconds = self.limits
        consumer = event_consumer(self.bootstrap, self.topic, self.group)
        # what the lake holds is read from its files afresh: keys a failed run buffered
        # but never wrote must not count as stored
        self.stored = StoredKeys(self.lake_dir)
        batch = Batch()
        try:
            await consumer.start()
            log.info("lake: writing %s (group %s) to %s", self.topic, self.group, self.lake_dir)
            while not stop.is_set():
                wait = batch.seconds_left(max_seconds)
                timeout = _POLL_SECONDS if wait is None else min(wait, _POLL_SECONDS)
                records = await consumer.getmany(
                    timeout_ms=int(timeout * 1000), max_records=max_events - batch.records
                )
                await observe_lag(LAKE, consumer)  # metrics: fd_consumer_lag, ...
                consumed_records(LAKE, (r.value for part in records.values() for r in part))
                lines = [
                    (tp, record.offset, encode_line(record.value, tp.partition, record.offset))
                    for tp, part in records.items()
                    for record in part
                ]
                await self._know({line.hour for _, _, line in lines}, stop)
                for tp, offset, line in lines:
                    self._buffer(batch, tp, offset, line)
                if batch.due(*self.limits) and await self._flush_retrying(consumer, batch, stop):
                    batch = Batch()
            if batch.records:
                await self._flush(consumer, batch)
        finally:
            await consumer.stop()
            log.info("lake: stopped")

    def _buffer(self, batch: Batch, tp: Any, offset: int, line: Line) -> None:
        """Into the batch, unless the lake (or the batch) holds the line's key already."""
        if self.stored.add(line.hour, line.key):
            batch.put(tp, offset, line.hour, line.data)
        else:
            batch.skip(tp, offset)

    async def _know(self, hours: set[Hour], stop: asyncio.Event) -> None:
        """Read the stored keys of the hours not in memory; a disk error is retried with
        backoff (nothing is buffered meanwhile), until ``stop`` (then it is raised)."""
        delay = 0.5
        while missing := self.stored.unknown(hours):
            try:
                self.stored.adopt(await asyncio.to_thread(read_keys, self.lake_dir, missing))
            except OSError:
                if stop.is_set():
                    raise
                log.exception("lake: cannot read what the lake holds; retry in %.1fs", delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                delay = min(delay * 2, _RETRY_MAX_SECONDS)

    async def _flush_retrying(self, consumer: Any, batch: Batch, stop: asyncio.Event) -> bool:
        """Flush; on a disk error keep the batch and retry with backoff until ``stop``."""
        delay = 0.5
        while True:
            try:
                await self._flush(consumer, batch)
                return True
            except OSError:
                log.exception("lake: cannot write %d events; retry in %.1fs", batch.events, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if stop.is_set():
                return False
            delay = min(delay * 2, _RETRY_MAX_SECONDS)

    async def _flush(self, consumer: Any, batch: Batch) -> None:
        await asyncio.to_thread(self._write, batch)
        self.stored.forget()  # every key of the batch is on disk now
        owned = consumer.assignment()
        offsets = {tp: offset for tp, offset in batch.offsets.items() if tp in owned}
        try:
            await consumer.commit(offsets)
        except KafkaError as exc:
            log.warning("lake: commit failed (%r); these records will be read again", exc)
        else:
            lost = len(batch.offsets) - len(offsets)
            log.info(
                "lake: stored %d events in %d files%s, committed %d partitions%s",
                batch.events,
                len(batch.files),
                f" (dropped {batch.skipped} the lake holds)" if batch.skipped else "",
                len(offsets),
                f" ({lost} reassigned, not committed)" if lost else "",
            )

    def _write(self, batch: Batch) -> None:
        while batch.written < len(batch.files):
            hour, lines = batch.files[batch.written]
            write_file(self.lake_dir, hour, lines)
            batch.written += 1
