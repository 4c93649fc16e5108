"""Real Chromium (Debian's `chromium`) driven by Playwright, for the console's end-to-end tests.

The async API only: the service under test runs on the test's own asyncio loop, and the sync
API would block that loop (and refuses to start inside one). Playwright's own browser
downloads are never used (`playwright install` needs the internet); Debian's binary is
launched by path, found by `require_tool("chromium")`, so without it a test is skipped, or
fails under CI=true.

    async def test_page(browser: Browser) -> None:      # the fixture: one browser per test
        async with open_page(browser, PHONE) as (page, errors):
            await page.goto(url)
            assert await document_width(page) <= PHONE.width
            await save_screenshot(page, "overview-phone")  # test-artifacts/screenshots/
            assert errors == []  # console errors, uncaught exceptions: check last, see all
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright
from playwright.async_api import Error as PlaywrightError

from tests.support.tools import require_tool

# We run as root (the sandbox refuses to start), in containers with a small /dev/shm, with no
# GPU and no internet: nothing should try to phone home, sync or load extensions.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
)
TIMEOUT_MS = 10_000  # per action and navigation; Playwright's 30 s default only delays a failure
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool = False  # is_mobile + has_touch + a 2x screen, as a phone in 浙政钉


DESKTOP = Viewport("desktop", 1440, 900)
PHONE = Viewport("phone", 375, 812, mobile=True)
VIEWPORTS = (DESKTOP, PHONE)


@asynccontextmanager
async def launched_browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless, closed (with the Playwright driver) on exit."""
    executable = require_tool("chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """One browser per test: a launch costs about 0.3 s, and a per-test browser lives on the
    test's own loop, next to the server it loads pages from."""
    async with launched_browser() as launched:
        yield launched


def collect_errors(page: Page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions from now on
    (attach before `goto`, or errors during load are missed)."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            errors.append(f"console: {message.text} ({where['url']}:{where['lineNumber']})")

    def on_page_error(error: PlaywrightError) -> None:
        errors.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors


@asynccontextmanager
async def open_page(
    browser: Browser, viewport: Viewport = DESKTOP
) -> AsyncIterator[tuple[Page, list[str]]]:
    """A page in a fresh context (no shared cookies or storage) at `viewport`, and the list
    `collect_errors` fills for it. The locale and time zone are the users' (zh-CN, +08:00)."""
    context = await browser.new_context(
        viewport={"width": viewport.width, "height": viewport.height},
        device_scale_factor=2 if viewport.mobile else 1,
        is_mobile=viewport.mobile,
        has_touch=viewport.mobile,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = await context.new_page()
        yield page, collect_errors(page)
    finally:
        await context.close()


async def document_width(page: Page) -> int:
    """The document's scroll width in CSS px: more than the viewport means sideways scrolling."""
    width: int = await page.evaluate("document.documentElement.scrollWidth")
    return width


async def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Write test-artifacts/screenshots/<name>.png (for a human to look at) and return it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=path, full_page=full_page)
    return path
