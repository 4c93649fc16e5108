"""Prometheus-format pulls against a real local endpoint whose counters grow, stall and reset."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest

from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.poller import TrafficPoller
from monitor.governance.traffic.prometheus import ExpositionError, read_metric
from monitor.governance.traffic.store import TrafficStore
from tests.ledger.helpers import FakeClock
from tests.support.http_servers import serve_app
from tests.traffic.conftest import MakeConfig
from tests.traffic.helpers import SHANGHAI, TODAY


@dataclass
class Exporter:
    """An app's /metrics: two counter series for kq-oa, one for another app, a uv gauge."""

    views: dict[str, float] = field(default_factory=lambda: {"/home": 0.0, "/list": 0.0})
    other_app: float = 1000.0
    visitors_today: float = 0.0
    status: int = 200
    url: str = ""
    hits: int = 0

    def text(self) -> str:
        lines = ["# HELP oa_page_views_total Page views.", "# TYPE oa_page_views_total counter"]
        lines += [f'oa_page_views_total{{app="kq-oa",path="{p}"}} {v}'
                  for p, v in self.views.items()]
        lines += [f'oa_page_views_total{{app="other",path="/home"}} {self.other_app}',
                  "# TYPE oa_visitors_today gauge", f'oa_visitors_today{{app="kq-oa"}} '
                  f"{self.visitors_today}", ""]
        return "\n".join(lines)

    async def handle(self, _request: web.Request) -> web.Response:
        self.hits += 1
        if self.status != 200:
            return web.Response(status=self.status, text="down")
        return web.Response(text=self.text(), content_type="text/plain")


@pytest.fixture
async def exporter() -> AsyncIterator[Exporter]:
    exp = Exporter()
    app = web.Application()
    app.router.add_get("/metrics", exp.handle)
    async with serve_app(app) as base:
        exp.url = f"{base}/metrics"
        yield exp


def source_yaml(url: str, *, uv: bool = True, metric: str = "oa_page_views_total") -> str:
    uv_line = '  uv_metric: "oa_visitors_today"\n' if uv else ""
    return (f'interval: "1m"\nprometheus:\n  url: "{url}"\n  pv_metric: "{metric}"\n'
            f'{uv_line}  labels: {{app: "kq-oa"}}\n')


async def pv_uv(store: TrafficStore, day: str = TODAY) -> tuple[int, int] | None:
    days = await store.daily("kq-oa", day, day)
    return (days[0].pv, days[0].uv) if days else None


async def test_increments_are_exact_across_a_reset(
        exporter: Exporter, store: TrafficStore, make_config: MakeConfig,
        clock: FakeClock) -> None:
    config = make_config(source_yaml(exporter.url))
    registry = CollectorRegistry()
    metrics = TrafficMetrics(registry, timezone="Asia/Shanghai", clock=clock)
    heard: list[tuple[str, str, int, int, str]] = []
    poller = TrafficPoller(config, store, clock, metrics=metrics,
                           on_counts=lambda *args: heard.append(args))
    try:
        # (home, list, visitors today): the first scrape is only a baseline for the counter;
        # the visitors gauge is today's total at once.
        steps = [((100, 40, 30), 0), ((130, 45, 31), 35), ((150, 45, 33), 55),
                 ((5, 2, 34), 62),   # the app restarted: both counters start again
                 ((12, 2, 36), 69)]
        for (home, lst, uv), expected_pv in steps:
            exporter.views = {"/home": home, "/list": lst}
            exporter.visitors_today = uv
            exporter.other_app += 500  # another app's series: never counted
            clock.advance(60)
            outcome = (await poller.poll_once(clock.now()))["kq-oa"]
            assert outcome.ok, outcome.message
            got = await pv_uv(store)
            assert got == (expected_pv, uv)
    finally:
        await poller.stop()
    assert heard[-1] == ("kq-oa", TODAY, 69, 36, "prometheus")
    text = generate_latest(registry).decode()
    assert ('appmon_traffic_page_views{app="kq-oa",department="区大数据中心",tier="1"} 69.0'
            in text)
    assert 'appmon_traffic_unique_visitors{app="kq-oa",department="区大数据中心",tier="1"} 36.0' \
        in text


async def test_a_failed_pull_keeps_the_baseline(
        exporter: Exporter, store: TrafficStore, make_config: MakeConfig,
        clock: FakeClock) -> None:
    poller = TrafficPoller(make_config(source_yaml(exporter.url, uv=False)), store, clock)
    try:
        exporter.views = {"/home": 10}
        await poller.poll_once(clock.now())
        exporter.status = 503
        exporter.views = {"/home": 25}
        clock.advance(60)
        outcome = (await poller.poll_once(clock.now()))["kq-oa"]
        assert not outcome.ok
        assert "503" in outcome.message
        exporter.status = 200
        exporter.views = {"/home": 40}
        clock.advance(60)
        assert (await poller.poll_once(clock.now()))["kq-oa"].ok
        assert await pv_uv(store) == (30, 0)  # the gap's increase, counted once
    finally:
        await poller.stop()


async def test_the_baseline_survives_a_restart_of_the_service(
        exporter: Exporter, store: TrafficStore, make_config: MakeConfig,
        clock: FakeClock) -> None:
    config = make_config(source_yaml(exporter.url, uv=False))
    exporter.views = {"/home": 100}
    first = TrafficPoller(config, store, clock)
    await first.poll_once(clock.now())
    await first.stop()
    exporter.views = {"/home": 180}
    clock.advance(600)
    second = TrafficPoller(config, store, clock)  # a new process would read the same file
    try:
        await second.poll_once(clock.now())
    finally:
        await second.stop()
    assert await pv_uv(store) == (80, 0)


async def test_new_series_count_whole_and_a_changed_source_starts_afresh(
        exporter: Exporter, store: TrafficStore, make_config: MakeConfig,
        clock: FakeClock) -> None:
    poller = TrafficPoller(make_config(source_yaml(exporter.url, uv=False)), store, clock)
    try:
        exporter.views = {"/home": 10}
        await poller.poll_once(clock.now())
        exporter.views = {"/home": 12, "/new": 3}  # a lazily created series: 3 new views
        clock.advance(60)
        await poller.poll_once(clock.now())
        assert await pv_uv(store) == (5, 0)
        # Another metric (another fingerprint): a baseline again, nothing added.
        poller.apply_config(make_config(source_yaml(exporter.url, uv=False,
                                                    metric="oa_page_views")))
        exporter.views = {"/home": 50, "/new": 50}
        clock.advance(60)
        outcome = (await poller.poll_once(clock.now()))["kq-oa"]
        assert outcome.message == "baseline set"
        assert await pv_uv(store) == (5, 0)
    finally:
        await poller.stop()


async def test_midnight_short_gap_counts_for_the_new_day_long_gap_rebaselines(
        exporter: Exporter, store: TrafficStore, make_config: MakeConfig,
        clock: FakeClock) -> None:
    poller = TrafficPoller(make_config(source_yaml(exporter.url, uv=False)), store, clock)
    late = dt.datetime(2026, 11, 24, 23, 58, tzinfo=SHANGHAI).timestamp()
    try:
        exporter.views = {"/home": 100}
        await poller.poll_once(late)
        exporter.views = {"/home": 130}
        await poller.poll_once(late + 300)  # 00:03 on the 25th
        assert await pv_uv(store, "2026-11-25") == (30, 0)
        assert await pv_uv(store, "2026-11-24") is None
        # Later the same day, however long the gap: still that day's increase.
        exporter.views = {"/home": 900}
        await poller.poll_once(late + 300 + 8820)
        assert await pv_uv(store, "2026-11-25") == (800, 0)
        # Down from 02:30 to 00:30 the next day: the increase cannot be placed on a day,
        # so the scrape is a new baseline.
        exporter.views = {"/home": 5000}
        outcome = (await poller.poll_once(late + 300 + 8820 + 79200))["kq-oa"]
        assert outcome.message == "baseline set"
        assert await pv_uv(store, "2026-11-26") is None
    finally:
        await poller.stop()


async def test_unreachable_and_missing_metric_are_failures(
        exporter: Exporter, store: TrafficStore, make_config: MakeConfig,
        clock: FakeClock) -> None:
    registry = CollectorRegistry()
    metrics = TrafficMetrics(registry, timezone="Asia/Shanghai", clock=clock)
    poller = TrafficPoller(make_config(source_yaml(exporter.url, metric="nope_total")), store,
                           clock, metrics=metrics)
    try:
        outcome = (await poller.poll_once(clock.now()))["kq-oa"]
        assert not outcome.ok
        assert "nope_total" in outcome.message
        poller.apply_config(make_config(source_yaml("http://127.0.0.1:9/metrics")))
        outcome = (await poller.poll_once(clock.now()))["kq-oa"]
        assert not outcome.ok
    finally:
        await poller.stop()
    assert ('appmon_traffic_pull_failures_total{app="kq-oa",source="prometheus"} 2.0'
            in generate_latest(registry).decode())


async def test_start_pulls_at_once_and_stop_ends_the_loop(
        exporter: Exporter, store: TrafficStore, make_config: MakeConfig) -> None:
    poller = TrafficPoller(make_config(source_yaml(exporter.url)), store)
    await poller.start()
    for _ in range(100):
        if exporter.hits:
            break
        await asyncio.sleep(0.02)
    await poller.stop()
    assert exporter.hits == 1  # the first pull ran at start; the next is a minute away


def test_read_metric_matches_family_or_sample_name_and_labels() -> None:
    text = ('# TYPE req counter\nreq_total{app="a",code="200"} 3\nreq_total{app="b"} 9\n'
            "# TYPE today gauge\ntoday 4\n")
    assert read_metric(text, "req", {"app": "a"}).total == 3
    assert read_metric(text, "req_total", {}).total == 12
    assert read_metric(text, "req_total", {}).kind == "counter"
    assert read_metric(text, "today", {}).kind == "gauge"
    with pytest.raises(ExpositionError, match="not found"):
        read_metric(text, "other", {})
    with pytest.raises(ExpositionError, match="labels"):
        read_metric(text, "req", {"app": "c"})
    with pytest.raises(ExpositionError, match="not a Prometheus"):
        read_metric("<html>oops {</html>", "req", {})
