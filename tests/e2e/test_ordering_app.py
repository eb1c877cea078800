"""The ordering web app in real Chromium at phone size, served by the customer BFF (all
roles) on the real stack, with the kitchen's and the driver's events simulated: browse,
fill the cart, order, follow every step live without a reload; and the cancel path.
Screenshots go to test-results/ordering-app/."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, expect
from pymongo.asynchronous.database import AsyncDatabase

from adapters.settings import Settings
from adapters.store import Document
from bff.customer.demo import CUSTOMERS
from bff.customer.spec import STATIC_DIR
from events import DeliveryAccepted, GeoPoint, OrderDelivered, OrderPickedUp
from tests.integration.listening import wait_for
from tests.integration.shop import DIAVOLA, MARGHERITA, Shop, open_shop
from tests.support import upstream
from tests.support.browser import PHONE, chromium, console_errors, require_file, screenshot

pytestmark = pytest.mark.e2e
NAME = "ordering-app"
LENA = CUSTOMERS[0]


@pytest.fixture(name="lena")
async def lena_fixture(
    settings: Settings, topic: str, db: AsyncDatabase[Document]
) -> AsyncIterator[Shop]:
    """Lena (a demo customer with a home address) and one simulated restaurant."""
    async with open_shop(settings, topic, db, LENA.id, LENA.name) as shop:
        yield shop


async def sign_in(page: Page, shop: Shop) -> None:
    await page.goto(f"http://{shop.host}/dev/signin")
    await page.get_by_test_id(f"signin-{shop.customer_id}").click()
    await expect(page.get_by_test_id("live-status")).to_contain_text("Live")


async def fill_cart_and_order(page: Page, shop: Shop, *adds: str) -> str:
    """From the restaurant list: add items, check out to Lena's home; the order's id."""
    await page.get_by_test_id(f"restaurant-{shop.restaurant.id}").click()
    for item in adds:
        await page.get_by_test_id(f"menu-item-{item}").get_by_test_id("add").click()
    await expect(page.get_by_test_id("cart-count")).to_have_text(str(len(adds)))
    await page.get_by_test_id("cart-button").click()
    await expect(page.get_by_test_id("address-line1")).to_have_value(LENA.home.line1)
    await page.get_by_test_id("place-order").click()
    await expect(page.get_by_test_id("order-status")).to_contain_text("Placed")
    return await newest_order(shop)


async def newest_order(shop: Shop) -> str:
    """The customer's newest order, once the customer's view has it (the app showed the
    placeOrder answer; the view learns of the order when order-placed comes back)."""
    found: list[str] = []

    async def listed() -> bool:
        orders = await shop.data("{ myOrders(first: 1) { items { id } } }")
        found[:] = [o["id"] for o in orders["myOrders"]["items"]]
        return bool(found)

    await wait_for("the order in the customer's view", listed, 30)
    return found[0]


async def test_a_customer_orders_and_follows_every_step_live(lena: Shop) -> None:
    require_file(STATIC_DIR / "index.html", "The built ordering app")
    async with chromium() as browser:
        page = await browser.new_page(viewport=PHONE)
        errors = console_errors(page)
        await sign_in(page, lena)
        await expect(page.get_by_test_id(f"restaurant-{lena.restaurant.id}")).to_be_visible()
        await screenshot(page, NAME, "1 restaurants")

        await page.get_by_test_id(f"restaurant-{lena.restaurant.id}").click()
        row = page.get_by_test_id(f"menu-item-{MARGHERITA}")
        await row.get_by_test_id("add").click()
        await row.get_by_test_id("increase").click()
        await expect(row.get_by_test_id("quantity")).to_have_text("2")
        await page.get_by_test_id(f"menu-item-{DIAVOLA}").get_by_test_id("add").click()
        await expect(page.get_by_test_id("cart-count")).to_have_text("3")
        await screenshot(page, NAME, "2 menu with cart")

        await page.reload()  # the cart is kept across reloads
        await expect(page.get_by_test_id("cart-count")).to_have_text("3")
        await page.get_by_test_id("cart-button").click()
        await expect(page.get_by_test_id("subtotal")).to_contain_text("30.50")
        await expect(page.get_by_test_id("address-line1")).to_have_value(LENA.home.line1)
        await page.get_by_test_id("note").fill("Please ring twice")
        await screenshot(page, NAME, "3 checkout")
        await page.get_by_test_id("place-order").click()
        await expect(page.get_by_test_id("order-status")).to_contain_text("Placed")
        order_id = await newest_order(lena)
        order = await lena.order_snapshot(order_id)
        assert order.note == "Please ring twice" and order.subtotal.amount == 3050

        await lena.publish(upstream.accepted(order, prep_minutes=20))
        await expect(page.get_by_test_id("order-status")).to_contain_text("Accepted")
        await expect(page.get_by_test_id("estimated-ready")).to_be_visible()
        await expect(page.get_by_test_id("cancel-order")).to_be_hidden()
        await screenshot(page, NAME, "4 accepted")

        await lena.publish(upstream.delivery_event(DeliveryAccepted, order))
        await expect(page.get_by_test_id("driver-name")).to_have_text("Jonas Weber")
        await expect(page.get_by_test_id("driver-vehicle")).to_contain_text("bicycle")
        await lena.publish(upstream.ready(order))
        await expect(page.get_by_test_id("order-status")).to_contain_text("Ready")
        await expect(page.get_by_test_id("step-READY")).to_be_visible()

        await lena.publish(upstream.delivery_event(OrderPickedUp, order))
        await lena.publish(upstream.location_changed(GeoPoint(lat=52.4990, lng=13.4250), order))
        await expect(page.get_by_test_id("order-status")).to_contain_text("Picked up")
        await expect(page.get_by_test_id("map")).to_be_visible()
        await expect(page.get_by_test_id("driver-distance")).to_contain_text("km")
        await screenshot(page, NAME, "5 on the way")

        await lena.publish(upstream.delivery_event(OrderDelivered, order))
        await expect(page.get_by_test_id("order-status")).to_contain_text("Delivered")
        await expect(page.get_by_test_id("step-DELIVERED")).to_be_visible()
        await screenshot(page, NAME, "6 delivered")
        assert errors == []


async def test_a_customer_cancels_while_the_kitchen_has_not_decided(lena: Shop) -> None:
    require_file(STATIC_DIR / "index.html", "The built ordering app")
    async with chromium() as browser:
        page = await browser.new_page(viewport=PHONE)
        errors = console_errors(page)
        await sign_in(page, lena)
        order_id = await fill_cart_and_order(page, lena, MARGHERITA)

        await page.get_by_test_id("cancel-order").click()
        await page.get_by_test_id("cancel-reason").fill("Ordered by mistake")
        await page.get_by_test_id("confirm-cancel").click()
        await expect(page.get_by_test_id("order-status")).to_contain_text("Cancelled")
        await expect(page.get_by_test_id("cancel-reason-text")).to_contain_text(
            "Ordered by mistake"
        )
        await expect(page.get_by_test_id("step-CANCELLED")).to_be_visible()
        await screenshot(page, NAME, "7 cancelled")

        await page.get_by_test_id("nav-orders").click()
        await expect(page.get_by_test_id(f"order-{order_id}")).to_contain_text("Cancelled")
        await screenshot(page, NAME, "8 my orders")
        assert errors == []
    cancels = await lena.events_on_hub("order-cancelled")
    assert [(e.order.id, e.reason) for e in cancels] == [(order_id, "Ordered by mistake")]
