"""The console's app pages over real HTTP against a real Service: the searchable list, and
the detail's checks, charts for each range, recent failures, certificate days left (from a
real https app with a test CA), traffic pushed through the API, the app's incidents, and its
listing status and open rectification items recorded in the listing store."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from playwright.async_api import Browser

from monitor.config import load_config
from monitor.governance.evaluate.model import Evaluation
from monitor.governance.listing.lifecycle import change_status
from monitor.governance.listing.model import BY_AUDIT, ProgressNote, RectItem, Status
from monitor.service import Service
from tests.api.conftest import HOOK_SECRET, TOKEN, Api, SetClock, config_yaml, run_checks
from tests.console.signin_support import Console, get_text
from tests.support.browser import (
    DESKTOP,
    PHONE,
    Viewport,
    document_width,
    open_page,
    save_screenshot,
)
from tests.support.certs import TestPki
from tests.support.clocks import T0
from tests.support.http_servers import serve_app
from tests.support.receivers import WebhookReceiver
from tests.support.target import running_target, write_config

CERT_DAYS = 90


def tls_app() -> web.Application:
    async def ok(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/ok", ok)
    return app


@asynccontextmanager
async def app_console(tmp_path: Path, clock: SetClock) -> AsyncIterator[Console]:
    """The API tests' service (kq-oa, kq-jczz) plus kq-tls, an https app whose certificate
    (from a test CA the check trusts) has CERT_DAYS left."""
    pki = TestPki(tmp_path)
    context = pki.server_context(days_left=CERT_DAYS)
    async with running_target() as target, WebhookReceiver(secret=HOOK_SECRET) as hook, \
            serve_app(tls_app(), ssl_context=context) as tls_url:
        text = config_yaml(tmp_path, target, hook).rstrip("\n") + f"""
  - id: "kq-tls"
    name: "浙里办证书应用"
    department: "区政务服务中心"
    checks:
      - id: "web"
        kind: "http"
        url: "{tls_url}/ok"
        ca_file: "{pki.ca_file}"
"""
        service = Service(load_config(write_config(tmp_path, text)), clock=clock,
                          background=False)
        await service.start()
        try:
            yield Console(service, target, clock)
        finally:
            await service.stop()


@pytest.fixture
async def console(tmp_path: Path, clock: SetClock) -> AsyncIterator[Console]:
    async with app_console(tmp_path, clock) as running:
        yield running


async def outage(console: Console) -> str:
    """kq-oa passes three runs 20 min apart (T0..T0+40m, the first hour), then fails twice
    at T0+60m and T0+61m (the second hour): an incident opens. Returns its id."""
    service, clock = console.service, console.clock
    for _ in range(3):
        await run_checks(service)
        clock.advance(1200)
    console.target.status = 503
    await run_checks(service)
    clock.advance(60)
    await run_checks(service)
    await service.ledger.flush()
    [incident] = [i for i in service.alerts.active.values() if i.app_id == "kq-oa"]
    return incident.id


LATE_ID = "ZG-20251101-kq-oa"
AHEAD_ID = "ZG-20251120-kq-oa"
PROGRESS = "已联系开发商，下周上线新版"


async def change(console: Console, to: Status, checked: Evaluation | None) -> None:
    store = console.service.listing.store
    app = console.service.config.app("kq-oa")
    assert app is not None
    current = (await store.statuses([app]))["kq-oa"]
    await change_status(store, app, current, to, evaluation=checked, report=None,
                        by="张三" if checked else "李四", note="验收通过" if checked else "",
                        now=console.clock.now())


async def listing_history(console: Console) -> None:
    """kq-oa: to trial at T0 (check skipped), listed at T0+1h (pass, 92); then two open items,
    one past its deadline (2025-11-20) with a progress note, one due 2025-12-10; and one
    closed item, which the card leaves out."""
    await change(console, "trial", None)
    console.clock.advance(3600)
    await change(console, "listed", Evaluation(
        target="kq-oa", evaluated_at="2025-11-25T01:00:00+08:00", lang="zh-CN", verdict="pass",
        score=92, dimensions=(), reasons=(), notes=(), app_id="kq-oa"))

    def item(item_id: str, deadline: dt.date, *notes: ProgressNote) -> RectItem:
        return RectItem(id=item_id, app_id="kq-oa", app_name="柯桥区协同办公",
                        classes=("zombie", "low_frequency"), basis=("近 90 天无人访问",),
                        actions=("推广或下架",), opened_at=T0 - 20 * 86400, deadline=deadline,
                        notes=(ProgressNote(T0 - 20 * 86400, BY_AUDIT, "", "opened"), *notes))

    await console.service.listing.store.save_items([
        item(LATE_ID, dt.date(2025, 11, 20), ProgressNote(T0 - 86400, "王五", PROGRESS)),
        item(AHEAD_ID, dt.date(2025, 12, 10)),
        item("ZG-20251001-kq-oa", dt.date(2025, 10, 16)).closed(T0 - 5 * 86400, BY_AUDIT)])


def listing_section(page: str) -> str:
    found = re.search(r'<section class="card listing-card".*?</section>', page, re.S)
    assert found, "no listing card"
    return found.group(0)


def chart(page: str, kind: str) -> str:
    found = re.search(rf'<svg [^>]*class="chart {kind}".*?</svg>', page, re.S)
    assert found, f"no {kind} chart"
    return found.group(0)


def bar_titles(svg: str) -> list[str]:
    return re.findall(r'<rect class="bar"[^>]*><title>([^<]*)</title>', svg)


async def test_detail_shows_checks_charts_failures_and_incidents(
        console: Console, http: aiohttp.ClientSession) -> None:
    incident_id = await outage(console)
    page = await get_text(http, f"{console.base}/apps/kq-oa")

    assert "<h1" in page
    assert "柯桥区协同办公" in page
    assert 'data-status="down"' in page
    assert 'data-check="home"' in page
    assert "状态码异常: 状态码 503（期望 2xx）" in page  # the check's last result, in Chinese
    assert "连续失败 2 次" in page

    # Day range (the default): two hourly bars, the first at 100 %, the second at 0 %.
    availability = chart(page, "availability")
    titles = bar_titles(availability)
    assert len(titles) == 2
    assert "可用率 100%，3 次检查，0 次失败" in titles[0]
    assert "可用率 0%，2 次检查，2 次失败" in titles[1]
    assert availability.count('class="empty"') == 22  # the other hours of the day
    assert 'width="100%"' in availability
    assert 'viewBox="0 0 360 150"' in availability
    assert len(bar_titles(chart(page, "latency"))) == 1  # failed runs measure no latency
    assert "区间可用率 60%（5 次检查，2 次失败）" in page

    # Recent failures: the two identical ones in a row are one line, with the error text.
    failures = re.findall(r'<li data-failure="home" data-count="2">(.*?)</li>', page, re.S)
    assert len(failures) == 1
    assert "HTTP 503" in failures[0]
    assert "连续 2 次：状态码 503（期望 2xx）" in failures[0]
    assert "01:00:00 至" in failures[0]
    assert "01:01:00" in failures[0]

    # The app's incidents, linked.
    assert f'data-incident="{incident_id}"' in page
    assert f'href="/incidents/{incident_id}"' in page
    assert 'href="/incidents?app=kq-oa"' in page


@pytest.mark.parametrize(("range_name", "buckets"), [("day", 24), ("week", 168),
                                                     ("month", 30)])
async def test_each_range_draws_its_buckets(console: Console, http: aiohttp.ClientSession,
                                            range_name: str, buckets: int) -> None:
    await outage(console)
    page = await get_text(http, f"{console.base}/apps/kq-oa?range={range_name}")
    assert f'class="on" data-range="{range_name}"' in page
    availability = chart(page, "availability")
    drawn = len(bar_titles(availability)) + availability.count('class="empty"')
    assert drawn == buckets
    expected_bars = 1 if range_name == "month" else 2  # one local day holds both hours
    assert len(bar_titles(availability)) == expected_bars
    assert "区间可用率 60%" in page
    assert chart(page, "latency")


async def test_a_bad_range_falls_back_to_day(console: Console,
                                             http: aiohttp.ClientSession) -> None:
    page = await get_text(http, f"{console.base}/apps/kq-oa?range=year")
    assert 'class="on" data-range="day"' in page


async def test_certificate_days_left_from_an_https_check(
        console: Console, http: aiohttp.ClientSession) -> None:
    await run_checks(console.service, "kq-tls")
    page = await get_text(http, f"{console.base}/apps/kq-tls")
    assert f'data-cert-days="{CERT_DAYS}"' in page
    assert f"{CERT_DAYS} 天" in page
    assert 'data-status="up"' in page
    no_tls = await get_text(http, f"{console.base}/apps/kq-oa")
    assert "data-cert-days" not in no_tls


async def test_traffic_pushed_through_the_api_is_shown(
        console: Console, http: aiohttp.ClientSession) -> None:
    pushes = [{"app_id": "kq-oa", "day": "2025-11-25", "pv": 1200, "uv": 310},
              {"app_id": "kq-oa", "day": "2025-11-24", "pv": 800, "uv": 150}]
    status, body = await Api(http, console.base).post("/api/v1/traffic", pushes, token=TOKEN)
    assert (status, body["accepted"]) == (200, 2)
    page = await get_text(http, f"{console.base}/apps/kq-oa")
    assert re.search(r'data-traffic="today">PV 1200 / UV 310<', page)
    assert re.search(r'data-traffic="yesterday">PV 800 / UV 150<', page)
    assert re.search(r'data-traffic="total">2000<', page)
    assert re.search(r'data-traffic="mean_uv">230<', page)
    titles = bar_titles(chart(page, "traffic"))
    assert titles == ["2025-11-24：PV 800，UV 150", "2025-11-25：PV 1200，UV 310"]


async def test_an_app_without_history_says_so(console: Console,
                                              http: aiohttp.ClientSession) -> None:
    page = await get_text(http, f"{console.base}/apps/kq-jczz")
    assert 'data-status="unknown"' in page
    assert "尚未运行" in page
    assert page.count('class="nodata"') == 2  # both charts
    assert "近 7 天没有失败记录" in page
    assert "暂无访问量数据" in page
    assert "没有故障记录" in page


async def test_listing_card_shows_the_status_its_check_and_open_items(
        console: Console, http: aiohttp.ClientSession) -> None:
    await listing_history(console)
    card = listing_section(await get_text(http, f"{console.base}/apps/kq-oa"))
    assert 'data-listing-status="listed">已上架<' in card
    assert "自 2025-11-25 01:00 起，张三 操作" in card
    assert "验收通过" in card
    assert 'data-verdict="pass">通过<' in card
    assert 'data-score="92">92 分<' in card
    assert re.findall(r'<li data-item="([^"]+)" data-state="([^"]+)"', card) == [
        (LATE_ID, "overdue"), (AHEAD_ID, "open")]  # the closed one is left out
    late, ahead = re.findall(r"<li data-item=.*?</li>", card, re.S)
    assert "已逾期" in late
    assert 'data-due="2025-11-20"' in late
    assert 'data-overdue="5">已逾期 5 天<' in late
    assert "僵尸应用" in late
    assert "低频应用" in late
    assert PROGRESS in late
    assert "最近进展（2025-11-24 00:00，王五）" in late
    assert 'data-due="2025-12-10"' in ahead
    assert 'data-days-left="15">剩余 15 天<' in ahead
    assert "尚无进展记录" in ahead
    assert 'href="/governance"' in card
    assert f'href="/governance#item-{AHEAD_ID}"' in ahead


async def test_listing_card_without_records_shows_the_configured_status(
        console: Console, http: aiohttp.ClientSession) -> None:
    await listing_history(console)  # kq-oa's records say nothing of kq-jczz
    card = listing_section(await get_text(http, f"{console.base}/apps/kq-jczz"))
    assert 'data-listing-status="listed">已上架<' in card  # the config's default status
    assert "按配置（无变更记录）" in card
    assert "data-verdict" not in card
    assert "data-item=" not in card
    assert "没有进行中的整改项" in card
    assert 'href="/governance"' in card


async def test_unknown_app_is_a_404_page(console: Console, http: aiohttp.ClientSession) -> None:
    page = await get_text(http, f"{console.base}/apps/no-such-app", status=404)
    assert "未找到该应用" in page


async def test_the_list_searches_and_shows_status(console: Console,
                                                  http: aiohttp.ClientSession) -> None:
    await outage(console)
    page = await get_text(http, f"{console.base}/apps")
    assert re.findall(r'<li data-app="([^"]+)">', page) == ["kq-oa", "kq-jczz", "kq-tls"]
    assert '<span class="badge down">故障</span>' in page
    assert 'href="/incidents?app=kq-oa"' in page  # its open incident
    found = await get_text(http, f"{console.base}/apps?q=政务服务")  # by department
    assert re.findall(r'<li data-app="([^"]+)">', found) == ["kq-tls"]
    found = await get_text(http, f"{console.base}/apps?q=JCZZ")  # by id, any case
    assert re.findall(r'<li data-app="([^"]+)">', found) == ["kq-jczz"]
    assert "没有符合条件的应用" in await get_text(http, f"{console.base}/apps?q=nothing")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: v.name)
async def test_app_page_in_a_browser(browser: Browser, console: Console,
                                     viewport: Viewport) -> None:
    await outage(console)
    await listing_history(console)  # the card with its items must fit a phone too
    async with open_page(browser, viewport) as (page, errors):
        for range_name in ("day", "week", "month"):
            await page.goto(f"{console.base}/apps/kq-oa?range={range_name}")
            assert await document_width(page) <= viewport.width
            box = await page.locator("svg.chart.availability").bounding_box()
            assert box is not None
            assert box["width"] <= viewport.width
        # console.js rewrites [data-since] elements: the card's "since" must stay as written.
        card = await page.locator("#listing").inner_text()
        assert re.search(r"自 2025-11-25 \d\d:\d\d 起，张三 操作", card), card
        await save_screenshot(page, f"app-{viewport.name}")
        await page.goto(f"{console.base}/apps")
        assert await document_width(page) <= viewport.width
        assert errors == []
