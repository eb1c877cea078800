"""The kitchen console's menu views from the event lake, in real Chromium: events go
through the hub into a lake folder written by the real lake writer, the restaurant BFF
reads that folder, and the Insights tab shows each day's views and the totals, equal to
an independent DuckDB query over the same lake; Refresh shows a newer view. The browser
runs at UTC+05:30, so days are local days at a half-hour offset. Screenshots go to
test-results/popularity-panel/."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.settings import Settings
from adapters.store import Document
from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.spec import SPEC, STATIC_DIR
from tests.e2e.test_kitchen_console import sign_in
from tests.integration.kitchen_console import Console, register
from tests.integration.test_popularity import (
    DAY_MS,
    lake_counts,
    store_in_lake,
    two_restaurants,
    viewed,
)
from tests.support import upstream
from tests.support.browser import TABLET, chromium, console_errors, require_file, screenshot
from tests.support.served import serving

pytestmark = pytest.mark.e2e
NAME = "popularity-panel"
TIME_ZONE, OFFSET = "Asia/Kolkata", 330  # UTC+05:30, no daylight saving time


@pytest.fixture(name="lake")
def lake_fixture(tmp_path: Path) -> Path:
    return tmp_path / "lake"


@pytest.fixture(name="lake_console")
async def lake_console_fixture(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis, lake: Path
) -> AsyncIterator[Console]:
    """A registered restaurant's BFF, reading the test's lake folder."""
    restaurant_id = upstream.unique("r")
    await register(db, redis, restaurant_id)
    on_lake = settings.model_copy(update={"lake_dir": lake})
    name = RESTAURANTS[0].restaurant.name
    async with serving(SPEC, on_lake, topic, db, actor_id=restaurant_id, actor_name=name) as bff:
        yield bff.as_(Console)


def window(now_ms: int, days: int = 14) -> int:
    """The start of the last ``days`` local days at OFFSET (the test's own arithmetic)."""
    local = now_ms + OFFSET * 60_000
    return local - local % DAY_MS - (days - 1) * DAY_MS - OFFSET * 60_000


async def shows_lake_counts(page: Page, lake: Path, restaurant_id: str) -> dict[str, Any]:
    """The card's totals and every day's views equal the test's DuckDB query."""
    card = page.get_by_test_id("menu-views-history")
    now = upstream.now_ms()
    expected = lake_counts(lake, restaurant_id, window(now), now, offset=OFFSET)
    views, viewers, orders = expected["total"]
    await expect(card.get_by_test_id("history-views")).to_have_text(str(views))
    await expect(card.get_by_test_id("history-viewers")).to_have_text(str(viewers))
    await expect(card.get_by_test_id("history-orders")).to_have_text(str(orders))
    await expect(card.locator("[data-testid^=history-day-]")).to_have_count(14)
    for day, day_views, _, _ in expected["days"]:
        column = card.get_by_test_id(f"history-day-{day}")
        await expect(column.get_by_test_id("day-views")).to_have_text(str(day_views))
    return expected


async def test_the_insights_tab_shows_menu_views_from_the_lake(
    lake_console: Console, lake: Path, kafka_bootstrap: str, topic: str
) -> None:
    require_file(STATIC_DIR / "index.html", "The built kitchen console")
    a_id, b_id = lake_console.restaurant_id, upstream.unique("r")
    await store_in_lake(kafka_bootstrap, topic, lake, two_restaurants(a_id, b_id), repeat=2)

    async with chromium() as browser:
        page = await browser.new_page(viewport=TABLET, timezone_id=TIME_ZONE)
        errors = console_errors(page)
        await sign_in(page, lake_console)
        assert await page.evaluate("-new Date().getTimezoneOffset()") == OFFSET
        await page.get_by_test_id("tab-insights").click()
        card = page.get_by_test_id("menu-views-history")
        await expect(card.get_by_test_id("history-read-at")).to_be_visible()
        first = await shows_lake_counts(page, lake, a_id)
        assert first["total"] == (6, 4, 3)  # B's two views are not A's
        await card.scroll_into_view_if_needed()
        await screenshot(page, NAME, "1 menu views from the lake")

        await store_in_lake(kafka_bootstrap, topic, lake, [viewed(a_id, "c-new", 0)])
        views = card.get_by_test_id("history-views")
        async with asyncio.timeout(40):  # the BFF keeps a reading for a few seconds
            while await views.text_content() != "7":
                await card.get_by_test_id("refresh-history").click()
                await expect(card.get_by_test_id("refresh-history")).to_be_enabled()
                await asyncio.sleep(1)
        later = await shows_lake_counts(page, lake, a_id)
        assert later["total"] == (7, 5, 3)

        await page.set_viewport_size({"width": 1024, "height": 1280})
        await screenshot(page, NAME, "2 insights after refresh")
        await page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
        await card.scroll_into_view_if_needed()
        await screenshot(page, NAME, "3 portrait tablet")
        assert errors == []
