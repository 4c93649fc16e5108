"""The monthly report's 服务请求 section, from requests and faults reported through the real
service's API: requests counted by channel, answered within sla.request_response (count and
%, pending ones left out); a reported outage counts as its app's incident, requests never do.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from monitor.reports import build_monthly, to_json
from monitor.reports.render import render_monthly_html
from monitor.service import Service
from tests.api.conftest import Api, SetClock
from tests.console.signin_support import Console, running_console

MONTH = "2025-11"  # the fake clock starts at 2025-11-25 00:00 (Asia/Shanghai)


@pytest.fixture
def clock() -> SetClock:
    return SetClock()


@pytest.fixture
async def running(tmp_path: Path, clock: SetClock) -> AsyncIterator[Console]:
    """The API tests' service (two apps, a webhook, the fake clock), running."""
    async with running_console(tmp_path, clock) as console:
        yield console


@pytest.fixture
def service(running: Console) -> Service:
    return running.service


@pytest.fixture
async def api(running: Console) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as http:
        yield Api(http, running.base)


async def _report(api: Api, app_id: str, kind: str, channel: str) -> str:
    status, body = await api.post("/api/v1/incidents", {
        "app_id": app_id, "summary": f"{kind} via {channel}", "reported_by": "王科长",
        "channel": channel, "kind": kind})
    assert status == 201, body
    return str(body["id"])


async def _month(service: Service, clock: SetClock) -> dict[str, Any]:
    report = await build_monthly(service.config, service.ledger, service.alert_store, MONTH,
                                 clock.now())
    return to_json(report)


async def test_requests_section(service: Service, api: Api, clock: SetClock) -> None:
    on_time = await _report(api, "kq-oa", "request", "dingtalk")
    late = await _report(api, "kq-jczz", "request", "phone")
    await _report(api, "kq-oa", "outage", "phone")
    clock.advance(300)
    assert (await api.post(f"/api/v1/incidents/{on_time}/ack", {"by": "张三"}))[0] == 200
    clock.advance(400)  # 700 s after the report: past the 10-minute request limit
    await service.alerts.tick_all()
    assert (await api.post(f"/api/v1/incidents/{late}/ack", {"by": "张三"}))[0] == 200
    await _report(api, "kq-oa", "request", "onsite")  # not yet answered, limit not reached
    clock.advance(100)

    body = await _month(service, clock)
    requests = body["requests"]
    assert requests["count"] == 3
    assert requests["answered_within"] == 1
    assert requests["response_breaches"] == 1
    assert requests["pending"] == 1
    assert requests["answered_within_pct"] == 50.0
    assert requests["response_limit_seconds"] == 600.0
    assert requests["mtta_seconds"] == 500.0  # (300 + 700) / 2
    assert requests["by_channel"] == {
        "phone": {"count": 1, "answered_within": 0},
        "dingtalk": {"count": 1, "answered_within": 1},
        "onsite": {"count": 1, "answered_within": 0},
        "other": {"count": 0, "answered_within": 0},
    }
    assert requests["reported_outages"] == 1
    # The reported outage is kq-oa's incident like a probe's; requests are no app's incidents.
    apps = {a["id"]: a for a in body["apps"]}
    assert apps["kq-oa"]["incidents"] == 1
    assert apps["kq-jczz"]["incidents"] == 0
    assert body["totals"]["incidents"] == 1
    assert list(body)[:4] == ["month", "generated_at", "apps", "totals"]  # CONTRACT §5 intact

    report = await build_monthly(service.config, service.ledger, service.alert_store, MONTH,
                                 clock.now())
    html = render_monthly_html(report)
    section = html[html.index('<section id="requests">'):]
    section = section[:section.index("</section>")]
    assert "服务请求" in section
    assert "10 分钟内响应" in section
    counts = dict(re.findall(
        r'<tr data-channel="(\w+)"><td>[^<]+</td>\s*<td class="n">(\d+)</td>', section))
    assert counts == {"phone": "1", "dingtalk": "1", "onsite": "1", "other": "0"}
    assert 'data-requests-pct="50' in section
    assert 'data-reported-outages="1"' in section


async def test_no_requests(service: Service, clock: SetClock) -> None:
    body = await _month(service, clock)
    assert body["requests"]["count"] == 0
    assert body["requests"]["answered_within_pct"] is None
