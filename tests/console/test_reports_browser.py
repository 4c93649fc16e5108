"""The reports page in real Chromium, on a desktop and on a phone: sign in through the form,
generate a monthly report through the page's form, and find it listed.

Screenshots: test-artifacts/screenshots/reports-desktop.png, reports-phone.png, login-phone.png.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from tests.api.conftest import TOKEN, SetClock, open_incident
from tests.console.signin_support import USER, Console, running_console
from tests.support.browser import VIEWPORTS, Viewport, document_width, open_page, save_screenshot


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[Console]:
    """The service with one resolved incident, so the list has a draft to show."""
    clock = SetClock()
    async with running_console(tmp_path, clock) as running:
        incident_id = await open_incident(running.service, running.target, clock)
        clock.advance(600)
        async with aiohttp.ClientSession() as http, http.post(
            f"{running.base}/api/v1/incidents/{incident_id}/resolve",
            json={"by": USER, "cause": "数据库连接池耗尽", "note": "已扩容", "force": True},
            headers={"Authorization": f"Bearer {TOKEN}"},
        ) as resp:
            assert resp.status == 200
        await running.service.drafts.drain()
        yield running


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
async def test_sign_in_and_generate_a_report(browser: Browser, console: Console,
                                             viewport: Viewport) -> None:
    async with open_page(browser, viewport) as (page, errors):
        await page.goto(f"{console.base}/login?next=/reports")
        assert await document_width(page) <= viewport.width
        if viewport.mobile:
            await save_screenshot(page, "login-phone")
        await page.fill("input[name=name]", USER)
        await page.fill("input[name=token]", TOKEN)
        await page.click("button[type=submit]")
        await page.wait_for_url(f"{console.base}/reports")
        await expect(page.locator("[data-user]")).to_have_text(USER)
        await expect(page.locator("[data-section=incidents] li")).to_have_count(1)

        form = page.locator("form[data-generate]")
        await expect(form.locator("input[name=month]")).to_have_value("2025-10")
        await form.locator("select[name=format]").select_option("json")
        await form.locator("button[type=submit]").click()
        await page.wait_for_url(f"{console.base}/reports?done=monthly-2025-10.json")
        await expect(page.locator("[data-done]")).to_contain_text("monthly-2025-10.json")
        await expect(form.locator("select[name=format]")).to_have_value("json")  # kept
        link = page.locator('[data-report="monthly-2025-10"] a[data-format=json]')
        await expect(link).to_be_visible()
        assert await link.get_attribute("href") == "/reports/files/monthly-2025-10.json"
        assert (console.data_dir / "reports" / "monthly-2025-10.json").is_file()

        assert await document_width(page) <= viewport.width
        await save_screenshot(page, f"reports-{viewport.name}")
        if not viewport.mobile:
            # A report opens in the browser under its own strict CSP (no script, sandboxed):
            # it still draws, with no violation reported.
            await page.locator("[data-section=incidents] a[data-format=html]").click()
            await page.wait_for_url("**/reports/files/incident-*.html")
            await expect(page.locator("h1").first).to_contain_text("故障分析报告")
        assert errors == []
