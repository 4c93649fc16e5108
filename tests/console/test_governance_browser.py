"""The governance page in real Chromium at desktop and phone width: sign in through the form,
record progress on a rectification item, see it listed; no console error, and nothing wider
than a 375 px phone."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from tests.api.conftest import TOKEN
from tests.console.signin_support import USER, Console
from tests.console.test_governance_page import DONE_ID, OPEN_ID, seed
from tests.support.browser import (
    DESKTOP,
    PHONE,
    Viewport,
    document_width,
    open_page,
    save_screenshot,
)

NOTE = "已联系开发商，下周完成推广培训"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=lambda v: v.name)
async def test_governance_page_in_a_browser(browser: Browser, console: Console,
                                            viewport: Viewport) -> None:
    vp = viewport
    await seed(console.service)
    item = f'[data-item="{OPEN_ID}"]'
    async with open_page(browser, vp) as (page, errors):
        await page.goto(f"{console.base}/login?next=/governance")
        await page.fill("input[name=name]", USER)
        await page.fill("input[name=token]", TOKEN)
        await page.click("button[type=submit]")
        await page.wait_for_url("**/governance")
        await page.wait_for_selector(f'{item} [data-form="progress"]')
        assert await document_width(page) <= vp.width

        await page.fill(f"{item} textarea[name=note]", NOTE)
        await page.click(f"{item} button[type=submit]")
        await page.wait_for_selector(f'[data-done="{OPEN_ID}"]')
        listed = page.locator(f'{item} [data-note="note"]')
        assert NOTE in (await listed.text_content() or "")
        assert USER in (await listed.text_content() or "")
        assert await document_width(page) <= vp.width
        await save_screenshot(page, f"governance-{vp.name}")

        await page.click('[data-toggle="all"]')
        await page.wait_for_selector(f'[data-item="{DONE_ID}"]')
        assert await document_width(page) <= vp.width
        assert errors == []
    stored = await console.service.listing.store.item(OPEN_ID)
    assert stored is not None
    assert (stored.notes[-1].by, stored.notes[-1].note) == (USER, NOTE)
