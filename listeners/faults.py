"""Faults: events a listener could not apply, kept so they can be applied after a fix.

Each fault is stored once in the listener's ``_faults`` collection (keyed by the event id,
or by topic/partition/offset for a record that is not an event at all) together with the
``fault`` event announcing it. The fault event is created once and stored, so processing
the same record again republishes the same fault event id: exactly one fault per event.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from events import Fault, FaultReported, InvalidEvent, parse_event, to_wire
from listeners.materializer import Materializer
from listeners.views import Document

log = logging.getLogger(__name__)
COLLECTION = "_faults"


class FaultLog:
    def __init__(self, db: AsyncDatabase[Document], listener: str) -> None:
        self._faults = db[COLLECTION]
        self.listener = listener

    async def record(self, ref: str, original: dict[str, Any], error: str) -> FaultReported:
        """Store the fault (once) and return its fault event, the same on every call."""
        fault = _fault_event(self.listener, original, error)
        stored = await self._faults.find_one_and_update(
            {"_id": f"{self.listener}:{ref}"},
            {
                "$setOnInsert": {
                    "listener": self.listener,
                    "event": original,
                    "faultEvent": to_wire(fault).decode(),
                    "firstSeen": int(time.time() * 1000),
                },
                "$set": {"status": "open", "error": error[:2000]},
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert stored is not None  # an upsert always returns the document
        event = parse_event(stored["faultEvent"])
        assert isinstance(event, FaultReported)
        return event

    async def open_faults(self, ids: Sequence[str] = ()) -> list[Document]:
        query: dict[str, Any] = {"listener": self.listener, "status": "open"}
        if ids:
            query["$or"] = [{"_id": f"{self.listener}:{i}"} for i in ids]
        return [doc async for doc in self._faults.find(query).sort("firstSeen", 1)]

    async def resubmit(
        self, materializer: Materializer, ids: Sequence[str] = ()
    ) -> tuple[int, int]:
        """Apply open faults again with the (fixed) rules; returns (resolved, still failing)."""
        resolved = failing = 0
        for doc in await self.open_faults(ids):
            try:
                event = parse_event(doc["event"])
            except InvalidEvent as exc:
                await self._faults.update_one({"_id": doc["_id"]}, {"$set": {"error": str(exc)}})
                failing += 1
                continue
            applied = await materializer.apply([event])
            if applied.failed:
                error = applied.failed[0][1]
                await self._faults.update_one({"_id": doc["_id"]}, {"$set": {"error": error}})
                failing += 1
            else:
                await self._faults.update_one(
                    {"_id": doc["_id"]},
                    {"$set": {"status": "resolved", "resolvedAt": int(time.time() * 1000)}},
                )
                resolved += 1
        log.info(
            "%s: resubmitted faults: %d resolved, %d still failing",
            self.listener,
            resolved,
            failing,
        )
        return resolved, failing


def _fault_event(listener: str, original: dict[str, Any], error: str) -> FaultReported:
    def make(event: dict[str, Any]) -> FaultReported:
        return FaultReported.record(
            fault=Fault(listener=listener, error=error[:2000], event=event),
            source=listener,
            actor=f"listener:{listener}",
        )

    try:
        return make(original)
    except ValidationError:  # e.g. a partitionKey that is no valid id: keep it as text
        return make({"raw": json.dumps(original, default=str)})


def as_original(value: bytes | None) -> dict[str, Any]:
    """The received record as a dict for the fault: the JSON object, or the raw text."""
    text = (value or b"").decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        return {"raw": text}
    return data if isinstance(data, dict) else {"raw": text}
