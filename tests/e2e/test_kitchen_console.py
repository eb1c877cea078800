"""The kitchen console in real Chromium, served by the restaurant BFF (all roles) on the
real stack: sign in, a simulated order arrives live, accept it, a driver is assigned,
mark it ready, edit the menu, close the restaurant. Screenshots go to test-results/."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from bff.restaurant.demo import RESTAURANTS
from bff.restaurant.spec import STATIC_DIR
from events import DeliveryAccepted
from tests.integration.kitchen_console import (
    Console,
    console_fixture,  # noqa: F401 (the `console` fixture)
)
from tests.support import upstream
from tests.support.browser import TABLET, chromium, console_errors, require_file, screenshot

pytestmark = pytest.mark.e2e
NAME = "kitchen-console"
MARGHERITA = RESTAURANTS[0].items[0].id


async def sign_in(page: Page, console: Console) -> None:
    await page.goto(f"http://{console.host}/dev/signin")
    await page.get_by_test_id(f"signin-{console.restaurant_id}").click()
    await expect(page.get_by_test_id("live-status")).to_contain_text("Live")


async def test_a_kitchen_takes_an_order_from_arrival_to_ready_and_edits_its_menu(
    console: Console,
) -> None:
    require_file(STATIC_DIR / "index.html", "The built kitchen console")
    async with chromium() as browser:
        page = await browser.new_page(viewport=TABLET)
        errors = console_errors(page)
        await sign_in(page, console)
        await expect(page.get_by_test_id("open-switch")).to_have_attribute("aria-checked", "true")

        order = console.order()
        await console.publish(upstream.placed(order))
        card = page.get_by_test_id("column-new").get_by_test_id(f"ticket-{order.id}")
        await expect(card).to_be_visible()
        await expect(card).to_contain_text(order.customer_name)
        await expect(page.get_by_test_id("new-order-alert")).to_be_visible()
        await screenshot(page, NAME, "1 new order arrived")

        await card.get_by_test_id("accept").click()
        await page.get_by_test_id("prep-minutes").fill("20")
        await page.get_by_test_id("confirm-accept").click()
        preparing = page.get_by_test_id("column-preparing").get_by_test_id(f"ticket-{order.id}")
        await expect(preparing).to_be_visible()
        await expect(page.get_by_test_id("new-order-alert")).to_be_hidden()

        await console.publish(upstream.delivery_event(DeliveryAccepted, order))
        await expect(preparing.get_by_test_id("driver")).to_contain_text("Jonas Weber")
        await screenshot(page, NAME, "2 accepted with a driver")

        await preparing.get_by_test_id("mark-ready").click()
        ready = page.get_by_test_id("column-ready").get_by_test_id(f"ticket-{order.id}")
        await expect(ready).to_be_visible()
        await expect(preparing).to_be_hidden()
        await screenshot(page, NAME, "3 ready for pickup")
        ticket = await console.data(f'{{ ticket(orderId: "{order.id}") {{ status }} }}')
        assert ticket["ticket"]["status"] == "READY"

        await page.get_by_test_id("tab-menu").click()
        row = page.get_by_test_id(f"menu-item-{MARGHERITA}")
        await row.get_by_test_id("edit").click()
        await page.get_by_test_id("item-price").fill("10.50")
        await page.get_by_test_id("save-item").click()
        await expect(row).to_contain_text("10.50")
        await row.get_by_test_id("available").click()
        await expect(row.get_by_test_id("available")).to_have_attribute("aria-checked", "false")

        await page.get_by_test_id("new-item-name").fill("Lasagne")
        await page.get_by_test_id("new-item-category").fill("Pasta")
        await page.get_by_test_id("new-item-price").fill("12.90")
        await page.get_by_test_id("add-item").click()
        await expect(page.get_by_text("Lasagne")).to_be_visible()
        await screenshot(page, NAME, "4 menu edited")

        await page.get_by_test_id("open-switch").click()
        await expect(page.get_by_test_id("open-switch")).to_have_attribute("aria-checked", "false")
        await page.get_by_test_id("tab-insights").click()
        await expect(page.get_by_test_id("popularity")).to_be_visible()
        await screenshot(page, NAME, "5 insights")
        await page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
        await page.get_by_test_id("tab-orders").click()
        await expect(ready).to_be_visible()
        await screenshot(page, NAME, "6 portrait tablet")
        assert errors == []

    saved = await console.data(
        "{ restaurant { isOpen menu { items { id name available price { amount } } } } }"
    )
    items = {i["id"]: i for i in saved["restaurant"]["menu"]["items"]}
    assert saved["restaurant"]["isOpen"] is False
    assert (items[MARGHERITA]["price"]["amount"], items[MARGHERITA]["available"]) == (1050, False)
    assert [i["price"]["amount"] for i in items.values() if i["name"] == "Lasagne"] == [1290]
