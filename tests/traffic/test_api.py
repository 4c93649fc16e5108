"""POST/GET /api/v1/traffic on a real local server: token, validation, idempotence, reading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest

from monitor.api.server import json_errors
from monitor.governance.traffic.api import install_traffic_routes
from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.store import TrafficStore
from tests.ledger.helpers import FakeClock
from tests.support.http_servers import serve_app
from tests.traffic.conftest import MakeConfig
from tests.traffic.helpers import TODAY, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Api:
    base: str
    http: aiohttp.ClientSession
    heard: list[tuple[str, str, int, int, str]]
    registry: CollectorRegistry

    async def post(self, body: Any, headers: dict[str, str] | None = None,
                   raw: bytes | None = None) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": body}
        async with self.http.post(f"{self.base}/api/v1/traffic",
                                  headers=AUTH if headers is None else headers, **kwargs) as r:
            return r.status, await r.json()

    async def get(self, query: str = "") -> tuple[int, Any]:
        async with self.http.get(f"{self.base}/api/v1/traffic{query}") as r:
            return r.status, await r.json()


@pytest.fixture
async def api(store: TrafficStore, make_config: MakeConfig, clock: FakeClock
              ) -> AsyncIterator[Api]:
    config = make_config()
    app = web.Application(middlewares=[json_errors])
    registry = CollectorRegistry()
    metrics = TrafficMetrics(registry, timezone="Asia/Shanghai", clock=clock)
    heard: list[tuple[str, str, int, int, str]] = []
    install_traffic_routes(app, store, lambda: config, metrics=metrics,
                           on_counts=lambda *args: heard.append(args), clock=clock)
    async with serve_app(app) as base, aiohttp.ClientSession() as http:
        yield Api(base, http, heard, registry)


ONE = {"app_id": "kq-oa", "day": TODAY, "pv": 1200, "uv": 310}


async def test_push_replaces_and_is_idempotent(api: Api, store: TrafficStore) -> None:
    for _ in range(2):
        status, body = await api.post(ONE)
        assert status == 200, body
        assert body == {"accepted": 1, "days": [
            {"app_id": "kq-oa", "day": TODAY, "pv": 1200, "uv": 310, "sources": ["push"]}]}
    status, body = await api.post({**ONE, "pv": 1500, "uv": 320})  # running totals, replaced
    assert body["days"][0]["pv"] == 1500
    [day] = await store.daily("kq-oa", TODAY, TODAY)
    assert (day.pv, day.uv) == (1500, 320)
    assert api.heard[-1] == ("kq-oa", TODAY, 1500, 320, "push")
    assert ('appmon_traffic_page_views{app="kq-oa",department="区大数据中心",tier="1"} 1500.0'
            in generate_latest(api.registry).decode())


async def test_push_a_list_with_named_sources(api: Api, store: TrafficStore) -> None:
    status, body = await api.post([
        ONE,
        {"app_id": "kq-oa", "day": TODAY, "pv": 10, "uv": 2, "source": "gateway-b"},
        {"app_id": "kq-jczz", "day": "2026-11-20", "pv": 0, "uv": 0},
    ])
    assert status == 200, body
    assert body["accepted"] == 3
    assert {(d["app_id"], d["day"]): (d["pv"], d["sources"]) for d in body["days"]} == {
        ("kq-oa", TODAY): (1210, ["gateway-b", "push"]),
        ("kq-jczz", "2026-11-20"): (0, ["push"]),
    }


async def test_without_a_valid_token_nothing_changes(api: Api, store: TrafficStore) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        status, body = await api.post(ONE, headers=headers)
        assert status == 401
        assert body["error"]["code"] == "unauthorized"
    assert await store.daily_all("2000-01-01", "2100-01-01") == []


@pytest.mark.parametrize(("body", "field"), [
    ({**ONE, "pv": -1}, "pv"),
    ({**ONE, "pv": "12"}, "pv"),
    ({**ONE, "uv": 1.5}, "uv"),
    ({**ONE, "uv": None}, "uv"),
    ({**ONE, "day": "2026-02-30"}, "day"),
    ({**ONE, "day": "2026/11/24"}, "day"),
    ({**ONE, "day": "2026-11-26"}, "day"),  # the day after tomorrow: in the future
    ({k: v for k, v in ONE.items() if k != "day"}, "day"),
    ({k: v for k, v in ONE.items() if k != "app_id"}, "app_id"),
    ({**ONE, "source": "prometheus"}, "source"),
    ({**ONE, "source": "Bad Name"}, "source"),
    ({**ONE, "PV": 3}, "PV"),
    ([ONE, {**ONE, "day": "2026-11-23", "uv": -3}], "[1].uv"),
    ([ONE, ONE], "[1]"),
    ([ONE, "x"], "[1]"),
    ([], None),
])
async def test_bad_bodies_name_the_field_and_write_nothing(
        api: Api, store: TrafficStore, body: Any, field: str | None) -> None:
    status, answer = await api.post(body)
    assert status == 400, answer
    assert answer["error"]["code"] == "bad_request"
    assert answer["error"].get("field") == field
    assert await store.daily_all("2000-01-01", "2100-01-01") == []


async def test_not_json_is_400(api: Api) -> None:
    status, answer = await api.post(None, raw=b"pv=3")
    assert status == 400
    assert "JSON" in answer["error"]["message"]


async def test_unknown_app_is_404(api: Api, store: TrafficStore) -> None:
    status, answer = await api.post([ONE, {**ONE, "app_id": "ghost"}])
    assert status == 404
    assert answer["error"] == {"code": "not_found", "message": "no app with id 'ghost'",
                               "field": "[1].app_id"}
    assert await store.daily_all("2000-01-01", "2100-01-01") == []


async def test_read_back_by_app_and_range(api: Api, store: TrafficStore) -> None:
    await store.set_counts("kq-oa", "2026-11-01", "push", 5, 1)
    await store.set_counts("kq-oa", TODAY, "accesslog", 7, 2)
    await store.set_counts("kq-jczz", TODAY, "push", 9, 3)
    status, body = await api.get("?app=kq-oa&from=2026-11-02&to=2026-11-30")
    assert status == 200
    assert body == {"from": "2026-11-02", "to": "2026-11-30", "days": [
        {"app_id": "kq-oa", "day": TODAY, "pv": 7, "uv": 2, "sources": ["accesslog"]}]}
    status, body = await api.get()  # default: every app, the last 30 days
    assert (body["from"], body["to"]) == ("2026-10-26", TODAY)
    assert [(d["app_id"], d["day"]) for d in body["days"]] == [
        ("kq-jczz", TODAY), ("kq-oa", "2026-11-01"), ("kq-oa", TODAY)]
    assert (await api.get("?app=ghost"))[0] == 404
    status, body = await api.get("?from=2026-12-01&to=2026-11-01")
    assert (status, body["error"]["field"]) == (400, "from")
    assert (await api.get("?to=tomorrow"))[0] == 400
