"""登记故障 in real Chromium: a person signs in, records a phoned-in service request through
the form, lands on its page, and its 10-minute response clock runs while the 1-hour
resolution clock does not exist for it."""

from __future__ import annotations

from playwright.async_api import Browser

from tests.api.conftest import TOKEN
from tests.console.signin_support import USER, Console
from tests.support.browser import DESKTOP, open_page, save_screenshot

SUMMARY = "窗口电话反映：预约页面打不开"


async def test_a_request_reported_through_the_form(browser: Browser, console: Console) -> None:
    async with open_page(browser, DESKTOP) as (page, errors):
        await page.goto(f"{console.base}/login?next=/incidents")
        await page.fill("input[name=name]", USER)
        await page.fill("input[name=token]", TOKEN)
        await page.click("button[type=submit]")
        await page.wait_for_url("**/incidents")
        await page.click("[data-report-link]")
        await page.wait_for_selector('[data-form="report"]')
        await page.select_option("select[name=app]", "kq-oa")
        await page.select_option("select[name=kind]", "request")
        await page.select_option("select[name=channel]", "phone")
        await page.fill("input[name=summary]", SUMMARY)
        await page.click('[data-form="report"] button[type=submit]')
        await page.wait_for_url("**/incidents/*-kq-oa-reported")
        body = await page.text_content("body") or ""
        assert SUMMARY in body
        await save_screenshot(page, "report-request")
        assert errors == []
    [incident] = [i for i in console.service.alerts.active.values() if i.source == "reported"]
    assert (incident.kind, incident.channel, incident.reported_by) == ("request", "phone", USER)
    console.clock.advance(11 * 60)  # past sla.request_response (10 min), unacknowledged
    await console.service.alerts.tick_all()
    late = await console.service.alerts.get(incident.id)
    assert late.response_breached
    console.clock.advance(3600)
    await console.service.alerts.tick_all()
    assert not (await console.service.alerts.get(incident.id)).resolution_breached
