"""The driver app in real Chromium at phone size, served by the driver BFF (all roles) on
the real stack, with the kitchens' events simulated on the hub: go online at a demo
location, offers arrive live (nearest first), take one, wait for the kitchen, pick it up,
deliver it, see the day's earnings; an offer another driver takes disappears live, and
one taken a moment before the tap is answered with a word instead of a delivery.
Screenshots go to test-results/driver-app/."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, WebSocketRoute, expect

from bff.driver.spec import STATIC_DIR
from bff.restaurant.demo import RESTAURANTS
from tests.integration.driving import (
    Driving,
    driving_fixture,  # noqa: F401 (the `driving` fixture)
)
from tests.support.browser import PHONE, chromium, console_errors, require_file, screenshot

pytestmark = pytest.mark.e2e
NAME = "driver-app"
TRATTORIA, SAKURA = 0, 1  # Kreuzberg (a few hundred metres away), Prenzlauer Berg (4 km)
#: PHONE, typed as Playwright wants it
SCREEN = PHONE


async def sign_in(page: Page, driving: Driving) -> None:
    await page.goto(f"http://{driving.host}/dev/signin")
    await page.get_by_test_id(f"signin-{driving.driver_id}").click()
    await expect(page.get_by_test_id("live-status")).to_contain_text("Live")


async def fits_the_phone(page: Page) -> None:
    """Nothing sticks out sideways (no horizontal scrolling at 390 px)."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


async def go_online_in_kreuzberg(page: Page) -> None:
    """The big switch, at the demo location (the headless browser has no GPS)."""
    await expect(page.get_by_test_id("driver-status")).to_have_text("Offline")
    await page.get_by_test_id("demo-location-kreuzberg").click()
    await expect(page.get_by_test_id("demo-location-kreuzberg")).to_have_attribute(
        "aria-pressed", "true"
    )
    await page.get_by_test_id("online-switch").click()
    await expect(page.get_by_test_id("driver-status")).to_have_text("Available")
    await expect(page.get_by_test_id("online-switch")).to_have_attribute("aria-checked", "true")
    await expect(page.get_by_test_id("no-offers")).to_be_visible()


async def test_a_driver_takes_an_offer_from_the_list_to_the_door(driving: Driving) -> None:
    require_file(STATIC_DIR / "index.html", "The built driver app")
    async with chromium() as browser:
        page = await browser.new_page(viewport=SCREEN)
        errors = console_errors(page)
        await sign_in(page, driving)
        await expect(page.get_by_test_id("driver-name")).to_have_text("Jonas Weber")
        await expect(page.get_by_test_id("driver-vehicle")).to_have_text("Bicycle")
        await expect(page.get_by_test_id("offline-message")).to_be_visible()
        await fits_the_phone(page)
        await screenshot(page, NAME, "1 offline")

        await go_online_in_kreuzberg(page)
        await screenshot(page, NAME, "2 online without offers")

        # published after the page is live: both appear without a reload, nearest first
        far, _ = await driving.offer(SAKURA)
        await expect(page.get_by_test_id(f"offer-{far.id}")).to_be_visible()
        near, accepted = await driving.offer(TRATTORIA)
        cards = page.get_by_test_id("offers-list").locator("li.offer")
        await expect(cards).to_have_count(2)
        await expect(cards.nth(0)).to_have_attribute("data-testid", f"offer-{near.id}")
        await expect(cards.nth(1)).to_have_attribute("data-testid", f"offer-{far.id}")
        card = page.get_by_test_id(f"offer-{near.id}")
        await expect(card).to_contain_text(RESTAURANTS[TRATTORIA].restaurant.name)
        await expect(card.get_by_test_id("offer-distance")).to_contain_text("0.3 km")
        await expect(card.get_by_test_id("offer-fee")).to_have_text("€2.99")
        await expect(
            page.get_by_test_id(f"offer-{far.id}").get_by_test_id("offer-distance")
        ).to_contain_text("4.4 km")
        await fits_the_phone(page)
        await screenshot(page, NAME, "3 offers arrived live")

        await card.get_by_test_id("accept").click()
        delivery = page.get_by_test_id("delivery")
        await expect(delivery).to_be_visible()
        await expect(page.get_by_test_id("driver-status")).to_have_text("On a delivery")
        await expect(page.get_by_test_id("delivery-status")).to_have_text("Accepted")
        await expect(page.get_by_test_id("pickup-address")).to_contain_text(
            RESTAURANTS[TRATTORIA].restaurant.address.line1
        )
        await expect(page.get_by_test_id("drop-off")).to_contain_text(near.customer_name)
        await expect(page.get_by_test_id("drop-off-address")).to_contain_text(
            near.delivery_address.line1
        )
        await expect(page.get_by_test_id("map")).to_be_visible()
        await expect(page.get_by_test_id("kitchen-ready")).to_contain_text(
            "Waiting for the kitchen"
        )
        await expect(page.get_by_test_id("pick-up")).to_be_disabled()
        await expect(page.get_by_test_id(f"offer-{far.id}")).to_be_hidden()
        await fits_the_phone(page)
        await screenshot(page, NAME, "4 accepted waiting for the kitchen")

        await page.reload()  # the delivery is the driver's, not the page's
        await expect(page.get_by_test_id("live-status")).to_contain_text("Live")
        await expect(page.get_by_test_id("delivery-status")).to_have_text("Accepted")
        await expect(page.get_by_test_id("pick-up")).to_be_disabled()

        await driving.ready(near, accepted)  # the kitchen: live, no reload
        await expect(page.get_by_test_id("kitchen-ready")).to_have_text("Ready for pickup")
        await expect(page.get_by_test_id("pick-up")).to_be_enabled()
        await screenshot(page, NAME, "5 ready for pickup")

        await page.get_by_test_id("pick-up").click()
        await expect(page.get_by_test_id("delivery-status")).to_have_text("Picked up")
        await expect(page.get_by_test_id("pick-up")).to_be_hidden()
        await expect(page.get_by_test_id("deliver")).to_be_enabled()
        await screenshot(page, NAME, "6 picked up")

        await page.get_by_test_id("deliver").click()
        await expect(page.get_by_test_id("driver-status")).to_have_text("Available")
        await expect(delivery).to_be_hidden()
        await expect(page.get_by_test_id("toast")).to_contain_text("Delivered")
        await expect(page.get_by_test_id(f"offer-{far.id}")).to_be_visible()  # offers again
        await screenshot(page, NAME, "7 delivered and available again")

        await page.get_by_test_id("nav-today").click()
        await expect(page.get_by_test_id("earnings-today")).to_have_text("€2.99")
        await expect(page.get_by_test_id("delivered-today")).to_contain_text("1 delivery")
        await expect(page.get_by_test_id(f"history-{near.id}")).to_contain_text("Delivered")
        await fits_the_phone(page)
        await screenshot(page, NAME, "8 today")
        assert errors == []
    delivered = await driving.events_on_hub("order-delivered")
    assert [(e.delivery.order_id, e.delivery.driver_id) for e in delivered] == [
        (near.id, driving.driver_id)
    ]


async def test_an_offer_another_driver_takes_disappears_live(driving: Driving) -> None:
    require_file(STATIC_DIR / "index.html", "The built driver app")
    async with chromium() as browser:
        page = await browser.new_page(viewport=SCREEN)
        errors = console_errors(page)
        await sign_in(page, driving)
        await go_online_in_kreuzberg(page)
        order, _ = await driving.offer(TRATTORIA)
        card = page.get_by_test_id(f"offer-{order.id}")
        await expect(card).to_be_visible()

        aylin = driving.token_of("d-aylin")
        assert (await driving.go_online(aylin))["__typename"] == "Me"
        taken = await driving.act("acceptDelivery", order.id, aylin)
        assert taken["__typename"] == "Delivery", taken
        await expect(card).to_be_hidden()
        await expect(page.get_by_test_id("no-offers")).to_be_visible()
        await expect(page.get_by_test_id("driver-status")).to_have_text("Available")
        await screenshot(page, NAME, "9 taken by another driver")
        assert errors == []


async def test_taking_an_offer_another_driver_just_took_says_so(driving: Driving) -> None:
    """The card is still on screen (its CLOSED push held back, as on a slow network)
    when Jonas taps Accept: the server answers TAKEN, the app says so and drops it."""
    require_file(STATIC_DIR / "index.html", "The built driver app")
    held_back = False

    def hold_offer_pushes(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def to_page(message: str | bytes) -> None:
            if not (held_back and '"offers"' in str(message)):
                ws.send(message)

        server.on_message(to_page)

    async with chromium() as browser:
        page = await browser.new_page(viewport=SCREEN)
        errors = console_errors(page)
        await page.route_web_socket(re.compile(r"/graphql$"), hold_offer_pushes)
        await sign_in(page, driving)
        await go_online_in_kreuzberg(page)
        order, _ = await driving.offer(TRATTORIA)
        card = page.get_by_test_id(f"offer-{order.id}")
        await expect(card).to_be_visible()

        held_back = True
        aylin = driving.token_of("d-aylin")
        await driving.go_online(aylin)
        assert (await driving.act("acceptDelivery", order.id, aylin))["__typename"] == "Delivery"
        await card.get_by_test_id("accept").click()
        await expect(page.get_by_test_id("toast")).to_have_text("Another driver took this order")
        await expect(card).to_be_hidden()
        await expect(page.get_by_test_id("driver-status")).to_have_text("Available")
        await screenshot(page, NAME, "10 taken just before the tap")
        assert errors == []
