"""Rebuild a listener's views from the event lake with the same rules, then swap them in.

The views are built into fresh collections (``<view>__replay``); with ``swap`` each live
collection is then renamed aside, the rebuilt one renamed into its place, and the old one
dropped (FerretDB cannot rename onto an existing collection, so there is a moment of a
few milliseconds without the collection). Run it while the listener is stopped and the
lake has caught up with it: the listener then resumes from its committed offsets, and
events the rebuilt views already hold are skipped by the ``_v`` guards.

Fast because it is the only writer of collections that start empty: documents are held in
memory and written about once each (``listeners.held``), events of types without a rule
are not validated, and after each chunk the surviving objects are frozen out of the
garbage collector's scans (with thousands of documents held, its full collections took
a third of a replay's time; ``gc.unfreeze`` at the end gives them back).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from events import EVENT_TYPES, Event, UnknownEventType, parse_event
from listeners.held import MAX_HELD, HeldDocuments, HeldViews
from listeners.lake.layout import event_files
from listeners.lake.reader import read_lake
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
    max_held: int = MAX_HELD,
    progress: Callable[[str], None] = lambda _: None,
) -> ReplayReport:
    names = {view: view + SUFFIX for view in listener.views}
    for physical in names.values():
        await db.drop_collection(physical)
    held = HeldDocuments(Views(db, names), max_held=max_held)
    materializer = Materializer(
        listener, HeldViews(db, names, held), documents=held, concurrent_rules=False
    )
    await materializer.ensure_indexes()

    files = event_files(lake_dir)
    report = ReplayReport()
    began = last_report = time.monotonic()
    try:
        for batch in _chunks(read_lake(lake_dir), chunk):
            gc.freeze()  # what survived the last chunk is not scanned again and again
            events = _parse(batch, report, listener)
            applied = await materializer.apply(events)
            report.failed += len(applied.failed)
            report.events += len(batch)
            if time.monotonic() - last_report >= 1.0:
                last_report = time.monotonic()
                rate = report.events / (last_report - began)
                progress(
                    f"replayed {report.events:,} events from {len(files):,} files "
                    f"({rate:,.0f} events/s)"
                )
    finally:
        gc.unfreeze()
    await held.flush()
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


def _parse(batch: list[dict[str, Any]], report: ReplayReport, listener: Listener) -> list[Event]:
    """The events to apply, validated. Catalog types the listener has no rule for are
    passed over unvalidated (it would skip them after validating); unknown types are
    counted as skipped, malformed events as failed."""
    events: list[Event] = []
    for data in batch:
        kind = data.get("type")
        if isinstance(kind, str) and kind in EVENT_TYPES and listener.handler_for(kind) is None:
            continue
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
