"""The phone acknowledge page: GET shows, POST with the signed link token acknowledges."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from monitor.service import Service
from tests.api.conftest import Api, SetClock, StartService, open_incident
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target


async def page(api: Api, method: str, path: str,
               **kwargs: Any) -> tuple[int, str, dict[str, str]]:
    async with api.http.request(method, api.base + path, **kwargs) as resp:
        return resp.status, await resp.text(), dict(resp.headers)


def assert_private(headers: dict[str, str]) -> None:
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Content-Type"].startswith("text/html")


async def test_get_shows_the_incident_and_the_form_without_changing_it(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    url = service.links.ack_url(incident_id)  # the link notifications carry
    path = urlsplit(url).path + "?" + urlsplit(url).query
    clock.advance(30)
    status, html, headers = await page(api, "GET", path)
    assert status == 200
    assert_private(headers)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="zh-CN">' in html
    for text in ("故障确认", "柯桥区协同办公", "严重", "待响应", "状态码 503（期望 2xx）",
                 "2025-11-25 00:00:00",  # first failure
                 "2025-11-25 00:01:00",  # opened
                 "2025-11-25 00:16:00",  # response due: opened + 15m
                 "2025-11-25 01:01:00",  # resolution due: opened + 1h
                 "您的姓名", "确认接手处理"):
        assert text in html, text
    assert '<form method="post"' in html
    assert f'name="t" value="{service.links.token(incident_id)}"' in html
    assert 'name="by"' in html
    assert 'name="note"' in html
    assert not re.search(r"""(src|href)=["']?https?://""", html)  # no external assets
    # Looking is not acknowledging.
    status, html, _ = await page(api, "GET", path)
    incident = await service.alerts.get(incident_id)
    assert incident.acknowledged_at is None
    assert incident.state == "open"


async def test_post_with_wrong_or_missing_token_is_403_and_changes_nothing(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    other = service.links.token("20250101000000-kq-oa-home")  # valid, for another incident
    for form in ({"by": "mallory", "t": "0" * 32}, {"by": "mallory"},
                 {"by": "mallory", "t": other}):
        status, html, headers = await page(api, "POST", f"/ack/{incident_id}", data=form)
        assert status == 403, form
        assert_private(headers)
        assert "链接无效" in html
        assert "<form" not in html
    # The token in the query string is not enough: the capability must be in the body.
    token = service.links.token(incident_id)
    status, _, _ = await page(api, "POST", f"/ack/{incident_id}?t={token}", data={"by": "m"})
    assert status == 403
    incident = await service.alerts.get(incident_id)
    assert incident.acknowledged_at is None
    assert [e.type for e in incident.timeline] == ["first_failure", "opened"]
    # A GET with a wrong token shows the incident, but no form.
    status, html, _ = await page(api, "GET", f"/ack/{incident_id}?t=nope")
    assert status == 403
    assert "柯桥区协同办公" in html
    assert "<form" not in html


async def test_post_acknowledges_by_the_given_name(
    service: Service, api: Api, target: Target, hook: WebhookReceiver, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    await service.outbox.run_once()
    clock.advance(90)
    token = service.links.token(incident_id)
    status, html, headers = await page(api, "POST", f"/ack/{incident_id}",
                                       data={"by": " 张三 ", "note": "马上处理", "t": token})
    assert status == 200
    assert_private(headers)
    assert "已确认" in html
    assert "张三" in html
    incident = await service.alerts.get(incident_id)
    assert incident.state == "acknowledged"
    assert incident.acknowledged_by == "张三"
    assert incident.response_seconds == 90.0
    assert incident.timeline[-1].note == "马上处理"
    await service.outbox.run_once()
    assert [r.body["event"] for r in hook.received] == ["incident.opened",
                                                         "incident.acknowledged"]
    # Later visitors learn who acknowledged it; a second POST keeps the first ack.
    status, html, _ = await page(api, "GET", f"/ack/{incident_id}?t={token}")
    assert status == 200
    assert "该故障已由 张三" in html
    assert "<form" not in html
    status, html, _ = await page(api, "POST", f"/ack/{incident_id}",
                                 data={"by": "李四", "t": token})
    assert status == 200
    assert "该故障已由 张三" in html
    assert (await service.alerts.get(incident_id)).acknowledged_by == "张三"


async def test_missing_name_shows_the_form_again(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    token = service.links.token(incident_id)
    status, html, _ = await page(api, "POST", f"/ack/{incident_id}",
                                 data={"by": "  ", "note": "先记下", "t": token})
    assert status == 400
    assert "请填写您的姓名" in html
    assert "先记下" in html  # what was typed is kept
    assert '<form method="post"' in html
    assert (await service.alerts.get(incident_id)).acknowledged_at is None


async def test_resolved_incident_says_so(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    await service.alerts.resolve(incident_id, "王五", "重启", None, force=True)
    token = service.links.token(incident_id)
    status, html, _ = await page(api, "GET", f"/ack/{incident_id}?t={token}")
    assert status == 200
    assert "已恢复" in html
    assert "无需再确认" in html
    assert "<form" not in html
    status, html, _ = await page(api, "POST", f"/ack/{incident_id}",
                                 data={"by": "张三", "t": token})
    assert status == 409
    assert "无需再确认" in html
    assert (await service.alerts.get(incident_id)).acknowledged_at is None


async def test_unknown_incident_is_a_404_page(api: Api, service: Service) -> None:
    token = service.links.token("nope")
    for method, kwargs in (("GET", {}), ("POST", {"data": {"by": "x", "t": token}})):
        status, html, headers = await page(api, method, f"/ack/nope?t={token}", **kwargs)
        assert status == 404
        assert "未找到该故障" in html
        assert_private(headers)


async def test_english_when_the_service_speaks_english(
    start_service: StartService, target: Target, clock: SetClock
) -> None:
    service = await start_service(language="en")
    incident_id = await open_incident(service, target, clock)
    async with aiohttp.ClientSession() as http:
        api = Api(http, f"http://127.0.0.1:{service.bound_port}")
        status, html, _ = await page(api, "GET", f"/ack/{incident_id}"
                                     f"?t={service.links.token(incident_id)}")
        assert status == 200
        assert '<html lang="en">' in html
        assert "Your name" in html
        assert "critical" in html
        status, html, _ = await page(api, "POST", f"/ack/{incident_id}",
                                     data={"by": "Zhang San",
                                           "t": service.links.token(incident_id)})
    assert status == 200
    assert "Acknowledged" in html
