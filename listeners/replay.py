"""Rebuild a listener's views from the event lake with the same rules, then swap them in.

The views are built into fresh collections (``<view>__replay``); with ``swap`` each live
collection is then renamed aside, the rebuilt one renamed into its place, and the old one
dropped (FerretDB cannot rename onto an existing collection, so there is a moment of a
few milliseconds without the collection). Run it while the listener is stopped and the
lake has caught up with it: the listener then resumes from its committed offsets, and
events the rebuilt views already hold are skipped by the ``_v`` guards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from events import Event, UnknownEventType, parse_event
from listeners.lake.reader import count_lines, read_lake
from listeners.materializer import Materializer
from listeners.rules import Listener
from listeners.views import Document, Views

SUFFIX = "__replay"


@dataclass
class ReplayReport:
    events: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


async def replay(
    listener: Listener,
    db: AsyncDatabase[Document],
    lake_dir: Path,
    *,
    swap: bool = False,
    chunk: int = 5000,
    progress: Callable[[str], None] = lambda _: None,
) -> ReplayReport:
    names = {view: view + SUFFIX for view in listener.views}
    for physical in names.values():
        await db.drop_collection(physical)
    materializer = Materializer(listener, Views(db, names))
    await materializer.ensure_indexes()

    total = count_lines(lake_dir)
    report = ReplayReport()
    began = last_report = time.monotonic()
    for batch in _chunks(read_lake(lake_dir), chunk):
        events = _parse(batch, report)
        applied = await materializer.apply(events)
        report.failed += len(applied.failed)
        report.events += len(batch)
        if time.monotonic() - last_report >= 1.0:
            last_report = time.monotonic()
            rate = report.events / (last_report - began)
            progress(f"replayed {report.events:,} of ~{total:,} events ({rate:,.0f} events/s)")
    report.seconds = time.monotonic() - began
    progress(
        f"replayed {report.events:,} events in {report.seconds:.1f}s "
        f"({report.rate:,.0f} events/s); {report.skipped:,} of unknown types, "
        f"{report.failed:,} failed"
    )
    if swap:
        await swap_in(db, names)
        progress(f"swapped in: {', '.join(names)}")
    return report


async def swap_in(db: AsyncDatabase[Document], names: dict[str, str]) -> None:
    admin = db.client.admin
    existing = set(await db.list_collection_names())
    for live, rebuilt in names.items():
        aside = f"{live}__old"
        if aside in existing:
            await db.drop_collection(aside)
        if live in existing:
            await admin.command("renameCollection", f"{db.name}.{live}", to=f"{db.name}.{aside}")
        await admin.command("renameCollection", f"{db.name}.{rebuilt}", to=f"{db.name}.{live}")
        await db.drop_collection(aside)


def _parse(batch: list[dict[str, Any]], report: ReplayReport) -> list[Event]:
    events: list[Event] = []
    for data in batch:
        try:
            events.append(parse_event(data))
        except UnknownEventType:
            report.skipped += 1
        except Exception:
            report.failed += 1
    return events


def _chunks(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
