"""The service's HTTP side: /healthz, /api/v1/apps, /metrics (linted by promtool), errors."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from monitor.config import load_config
from monitor.service import Service
from tests.support.target import Target, app_yaml, running_target, write_config
from tests.support.tools import require_tool


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    async with running_target() as t:
        yield t


@pytest.fixture
async def service(tmp_path: Path, target: Target) -> AsyncIterator[Service]:
    path = write_config(tmp_path, textwrap.dedent(f"""
        service:
          listen: "127.0.0.1:0"
          data_dir: "{tmp_path / 'data'}"
        apps:
    """) + app_yaml("kq-oa", f"{target.url}/health", name="柯桥区协同办公")
        + app_yaml("kq-jczz", f"{target.url}/health/2", name="基层智治", department="区委政法委",
                   tier=2))
    svc = Service(load_config(path))
    await svc.start()
    yield svc
    await svc.stop()


def base(service: Service) -> str:
    return f"http://127.0.0.1:{service.bound_port}"


async def test_healthz(service: Service) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{base(service)}/healthz") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}


async def test_apps_show_status_from_real_runs(service: Service, target: Target) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base(service)}/api/v1/apps") as resp:
            before = await resp.json()
        assert {a["id"]: a["status"] for a in before["apps"]} == {
            "kq-oa": "unknown", "kq-jczz": "unknown"}
        target.status = 503
        await service.scheduler.run_once("kq-jczz")
        target.status = 200
        await service.scheduler.run_once("kq-oa")
        async with http.get(f"{base(service)}/api/v1/apps") as resp:
            body = await resp.json()
    apps = {a["id"]: a for a in body["apps"]}
    assert apps["kq-oa"]["status"] == "up"
    assert apps["kq-oa"]["name"] == "柯桥区协同办公"
    assert apps["kq-jczz"]["status"] == "down"
    check = apps["kq-jczz"]["checks"][0]
    assert check["id"] == "home"
    assert check["status"] == "down"
    assert check["error_kind"] == "status"
    assert check["status_code"] == 503
    assert check["last_run_at"].endswith("+08:00")  # ISO 8601 with the service's offset


async def test_metrics_pass_promtool(service: Service) -> None:
    promtool = require_tool("promtool")
    await service.scheduler.run_once()
    async with aiohttp.ClientSession() as http, http.get(f"{base(service)}/metrics") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain")
        text = await resp.text()
    for name in ("appmon_probe_success", "appmon_probe_duration_seconds_bucket",
                 "appmon_probe_phase_seconds", "appmon_probe_last_run_timestamp_seconds",
                 "appmon_scheduler_missed_runs_total", "appmon_config_last_reload_successful",
                 "appmon_ledger_written_results_total", "appmon_scheduler_lateness_seconds",
                 'appmon_incidents_open{severity="critical"} 0.0',
                 "appmon_incident_response_seconds", "appmon_sla_breaches_total",
                 "appmon_notification_deliveries_total"):
        assert name in text
    lint = await asyncio.create_subprocess_exec(
        promtool, "check", "metrics", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await lint.communicate(text.encode())
    assert lint.returncode == 0, output.decode()


async def test_status_page_is_chinese_by_default(service: Service) -> None:
    """`/` is the console's status wall: server-rendered tiles, in Chinese unless told."""
    await service.scheduler.run_once()
    async with aiohttp.ClientSession() as http, http.get(f"{base(service)}/") as resp:
        assert resp.status == 200
        html = await resp.text()
    assert '<html lang="zh-CN">' in html
    assert "<title>状态墙 · 应用监控</title>" in html
    assert 'id="t-kq-oa"' in html
    assert "柯桥区协同办公" in html
    assert "区委政法委" in html  # kq-jczz's department heads its own group


async def test_unknown_paths_get_json_errors(service: Service) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{base(service)}/api/v1/nope") as resp:
        assert resp.status == 404
        body = await resp.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]
