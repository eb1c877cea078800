"""Whole orders through the three apps at once, in real Chromium, against the running
system (every BFF's roles as separate processes, the real stack): the customer orders on
a phone, the kitchen decides on a tablet, a driver delivers on a phone; each app shows
every step live, without a reload. Also the kitchen's reject and the customer's cancel.
Screenshots of each app at each step go to test-results/whole-system/.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, Page, expect

from bff.customer.demo import CUSTOMERS
from bff.restaurant.demo import RESTAURANTS
from tests.integration.listening import wait_for
from tests.support.browser import PHONE, TABLET, chromium, console_errors, screenshot
from tests.system.whole import System

pytestmark = pytest.mark.e2e
NAME = "whole-system"
SAKURA = RESTAURANTS[1]
DISH = SAKURA.items[0].id
AYLIN = "d-aylin"


@dataclass
class Apps:
    customer: Page
    kitchen: Page
    driver: Page
    errors: list[str]

    async def shoot(self, step: str) -> None:
        for app, page in (("customer", self.customer), ("kitchen", self.kitchen)):
            await screenshot(page, NAME, f"{step} {app}")
        await screenshot(self.driver, NAME, f"{step} driver")


async def sign_in(page: Page, system: System, bff: str, actor_id: str) -> None:
    await page.goto(f"{system.url(bff)}/dev/signin")
    await page.get_by_test_id(f"signin-{actor_id}").click()
    await expect(page.get_by_test_id("live-status")).to_contain_text("Live")


@asynccontextmanager
async def three_apps(browser: Browser, system: System, customer_id: str) -> AsyncIterator[Apps]:
    """The customer's phone, Sakura's kitchen tablet and Aylin's phone, each signed in
    (its own browser context: its own storage, as on three devices)."""
    pages = []
    errors: list[str] = []
    for viewport in (PHONE, TABLET, PHONE):
        context = await browser.new_context(viewport=viewport)
        page = await context.new_page()
        errors_of_page = console_errors(page)
        pages.append((page, errors_of_page))
    customer, kitchen, driver = (p for p, _ in pages)
    await sign_in(customer, system, "customer", customer_id)
    await sign_in(kitchen, system, "restaurant", SAKURA.restaurant.id)
    await sign_in(driver, system, "driver", AYLIN)
    yield Apps(customer, kitchen, driver, errors)
    for _, found in pages:
        errors += found


async def order_sushi(apps: Apps, system: System, customer_id: str) -> str:
    """Order one dish from Sakura in the customer app; the new order's id."""
    query = "{ myOrders(first: 50) { items { id } } }"

    async def mine() -> set[str]:
        found = await system.gql("customer", customer_id, query)
        return {o["id"] for o in found["myOrders"]["items"]}

    before = await mine()
    page = apps.customer
    await page.get_by_test_id("nav-home").click()
    await page.get_by_test_id(f"restaurant-{SAKURA.restaurant.id}").click()
    await page.get_by_test_id(f"menu-item-{DISH}").get_by_test_id("add").click()
    await page.get_by_test_id("cart-button").click()
    await page.get_by_test_id("place-order").click()
    await expect(page.get_by_test_id("order-status")).to_contain_text("Placed")
    new: set[str] = set()

    async def listed() -> bool:  # the customer's view has it once order-placed came back
        nonlocal new
        new = await mine() - before
        return len(new) == 1

    await wait_for("the new order in the customer's orders", listed, 30)
    return new.pop()


async def driver_online(page: Page) -> None:
    if await page.get_by_test_id("driver-status").inner_text() == "Available":
        return
    await page.get_by_test_id("demo-location-kreuzberg").click()
    await page.get_by_test_id("online-switch").click()
    await expect(page.get_by_test_id("driver-status")).to_have_text("Available")


async def test_an_order_goes_through_all_three_apps_live(system: System) -> None:
    omar = CUSTOMERS[1].id
    async with chromium() as browser, three_apps(browser, system, omar) as apps:
        await driver_online(apps.driver)
        order_id = await order_sushi(apps, system, omar)
        ticket = apps.kitchen.get_by_test_id("column-new").get_by_test_id(f"ticket-{order_id}")
        await expect(ticket).to_be_visible()
        await expect(apps.kitchen.get_by_test_id("new-order-alert")).to_be_visible()
        await apps.shoot("1 placed")

        await ticket.get_by_test_id("accept").click()
        await apps.kitchen.get_by_test_id("prep-minutes").fill("10")
        await apps.kitchen.get_by_test_id("confirm-accept").click()
        preparing = apps.kitchen.get_by_test_id("column-preparing")
        await expect(preparing.get_by_test_id(f"ticket-{order_id}")).to_be_visible()
        await expect(apps.customer.get_by_test_id("order-status")).to_contain_text("Accepted")
        offer = apps.driver.get_by_test_id(f"offer-{order_id}")
        await expect(offer).to_be_visible()
        await apps.shoot("2 accepted")

        await offer.get_by_test_id("accept").click()
        await expect(apps.driver.get_by_test_id("delivery-status")).to_have_text("Accepted")
        await expect(apps.driver.get_by_test_id("pick-up")).to_be_disabled()
        await expect(apps.customer.get_by_test_id("driver-name")).to_have_text("Aylin Kaya")
        card = preparing.get_by_test_id(f"ticket-{order_id}")
        await expect(card.get_by_test_id("driver")).to_contain_text("Aylin Kaya")
        await apps.shoot("3 driver assigned")

        await card.get_by_test_id("mark-ready").click()
        ready = apps.kitchen.get_by_test_id("column-ready").get_by_test_id(f"ticket-{order_id}")
        await expect(ready).to_be_visible()
        await expect(apps.customer.get_by_test_id("order-status")).to_contain_text("Ready")
        await expect(apps.driver.get_by_test_id("kitchen-ready")).to_have_text("Ready for pickup")
        await apps.shoot("4 ready")

        await apps.driver.get_by_test_id("pick-up").click()
        await expect(apps.driver.get_by_test_id("delivery-status")).to_have_text("Picked up")
        await expect(apps.customer.get_by_test_id("order-status")).to_contain_text("Picked up")
        road = apps.kitchen.get_by_test_id("column-out-for-delivery")
        await expect(road.get_by_test_id(f"ticket-{order_id}")).to_be_visible()
        await apps.shoot("5 picked up")

        await apps.driver.get_by_test_id("deliver").click()
        await expect(apps.driver.get_by_test_id("driver-status")).to_have_text("Available")
        await expect(apps.customer.get_by_test_id("order-status")).to_contain_text("Delivered")
        await expect(apps.customer.get_by_test_id("step-DELIVERED")).to_be_visible()
        await expect(road.get_by_test_id(f"ticket-{order_id}")).to_be_hidden()
        await apps.shoot("6 delivered")
    assert apps.errors == []
    ticket_now = await system.gql(
        "restaurant", SAKURA.restaurant.id, f'{{ ticket(orderId: "{order_id}") {{ status }} }}'
    )
    assert ticket_now["ticket"]["status"] == "DELIVERED"


async def test_the_kitchen_rejects_and_the_customer_sees_why(system: System) -> None:
    mia = CUSTOMERS[2].id
    async with chromium() as browser, three_apps(browser, system, mia) as apps:
        await driver_online(apps.driver)
        order_id = await order_sushi(apps, system, mia)
        ticket = apps.kitchen.get_by_test_id("column-new").get_by_test_id(f"ticket-{order_id}")
        await ticket.get_by_test_id("reject").click()
        await apps.kitchen.get_by_test_id("reject-reason").fill("Out of salmon")
        await apps.kitchen.get_by_test_id("confirm-reject").click()
        await expect(ticket).to_be_hidden()
        await expect(apps.customer.get_by_test_id("order-status")).to_contain_text("Rejected")
        await expect(apps.customer.get_by_test_id("reject-reason")).to_contain_text("Out of salmon")
        await apps.shoot("7 rejected")
        offer = await system.gql("driver", AYLIN, f'{{ offer(id: "{order_id}") {{ id }} }}')
        assert offer["offer"] is None
        await expect(apps.driver.get_by_test_id(f"offer-{order_id}")).to_have_count(0)
    assert apps.errors == []


async def test_the_customer_cancels_and_the_kitchen_sees_it_go(system: System) -> None:
    lena = CUSTOMERS[0].id
    async with chromium() as browser, three_apps(browser, system, lena) as apps:
        order_id = await order_sushi(apps, system, lena)
        ticket = apps.kitchen.get_by_test_id("column-new").get_by_test_id(f"ticket-{order_id}")
        await expect(ticket).to_be_visible()
        await apps.customer.get_by_test_id("cancel-order").click()
        await apps.customer.get_by_test_id("cancel-reason").fill("Ordered by mistake")
        await apps.customer.get_by_test_id("confirm-cancel").click()
        await expect(apps.customer.get_by_test_id("order-status")).to_contain_text("Cancelled")
        await expect(ticket).to_be_hidden()
        await apps.shoot("8 cancelled")
        found = await system.gql(
            "restaurant", SAKURA.restaurant.id, f'{{ ticket(orderId: "{order_id}") {{ status }} }}'
        )
        assert found["ticket"]["status"] == "CANCELLED"
        offer = await system.gql("driver", AYLIN, f'{{ offer(id: "{order_id}") {{ id }} }}')
        assert offer["offer"] is None
    assert apps.errors == []
