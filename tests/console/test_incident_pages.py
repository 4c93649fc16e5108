"""The console's incident pages over real HTTP against a real Service: the list and its
filters, the detail (timeline, deliveries, deadlines, report link), and the acknowledge /
note / resolve forms with sign-in and CSRF; results are read back through the JSON API."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from playwright.async_api import Browser

from monitor.api.incidents import MAX_NOTE_CHARS
from tests.api.conftest import TOKEN, Api, SetClock, open_incident
from tests.console.signin_support import (
    USER,
    Console,
    csrf_of,
    get_text,
    post_form,
    running_console,
    sign_in,
)
from tests.support.browser import (
    DESKTOP,
    PHONE,
    Viewport,
    document_width,
    open_page,
    save_screenshot,
)

DAY_S = 86400.0


async def api_incident(console: Console, incident_id: str) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http:
        status, body = await Api(http, console.base).get(f"/api/v1/incidents/{incident_id}")
    assert status == 200
    assert isinstance(body, dict)
    return body


def listed(page: str) -> list[str]:
    return re.findall(r'<tr data-incident="([^"]+)">', page)


async def test_list_filters_by_state_app_department_and_month(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    service, target = console.service, console.target
    november = await open_incident(service, target, clock)  # kq-oa, 2025-11-25
    async with aiohttp.ClientSession() as client:
        status, _ = await Api(client, console.base).post(
            f"/api/v1/incidents/{november}/resolve", {"by": "李四", "cause": "重启", "force": True},
            token=TOKEN)
    assert status == 200
    clock.advance(7 * DAY_S)  # 2025-12-02
    december = await open_incident(service, target, clock, app_id="kq-jczz")

    async def ids(query: str = "", status: int = 200) -> list[str]:
        return listed(await get_text(http, f"{console.base}/incidents{query}", status=status))

    assert await ids() == [december, november]  # newest first
    assert await ids("?state=open") == [december]
    assert await ids("?state=resolved") == [november]
    assert await ids("?app=kq-jczz") == [december]
    assert await ids("?department=区大数据中心") == [november]  # kq-jczz has no department
    assert await ids("?month=2025-11") == [november]
    assert await ids("?month=2025-12") == [december]
    assert await ids("?month=2025-10") == []
    assert await ids("?state=resolved&app=kq-jczz") == []
    assert await ids("?kind=outage") == [december, november]
    assert await ids("?kind=warning") == []
    page = await get_text(http, f"{console.base}/incidents?kind=bogus", status=400)
    assert "未知的类型" in page
    # A malformed filter is named on the page and ignored, not a crash.
    page = await get_text(http, f"{console.base}/incidents?month=2025-13", status=400)
    assert "月份格式应为 YYYY-MM" in page
    assert listed(page) == [december, november]
    # The filter form keeps what was chosen.
    page = await get_text(http, f"{console.base}/incidents?state=open&month=2025-12")
    assert '<option value="open" selected>' in page
    assert 'name="month" value="2025-12"' in page


async def test_detail_shows_timeline_deliveries_deadlines_and_links(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    assert await console.service.outbox.run_once() == 1  # the webhook receiver takes it

    page = await get_text(http, f"{console.base}/incidents/{incident_id}")
    assert 'data-entry="first_failure"' in page
    assert 'data-entry="opened"' in page
    assert "发现并告警" in page  # the timeline's words, in Chinese by default
    assert 'data-delivery="sent"' in page
    assert "故障告警" in page
    assert "已送达" in page
    opened = (clock.now()) * 1000  # opened at the second failed run, now
    assert f'data-deadline="{int(opened + 900_000)}" data-sla="response"' in page
    assert f'data-deadline="{int(opened + 3_600_000)}" data-sla="resolution"' in page
    assert f'href="/reports/incident/{incident_id}"' in page
    assert f'href="/reports/incident/{incident_id}?format=pdf"' in page
    assert 'href="/apps/kq-oa"' in page
    # Not signed in: no forms, an offer to sign in that comes back here.
    assert "data-form=" not in page
    assert f'href="/login?next=/incidents/{incident_id}" data-signin-action' in page

    listing = await get_text(http, f"{console.base}/incidents")
    assert f'href="/incidents/{incident_id}"' in listing
    assert f'data-deadline="{int(opened + 900_000)}"' in listing


async def test_unknown_incident_is_a_404_page(console: Console,
                                              http: aiohttp.ClientSession) -> None:
    page = await get_text(http, f"{console.base}/incidents/no-such-incident", status=404)
    assert "未找到该故障" in page
    await sign_in(http, console.base)
    token = await csrf_of(http, f"{console.base}/incidents")
    reply = await post_form(http, f"{console.base}/incidents/no-such-incident/ack",
                            {"_csrf": token})
    assert reply.status == 404


async def test_a_post_without_a_session_goes_to_sign_in(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    detail = f"/incidents/{incident_id}"
    reply = await post_form(http, f"{console.base}{detail}/ack", {"note": "x"},
                            headers={"Referer": console.base + detail})
    assert reply.status == 303
    location = urlsplit(reply.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == [detail]
    assert (await api_incident(console, incident_id))["state"] == "open"


@pytest.mark.parametrize("csrf", [None, "forged-token"])
async def test_a_wrong_or_missing_csrf_token_is_refused(
        console: Console, clock: SetClock, http: aiohttp.ClientSession,
        csrf: str | None) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    await sign_in(http, console.base)
    for action, fields in (("ack", {}), ("note", {"note": "x"}), ("resolve", {"cause": "y"})):
        data = dict(fields) if csrf is None else {**fields, "_csrf": csrf}
        reply = await post_form(http, f"{console.base}/incidents/{incident_id}/{action}", data)
        assert reply.status == 403, action
    body = await api_incident(console, incident_id)
    assert body["state"] == "open"
    assert [e["type"] for e in body["timeline"]] == ["first_failure", "opened"]


async def test_signed_in_forms_acknowledge_note_and_resolve(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    await sign_in(http, console.base)
    detail = f"{console.base}/incidents/{incident_id}"
    page = await get_text(http, detail)
    assert 'data-form="ack"' in page
    assert 'data-form="resolve"' in page
    assert f"操作人：{USER}" in page
    token = await csrf_of(http, detail)

    clock.advance(120)
    reply = await post_form(http, f"{detail}/ack", {"_csrf": token, "note": "正在排查"})
    assert (reply.status, reply.headers["Location"]) == (
        303, f"/incidents/{incident_id}?done=ack")
    page = await get_text(http, f"{detail}?done=ack")
    assert 'data-done="ack"' in page
    assert "升级通知已停止" in page
    assert 'data-form="ack"' not in page  # acknowledged: no second acknowledge form
    body = await api_incident(console, incident_id)
    assert (body["state"], body["acknowledged_by"], body["response_seconds"]) == (
        "acknowledged", USER, 120.0)

    reply = await post_form(http, f"{detail}/note", {"_csrf": token, "note": "数据库连接池满"})
    assert (reply.status, reply.headers["Location"]) == (
        303, f"/incidents/{incident_id}?done=note")

    # The check still fails: the form says so and asks to confirm; without it, refused.
    page = await get_text(http, detail)
    assert "该检查当前仍失败" in page
    assert 'name="force"' in page
    reply = await post_form(http, f"{detail}/resolve",
                            {"_csrf": token, "cause": "连接池配置过小", "note": "已扩容"})
    assert reply.status == 409
    assert "检查仍在失败" in reply.text
    assert (await api_incident(console, incident_id))["state"] == "acknowledged"
    reply = await post_form(http, f"{detail}/resolve", {
        "_csrf": token, "cause": "连接池配置过小", "note": "已扩容", "force": "yes"})
    assert (reply.status, reply.headers["Location"]) == (
        303, f"/incidents/{incident_id}?done=resolve")
    body = await api_incident(console, incident_id)
    assert (body["state"], body["resolved_by"], body["cause"]) == (
        "resolved", USER, "连接池配置过小")
    entries = [(e["type"], e.get("by"), e.get("note")) for e in body["timeline"]]
    assert entries[-3:] == [("acknowledged", USER, "正在排查"), ("note", USER, "数据库连接池满"),
                            ("resolved", USER, "已扩容")]

    # Resolved: acknowledging or resolving again is a 409 with a message; a note still goes.
    for action, data in (("ack", {}), ("resolve", {"cause": "again"})):
        reply = await post_form(http, f"{detail}/{action}", {"_csrf": token, **data})
        assert reply.status == 409, action
        assert "该故障已恢复" in reply.text
    after = await api_incident(console, incident_id)
    assert after["timeline"] == body["timeline"]
    reply = await post_form(http, f"{detail}/note", {"_csrf": token, "note": "复盘已完成"})
    assert reply.status == 303


async def test_bad_fields_are_refused_with_a_message_and_change_nothing(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    incident_id = await open_incident(console.service, console.target, clock)
    await sign_in(http, console.base)
    detail = f"{console.base}/incidents/{incident_id}"
    token = await csrf_of(http, detail)
    long_note = "长" * (MAX_NOTE_CHARS + 1)

    reply = await post_form(http, f"{detail}/note", {"_csrf": token, "note": long_note})
    assert reply.status == 400
    assert f"内容过长（最多 {MAX_NOTE_CHARS} 字）" in reply.text
    assert long_note in reply.text  # what was typed is kept for fixing
    reply = await post_form(http, f"{detail}/ack", {"_csrf": token, "note": long_note})
    assert reply.status == 400
    reply = await post_form(http, f"{detail}/note", {"_csrf": token, "note": "   "})
    assert (reply.status, "请填写备注内容" in reply.text) == (400, True)
    reply = await post_form(http, f"{detail}/resolve", {"_csrf": token, "cause": ""})
    assert (reply.status, "请填写故障原因" in reply.text) == (400, True)

    body = await api_incident(console, incident_id)
    assert body["state"] == "open"
    assert len(body["timeline"]) == 2


async def test_pages_speak_english_when_configured(tmp_path: Path, clock: SetClock) -> None:
    async with running_console(tmp_path, clock, language="en") as console:
        incident_id = await open_incident(console.service, console.target, clock)
        async with console.client() as http:
            listing = await get_text(http, f"{console.base}/incidents")
            detail = await get_text(http, f"{console.base}/incidents/{incident_id}")
    assert "<h1>Incidents</h1>" in listing
    assert "Detected, incident opened" in detail
    assert "Respond by" in detail


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: v.name)
async def test_incident_page_in_a_browser(browser: Browser, console: Console, clock: SetClock,
                                          viewport: Viewport) -> None:
    """Signed in through the real form, the detail page with its three forms fits a phone,
    counts down its deadlines, and logs no error."""
    vp = viewport
    incident_id = await open_incident(console.service, console.target, clock)
    await console.service.outbox.run_once()
    async with open_page(browser, vp) as (page, errors):
        await page.goto(f"{console.base}/login?next=/incidents/{incident_id}")
        await page.fill("input[name=name]", USER)
        await page.fill("input[name=token]", TOKEN)
        await page.click("button[type=submit]")
        await page.wait_for_url(f"**/incidents/{incident_id}")
        await page.wait_for_selector('[data-form="resolve"]')
        countdown = page.locator('[data-sla="response"]')
        assert (await countdown.text_content() or "").strip() != ""  # console.js filled it in
        assert await document_width(page) <= vp.width
        await save_screenshot(page, f"incident-{vp.name}")

        await page.fill('[data-form="ack"] input[name=note]', "我来处理")
        await page.click('[data-form="ack"] button[type=submit]')
        await page.wait_for_selector('[data-done="ack"]')
        assert await document_width(page) <= vp.width
        await page.goto(f"{console.base}/incidents")
        assert await document_width(page) <= vp.width
        await save_screenshot(page, f"incidents-{vp.name}")
        assert errors == []
    assert (await api_incident(console, incident_id))["acknowledged_by"] == USER
