"""JSON statistics endpoints: today's totals replace today's figures; answers that are wrong."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from monitor.core.config.traffic import JsonTraffic
from monitor.governance.traffic.jsonstat import StatsError, read_stats
from monitor.governance.traffic.poller import TrafficPoller
from monitor.governance.traffic.store import DayTraffic, TrafficStore
from tests.ledger.helpers import FakeClock
from tests.support.http_servers import serve_app
from tests.traffic.conftest import MakeConfig
from tests.traffic.helpers import TODAY


@dataclass
class Stats:
    body: Any = field(default_factory=lambda: {"code": 0, "data": {"pv": 0, "uv": 0}})
    url: str = ""
    auth: list[str] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.auth.append(request.headers.get("Authorization", ""))
        return web.json_response(self.body)


@pytest.fixture
async def stats() -> AsyncIterator[Stats]:
    s = Stats()
    app = web.Application()
    app.router.add_get("/stats/today", s.handle)
    async with serve_app(app) as base:
        s.url = f"{base}/stats/today"
        yield s


def source_yaml(url: str, day_path: str = "") -> str:
    extra = f'  day_path: "{day_path}"\n' if day_path else ""
    return (f'json:\n  url: "{url}"\n  pv_path: "data.pv"\n  uv_path: "data.uv"\n{extra}'
            'headers: { Authorization: "Bearer stats-token" }\n')


async def test_each_pull_replaces_todays_totals(
        stats: Stats, store: TrafficStore, make_config: MakeConfig, clock: FakeClock) -> None:
    heard: list[tuple[str, str, int, int, str]] = []
    poller = TrafficPoller(make_config(source_yaml(stats.url)), store, clock,
                           on_counts=lambda *args: heard.append(args))
    try:
        for pv, uv in ((120, 30), (480, 95), (480, 95)):
            stats.body = {"code": 0, "data": {"pv": pv, "uv": uv}}
            assert (await poller.poll_once(clock.now()))["kq-oa"].ok
            assert await store.daily("kq-oa", TODAY, TODAY) == [
                DayTraffic("kq-oa", TODAY, pv, uv, ("json",))]
    finally:
        await poller.stop()
    assert heard[-1] == ("kq-oa", TODAY, 480, 95, "json")
    assert stats.auth == ["Bearer stats-token"] * 3  # configured headers are sent


async def test_day_path_puts_late_totals_on_their_own_day(
        stats: Stats, store: TrafficStore, make_config: MakeConfig, clock: FakeClock) -> None:
    poller = TrafficPoller(make_config(source_yaml(stats.url, "data.date")), store, clock)
    try:
        stats.body = {"data": {"pv": "1200", "uv": 310, "date": "2026-11-23"}}  # string count
        assert (await poller.poll_once(clock.now()))["kq-oa"].ok
    finally:
        await poller.stop()
    [day] = await store.daily("kq-oa", "2026-11-01", "2026-11-30")
    assert (day.day, day.pv, day.uv) == ("2026-11-23", 1200, 310)


async def test_a_wrong_answer_is_a_failed_pull_and_writes_nothing(
        stats: Stats, store: TrafficStore, make_config: MakeConfig, clock: FakeClock) -> None:
    poller = TrafficPoller(make_config(source_yaml(stats.url)), store, clock)
    try:
        stats.body = {"code": 500, "msg": "统计服务异常"}
        outcome = (await poller.poll_once(clock.now()))["kq-oa"]
    finally:
        await poller.stop()
    assert not outcome.ok
    assert "data.pv" in outcome.message
    assert await store.daily("kq-oa", TODAY, TODAY) == []


SPEC = JsonTraffic(url="http://x/", pv_path="pv", uv_path="uv")


@pytest.mark.parametrize(("body", "needle"), [
    (b"<html>", "not valid JSON"),
    (b'{"pv": -1, "uv": 1}', "pv is -1"),
    (b'{"pv": 1.5, "uv": 1}', "pv is 1.5"),
    (b'{"pv": true, "uv": 1}', "pv is true"),
    (b'{"pv": "many", "uv": 1}', "pv is"),
    (b'{"pv": 1}', "uv"),
])
def test_read_stats_refuses_what_is_not_a_count(body: bytes, needle: str) -> None:
    with pytest.raises(StatsError, match=needle):
        read_stats(body, SPEC, TODAY)


def test_read_stats_reads_counts_and_days() -> None:
    assert read_stats(b'{"pv": 3, "uv": 2.0}', SPEC, TODAY) == (TODAY, 3, 2)
    spec = JsonTraffic(url="http://x/", pv_path="pv", uv_path="uv", day_path="d")
    assert read_stats(b'{"pv": 3, "uv": 2, "d": "20261123"}', spec, TODAY)[0] == "2026-11-23"
    assert read_stats(b'{"pv": 3, "uv": 2, "d": "2026-11-23T23:59:00+08:00"}', spec,
                      TODAY)[0] == "2026-11-23"
    with pytest.raises(StatsError, match="not a day"):
        read_stats(b'{"pv": 3, "uv": 2, "d": "yesterday"}', spec, TODAY)
