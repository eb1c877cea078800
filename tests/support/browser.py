"""Real Chromium for the end-to-end tests: the Debian build the setup installs, with every
background and phone-home feature off, and screenshots saved under ``test-results/``."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, Page, ViewportSize, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--autoplay-policy=no-user-gesture-required",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
TABLET: ViewportSize = {"width": 1024, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}


def require_file(path: Path, what: str) -> None:
    """Fail (never skip) when the setup did not provide ``path``."""
    assert path.exists(), f"{what} is missing at {path}: run the setup (scripts/bootstrap)"


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Chromium, headless; fails (never skips) when the setup did not install it."""
    require_file(CHROMIUM, "Chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


async def screenshot(page: Page, test: str, step: str) -> Path:
    """Save the page as ``test-results/<test>/<step>.png`` (not committed)."""
    path = RESULTS / _slug(test) / f"{_slug(step)}.png"
    os.makedirs(path.parent, exist_ok=True)
    await page.screenshot(path=str(path), full_page=True)
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def console_errors(page: Page) -> list[str]:
    """Collects the page's console errors and uncaught exceptions from now on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors
