"""The on-call engineer's incident, end to end in real Chromium against a real Service and a
real local app: sign in, see the incident appear on the wall when the app goes down (live,
without a reload), acknowledge it from the incident page, watch it resolve on the wall, open
its analysis report; then the same pages on a phone. Screenshots of the wall and of the
incident at desktop and phone width go to test-artifacts/screenshots/.

The service's clock is the real time (set by hand, moved by the test), so the countdowns the
browser computes from its own clock read as they would in use.
"""

from __future__ import annotations

import time
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from monitor.service import Service
from tests.api.conftest import TOKEN, SetClock, run_checks
from tests.console.signin_support import USER, Console, running_console
from tests.support.browser import DESKTOP, PHONE, document_width, open_page, save_screenshot

LIVE_WAIT_MS = 8_000  # the stream sends changes every console.live_interval (2 s)


async def sign_in(page: Page, base: str, next_path: str = "/") -> None:
    await page.goto(f"{base}/login?next={next_path}")
    await page.fill("input[name=name]", USER)
    await page.fill("input[name=token]", TOKEN)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}{next_path}")
    await expect(page.locator("[data-user]")).to_have_text(USER)


async def fail_twice(console: Console) -> str:
    """The app answers 503 for two runs (confirm 2): an incident opens."""
    console.target.status = 503
    for _ in range(2):
        await run_checks(console.service)
        console.clock.advance(60)
    (incident,) = [i for i in console.service.alerts.active.values() if i.app_id == "kq-oa"]
    return incident.id


async def recover(service: Service, console: Console) -> None:
    console.target.status = 200
    for _ in range(2):  # recover 2
        await run_checks(service)
        console.clock.advance(60)


async def test_incident_from_the_wall_to_the_report(tmp_path: Path, browser: Browser) -> None:
    clock = SetClock(time.time())
    async with running_console(tmp_path, clock) as console:
        base = console.base
        await run_checks(console.service)  # every check has a result: the wall is green
        async with open_page(browser, DESKTOP) as (page, errors):
            await sign_in(page, base)
            tile = page.locator("#t-kq-oa")
            await expect(tile).to_have_attribute("data-status", "up")
            await page.evaluate("window.__noReload = 'still here'")

            incident_id = await fail_twice(console)
            await console.service.outbox.run_once()  # the app's webhook gets the alert
            incident = page.locator(f"[data-incident='{incident_id}']")
            await expect(incident).to_be_visible(timeout=LIVE_WAIT_MS)
            await expect(tile).to_have_attribute("data-status", "down", timeout=LIVE_WAIT_MS)
            assert await page.evaluate("window.__noReload") == "still here"  # no reload
            response_clock = incident.locator("[data-clock=response]")
            await expect(response_clock).to_contain_text("剩余")  # the live countdown
            await save_screenshot(page, "flow-wall-desktop")

            await incident.locator("a").first.click()
            await page.wait_for_url(f"{base}/incidents/{incident_id}")
            await page.fill("form[data-form=ack] textarea, form[data-form=ack] input[name=note]",
                            "正在排查数据库连接")
            await page.click("form[data-form=ack] button[type=submit]")
            await expect(page.locator("[data-done=ack]")).to_be_visible()
            await expect(page.locator("[data-state]").first).to_have_attribute(
                "data-state", "acknowledged")
            await expect(page.locator("[data-entry=acknowledged]")).to_contain_text(USER)
            await expect(page.locator("[data-delivery=sent]")).to_have_count(1)  # the alert
            await save_screenshot(page, "flow-incident-desktop")
            stored = await console.service.alerts.get(incident_id)
            assert stored.acknowledged_by == USER

            await page.goto(f"{base}/")
            await expect(incident).to_be_visible()
            await page.evaluate("window.__noReload = 'again'")
            await recover(console.service, console)
            await expect(incident).to_have_count(0, timeout=LIVE_WAIT_MS)  # resolved: gone
            await expect(tile).to_have_attribute("data-status", "up", timeout=LIVE_WAIT_MS)
            assert await page.evaluate("window.__noReload") == "again"

            await page.goto(f"{base}/incidents/{incident_id}")
            await expect(page.locator("[data-state]").first).to_have_attribute(
                "data-state", "resolved")
            await page.click("[data-report]")
            await page.wait_for_url(f"{base}/reports/incident/{incident_id}")
            await expect(page.locator("body")).to_contain_text(incident_id)
            await expect(page.locator("body")).to_contain_text("故障分析报告")
            assert errors == []

        async with open_page(browser, PHONE) as (page, errors):
            await sign_in(page, base, f"/incidents/{incident_id}")
            assert await document_width(page) <= PHONE.width
            await save_screenshot(page, "flow-incident-phone")
            await page.goto(f"{base}/")
            await expect(page.locator("#t-kq-oa")).to_be_visible()
            assert await document_width(page) <= PHONE.width
            await save_screenshot(page, "flow-wall-phone")
            assert errors == []
