"""The console's 登记故障 form (/incidents/new) in a real HTTP session against a real Service:
signed-in only, CSRF-checked, the reporter defaulting to the signed-in name; a good post
creates a reported incident and redirects to its page, a bad one shows the form again and
creates nothing."""

from __future__ import annotations

from urllib.parse import unquote

import aiohttp

from tests.console.signin_support import (
    USER,
    Console,
    csrf_of,
    get_text,
    hidden_fields,
    post_form,
    sign_in,
)
from tests.console.test_incident_pages import api_incident

NEW = "/incidents/new"


async def test_signed_out_is_sent_to_sign_in(console: Console,
                                             http: aiohttp.ClientSession) -> None:
    async with http.get(console.base + NEW, allow_redirects=False) as resp:
        assert resp.status == 302
        assert resp.headers["Location"].startswith("/login?next=")
    reply = await post_form(http, console.base + NEW, {"app": "kq-oa", "summary": "x"})
    assert reply.status == 303
    assert console.service.alerts.active == {}


async def test_report_a_request_through_the_form(console: Console,
                                                 http: aiohttp.ClientSession) -> None:
    await sign_in(http, console.base)
    form = await get_text(http, console.base + NEW)
    assert 'data-form="report"' in form
    assert f'name="reported_by" required maxlength="100" value="{USER}"' in form
    assert '<option value="kq-oa" >柯桥区协同办公</option>' in form
    csrf = hidden_fields(form)["_csrf"]
    reply = await post_form(http, console.base + NEW, {
        "_csrf": csrf, "app": "kq-jczz", "kind": "request", "channel": "dingtalk",
        "reported_by": USER, "summary": "帮忙重置 王五 的密码"})
    assert reply.status == 303, reply.text[:300]
    location = reply.headers["Location"]
    assert location.startswith("/incidents/")
    incident_id = unquote(location.removeprefix("/incidents/"))
    body = await api_incident(console, incident_id)
    assert (body["source"], body["kind"], body["channel"]) == ("reported", "request", "dingtalk")
    assert body["reported_by"] == USER
    assert body["app_id"] == "kq-jczz"
    assert body["summary"] == "帮忙重置 王五 的密码"
    page = await get_text(http, console.base + location)
    assert "帮忙重置 王五 的密码" in page


async def test_outage_by_phone_for_someone_else(console: Console,
                                                http: aiohttp.ClientSession) -> None:
    await sign_in(http, console.base)
    csrf = await csrf_of(http, console.base + NEW + "?app=kq-oa")
    reply = await post_form(http, console.base + NEW, {
        "_csrf": csrf, "app": "kq-oa", "kind": "outage", "channel": "phone",
        "reported_by": "王科长", "summary": "首页打不开"})
    assert reply.status == 303
    incident_id = unquote(reply.headers["Location"].removeprefix("/incidents/"))
    body = await api_incident(console, incident_id)
    assert (body["kind"], body["channel"], body["reported_by"]) == ("outage", "phone", "王科长")
    assert body["severity"] == "critical"
    assert [e["by"] for e in body["timeline"] if e["type"] == "opened"] == ["王科长"]


async def test_bad_forms_create_nothing(console: Console, http: aiohttp.ClientSession) -> None:
    await sign_in(http, console.base)
    csrf = await csrf_of(http, console.base + NEW)
    good = {"_csrf": csrf, "app": "kq-oa", "kind": "outage", "channel": "phone",
            "reported_by": USER, "summary": "<script>alert(1)</script>"}
    reply = await post_form(http, console.base + NEW, good | {"_csrf": "forged"})
    assert reply.status == 403
    for change, error in [({"summary": ""}, "new.error.summary"),
                          ({"app": "nope"}, "new.error.app"),
                          ({"channel": "fax"}, "new.error.channel"),
                          ({"kind": "warning"}, "new.error.kind"),
                          ({"reported_by": ""}, "new.error.reporter"),
                          ({"reported_by": "x" * 101}, "new.error.too_long")]:
        reply = await post_form(http, console.base + NEW, good | change)
        assert reply.status == 400, change
        assert f'data-error="{error}"' in reply.text
    reply = await post_form(http, console.base + NEW, good | {"app": ""})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text  # typed, kept, escaped
    assert "<script>alert(1)" not in reply.text
    assert console.service.alerts.active == {}
