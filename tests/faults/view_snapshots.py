"""Every BFF's views (and fault logs) as they are now, to compare before and after: each
listener's view collections and its ``_faults``, every document, sorted by ``_id``."""

from __future__ import annotations

from typing import Any

from adapters.store import Document
from listeners.faults import COLLECTION as FAULTS
from tests.faults.consumers import LISTENERS
from tests.system.whole import System

#: (BFF, collection) -> its documents
Snapshot = dict[tuple[str, str], list[Document]]


async def snapshot(system: System) -> Snapshot:
    taken: Snapshot = {}
    for bff, listener in LISTENERS.items():
        for collection in (*listener.views, FAULTS):
            found = system.db(bff)[collection].find({}).sort("_id", 1)
            taken[bff, collection] = [doc async for doc in found]
    return taken


def differences(before: Snapshot, after: Snapshot) -> list[dict[str, Any]]:
    """Per collection that differs: the ids only on one side and the first document that
    differs, with the fields that differ (for the failure message)."""
    found: list[dict[str, Any]] = []
    for where in sorted(set(before) | set(after)):
        old = {d["_id"]: d for d in before.get(where, [])}
        new = {d["_id"]: d for d in after.get(where, [])}
        if old == new:
            continue
        difference: dict[str, Any] = {
            "collection": ".".join(where),
            "only before": sorted(map(str, set(old) - set(new)))[:5],
            "only after": sorted(map(str, set(new) - set(old)))[:5],
        }
        changed = [key for key in sorted(set(old) & set(new), key=str) if old[key] != new[key]]
        if changed:
            a, b = old[changed[0]], new[changed[0]]
            fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            difference["changed"] = len(changed)
            difference["first changed"] = {
                "_id": changed[0],
                **{f: {"before": a.get(f), "after": b.get(f)} for f in fields},
            }
        found.append(difference)
    return found
