"""Menu views from the event lake, served by the restaurant BFF on the real stack: events
go through the hub, the real lake writer stores them in the test's lake folder, and
``menuViewHistory`` answers each restaurant its own figures, equal to an independent
DuckDB query over the same lake; another restaurant's figures never appear."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from adapters.hub import EventPublisher
from adapters.settings import Settings
from adapters.store import Document
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.spec import SPEC
from events import Event
from listeners.lake import LakeWriter, connect, read_lake
from tests.support import upstream
from tests.support.served import ServedBff, serving

DAY_MS = 86_400_000
OFFSET = 120  # the console's UTC offset in minutes (Berlin in summer)
HISTORY = """query($days: Int!, $offset: Int!) {
  menuViewHistory(days: $days, utcOffsetMinutes: $offset) {
    views viewers ordersPlaced since readAt days { date views viewers ordersPlaced } } }"""

#: per local day: menu views, different customers, orders placed (the test's own SQL: the
#: whole stored line, not the view's snapshot columns)
BY_DAY_SQL = """
SELECT CAST(epoch_ms(timestamp + $offset * 60000) AS DATE)::VARCHAR AS day,
       count(*) FILTER (WHERE type = 'menu-viewed') AS views,
       count(DISTINCT json_extract_string(event, '$.view.customerId'))
           FILTER (WHERE type = 'menu-viewed') AS viewers,
       count(*) FILTER (WHERE type = 'order-placed') AS orders
FROM events
WHERE coalesce(json_extract_string(event, '$.view.restaurantId'),
               json_extract_string(event, '$.order.restaurantId')) = $restaurant
  AND timestamp >= $since AND timestamp < $until
GROUP BY day ORDER BY day
"""
TOTAL_SQL = """
SELECT count(*) FILTER (WHERE type = 'menu-viewed'),
       count(DISTINCT json_extract_string(event, '$.view.customerId'))
           FILTER (WHERE type = 'menu-viewed'),
       count(*) FILTER (WHERE type = 'order-placed')
FROM events
WHERE coalesce(json_extract_string(event, '$.view.restaurantId'),
               json_extract_string(event, '$.order.restaurantId')) = $restaurant
  AND timestamp >= $since AND timestamp < $until
"""


def viewed(restaurant_id: str, customer_id: str, days_ago: float) -> Event:
    event = upstream.menu_viewed(restaurant_id, customer_id)
    return event.model_copy(update={"timestamp": upstream.now_ms() - int(days_ago * DAY_MS)})


def placed(restaurant_id: str, days_ago: float) -> Event:
    demo = RESTAURANTS[0]
    order = upstream.order_from_menu(restaurant_id, demo.restaurant.name, demo.items)
    event = upstream.placed(order)
    return event.model_copy(update={"timestamp": upstream.now_ms() - int(days_ago * DAY_MS)})


def two_restaurants(a: str, b: str) -> list[Event]:
    """A: 7 views by 4 customers over 4 days, 3 orders, one view 20 days ago (outside a
    14-day window); B: 2 views by customers that also viewed A."""
    return [
        viewed(a, "c-lena", 0),
        viewed(a, "c-lena", 0.01),
        viewed(a, "c-omar", 0.02),
        viewed(a, "c-omar", 1),
        viewed(a, "c-mia", 1.1),
        viewed(a, "c-jan", 3),
        viewed(a, "c-jan", 20),
        placed(a, 0.01),
        placed(a, 1),
        placed(a, 3.2),
        viewed(b, "c-lena", 0),
        viewed(b, "c-omar", 2),
    ]


async def store_in_lake(
    bootstrap: str, topic: str, lake: Path, events: Sequence[Event], *, repeat: int = 0
) -> None:
    """Publish the events (the first ``repeat`` twice, as a relay that republished would)
    and run the real lake writer until the lake holds every one of them."""
    async with EventPublisher(bootstrap, topic) as hub:
        await hub.publish_many(list(events))
        await hub.publish_many(list(events[:repeat]))
    wanted = {event.id for event in events}
    writer = LakeWriter(bootstrap, topic, lake, group=f"{topic}.lake", max_seconds=0.3)
    stop = asyncio.Event()
    task = asyncio.create_task(writer.run(stop))
    try:
        async with asyncio.timeout(60):
            while not wanted <= {e["id"] for e in read_lake(lake)}:
                assert not task.done(), task.exception() or "the lake writer stopped"
                await asyncio.sleep(0.2)
    finally:
        stop.set()
        await task


def lake_counts(
    lake: Path, restaurant_id: str, since: int, until: int, *, offset: int = OFFSET
) -> dict[str, Any]:
    """Totals and nonzero days (at ``offset`` minutes from UTC) of one restaurant in
    ``[since, until)``, by the test's own SQL over the lake."""
    con = connect(lake)
    try:
        params = {"restaurant": restaurant_id, "since": since, "until": until}
        total = con.execute(TOTAL_SQL, params).fetchone()
        days = con.execute(BY_DAY_SQL, {**params, "offset": offset}).fetchall()
    finally:
        con.close()
    assert total is not None
    return {
        "total": tuple(int(n) for n in total),
        "days": [(day, int(v), int(c), int(o)) for day, v, c, o in days],
    }


def answered(history: dict[str, Any]) -> dict[str, Any]:
    """The API's answer in the shape of ``lake_counts`` (days without events left out)."""
    return {
        "total": (history["views"], history["viewers"], history["ordersPlaced"]),
        "days": [
            (d["date"], d["views"], d["viewers"], d["ordersPlaced"])
            for d in history["days"]
            if d["views"] or d["ordersPlaced"]
        ],
    }


@dataclass
class LakeConsole:
    bff: ServedBff
    lake: Path
    b_id: str

    async def history(self, token: str | None = "", days: int = 14) -> dict[str, Any]:
        data = await self.bff.data(HISTORY, token, days=days, offset=OFFSET)
        found: dict[str, Any] = data["menuViewHistory"]
        return found


@pytest.fixture(name="lake_console")
async def lake_console_fixture(
    settings: Settings, topic: str, db: AsyncDatabase[Document], tmp_path: Path
) -> AsyncIterator[LakeConsole]:
    """Restaurant A's BFF served on a lake folder of the test's own; B: another restaurant."""
    lake = tmp_path / "lake"
    on_lake = settings.model_copy(update={"lake_dir": lake})
    a_id = upstream.unique("r")
    async with serving(SPEC, on_lake, topic, db, actor_id=a_id, actor_name="A") as bff:
        yield LakeConsole(bff, lake, upstream.unique("r"))


async def test_menu_views_equal_a_duckdb_query_over_the_lake_and_stay_private(
    lake_console: LakeConsole, kafka_bootstrap: str, topic: str
) -> None:
    bff, lake, b_id = lake_console.bff, lake_console.lake, lake_console.b_id
    a_id = bff.actor_id
    await store_in_lake(kafka_bootstrap, topic, lake, two_restaurants(a_id, b_id), repeat=3)

    mine = await lake_console.history()
    since, read_at = mine["since"], mine["readAt"]
    assert (since + OFFSET * 60_000) % DAY_MS == 0  # the first day's local midnight
    assert 13 * DAY_MS < read_at - since <= 14 * DAY_MS
    assert len(mine["days"]) == 14 and mine["days"] == sorted(mine["days"], key=lambda d: d["date"])
    expected = lake_counts(lake, a_id, since, read_at)
    assert answered(mine) == expected
    assert expected["total"] == (6, 4, 3)  # the repeats count once, day 20 is outside

    theirs = await lake_console.history(bff.token_of(b_id))
    assert answered(theirs) == lake_counts(lake, b_id, theirs["since"], theirs["readAt"])
    assert (theirs["views"], theirs["viewers"], theirs["ordersPlaced"]) == (2, 2, 0)

    # a newer view shows once the process's reading is older than its few seconds
    await store_in_lake(kafka_bootstrap, topic, lake, [viewed(a_id, "c-new", 0)])

    async def refreshed() -> dict[str, Any]:
        async with asyncio.timeout(30):
            while (found := await lake_console.history())["views"] == 6:
                assert found["readAt"] == read_at  # the same cached reading meanwhile
                await asyncio.sleep(1)
            return found

    later = await refreshed()
    assert later["readAt"] > read_at
    assert answered(later) == lake_counts(lake, a_id, later["since"], later["readAt"])
    assert (later["views"], later["viewers"]) == (7, 5)


async def test_menu_view_history_needs_a_restaurant_and_sane_arguments(
    lake_console: LakeConsole,
) -> None:
    bff = lake_console.bff
    anonymous = await bff.gql(HISTORY, None, days=14, offset=0)
    assert anonymous.status_code == 200 and anonymous.json()["data"] is None
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    customer = await bff.gql(HISTORY, bff.token_of("c-lena", "customer"), days=14, offset=0)
    assert customer.status_code == 403
    for days, offset in ((0, 0), (29, 0), (14, 7), (14, 900)):
        answer = (await bff.gql(HISTORY, days=days, offset=offset)).json()
        assert answer["data"] is None, answer
        assert "must be" in answer["errors"][0]["message"], answer
