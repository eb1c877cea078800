"""A replay's held documents: the same views as applying the rules to the store, with reads
answered from memory and each document written about once."""

from __future__ import annotations

from typing import Any

import pytest

from bench.workload import stream
from bff.customer.listener import CUSTOMER
from bff.driver.listener import DRIVER
from bff.restaurant.listener import KITCHEN
from events import Event
from listeners.held import HeldDocuments, HeldViews
from listeners.materializer import Materializer
from listeners.replay import SUFFIX
from listeners.rules import Listener
from listeners.views import Views
from tests.support.fakes import FakeDatabase

EVENTS = list(stream(9000, seed=11))


async def _plain(listener: Listener, events: list[Event]) -> FakeDatabase:
    db = FakeDatabase()
    materializer = Materializer(listener, Views(db))  # type: ignore[arg-type]
    for start in range(0, len(events), 500):
        await materializer.apply(events[start : start + 500])
    return db


async def _held(
    listener: Listener, events: list[Event], **options: Any
) -> tuple[FakeDatabase, HeldDocuments]:
    db = FakeDatabase()
    names = {view: view + SUFFIX for view in listener.views}
    held = HeldDocuments(Views(db, names), **options)  # type: ignore[arg-type]
    views = HeldViews(db, names, held)  # type: ignore[arg-type]
    materializer = Materializer(listener, views, documents=held, concurrent_rules=False)
    for start in range(0, len(events), 500):
        await materializer.apply(events[start : start + 500])
    await held.flush()
    return db, held


@pytest.mark.parametrize("listener", [KITCHEN, CUSTOMER, DRIVER], ids=lambda x: x.name)
@pytest.mark.parametrize(
    "options",
    [{"cold_after": 10**6}, {"max_held": 40, "cold_after": 1}, {}],
    ids=["all-held", "tiny-memory", "default"],
)
async def test_held_documents_give_the_views_the_store_gives(
    listener: Listener, options: dict[str, Any]
) -> None:
    expected = await _plain(listener, EVENTS)
    rebuilt, held = await _held(listener, EVENTS, **options)
    for view in listener.views:
        assert rebuilt[view + SUFFIX].documents == expected[view].documents, view
    documents = sum(len(expected[view].documents) for view in listener.views)
    assert documents > 100
    if options == {"cold_after": 10**6}:  # all in memory to the end: one write each
        assert held.writes == documents and held.reads == 0
    if not options:  # written once cold, again only if touched after that
        assert documents <= held.writes < 1.5 * documents and held.reads == 0


async def test_reads_see_the_held_state_and_the_store_after_it_left() -> None:
    db = FakeDatabase()
    names = {"tickets": "tickets" + SUFFIX}
    held = HeldDocuments(Views(db, names), max_held=1, cold_after=1)  # type: ignore[arg-type]
    views = HeldViews(db, names, held)  # type: ignore[arg-type]
    assert await views["tickets"].find_one({"_id": "o-1"}) is None
    await held.store({("tickets", "o-1"): {"_id": "o-1", "n": 1}}, new={("tickets", "o-1")})
    assert await views["tickets"].find_one({"_id": "o-1"}) == {"_id": "o-1", "n": 1}
    await held.store({("tickets", "o-2"): {"_id": "o-2", "n": 2}}, new={("tickets", "o-2")})
    # o-1 left memory: written first, then read back from the store
    assert db["tickets" + SUFFIX].documents["o-1"] == {"_id": "o-1", "n": 1}
    assert await views["tickets"].find_one({"_id": "o-1"}) == {"_id": "o-1", "n": 1}
    assert await held.read([("tickets", "o-1"), ("tickets", "o-3")]) == {
        ("tickets", "o-1"): {"_id": "o-1", "n": 1}
    }
    assert held.reads == 2
    await held.flush()
    assert set(db["tickets" + SUFFIX].documents) == {"o-1", "o-2"}
    assert views["other"] is db["other"]  # not rebuilt: the store's collection
