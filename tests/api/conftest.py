"""Fixtures for the incident API, the acknowledge page and the Alertmanager receiver.

A real Service on a free port with a temporary data_dir, watching a real local app
(tests.support.target) and notifying a real webhook receiver that verifies HMACs
(tests.support.receivers). `background=False`: no timers run, so a test moves the fake clock
and drives checks, the alert clock and the outbox itself.
"""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from monitor.config import load_config
from monitor.service import Service
from tests.support.clocks import ManualClock as SetClock
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target, running_target, write_config

# Test credentials: two API tokens, the webhook receiver's and the Alertmanager HMAC secret.
TOKEN = "tok-oncall-3f9a2c"
OPS_TOKEN = "tok-ops-81be07c4d2"
HOOK_SECRET = "hook-secret-7d41"
AM_SECRET = "am-secret-55c1"



@dataclass
class Api:
    """JSON over a real HTTP connection to the service under test."""

    http: aiohttp.ClientSession
    base: str

    async def get(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.http.get(self.base + path, **kwargs) as resp:
            return resp.status, await resp.json()

    async def post(self, path: str, body: Any = None, *, token: str | None = TOKEN,
                   **kwargs: Any) -> tuple[int, Any]:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            kwargs["json"] = body
        async with self.http.post(self.base + path, headers=headers, **kwargs) as resp:
            return resp.status, await resp.json()


def config_yaml(tmp_path: Path, target: Target, hook: WebhookReceiver, *,
                language: str = "zh-CN", am_secret: str | None = AM_SECRET) -> str:
    # Indented like the text it goes into, so one dedent serves both.
    alerting = ("\n        alerting:\n          alertmanager:\n"
                f'            hmac_secret: "{am_secret}"') if am_secret else ""
    return textwrap.dedent(f"""
        service:
          listen: "127.0.0.1:0"
          data_dir: "{tmp_path / 'data'}"
          language: "{language}"
          api_tokens:
            - name: "oncall"
              token: "{TOKEN}"
            - name: "ops"
              token: "{OPS_TOKEN}"
        sla:
          response: "15m"
          resolution: "1h"{alerting}
        notifiers:
          - id: "hook"
            kind: "webhook"
            url: "{hook.url}"
            hmac_secret: "{HOOK_SECRET}"
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            department: "区大数据中心"
            category: "办公协同"
            tier: 1
            notify: ["hook"]
            checks:
              - id: "home"
                name: "首页"
                kind: "http"
                url: "{target.url}/health"
                interval: "60s"
                timeout: "2s"
                confirm: 2
                recover: 2
          - id: "kq-jczz"
            name: "基层智治"
            tier: 2
            notify: ["hook"]
            checks:
              - id: "home"
                kind: "http"
                url: "{target.url}/health/2"
                interval: "60s"
                timeout: "2s"
    """)


@pytest.fixture
def clock() -> SetClock:
    return SetClock()


@pytest.fixture
async def target() -> AsyncIterator[Target]:
    async with running_target() as t:
        yield t


@pytest.fixture
async def hook() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver(secret=HOOK_SECRET) as receiver:
        yield receiver


StartService = Callable[..., Awaitable[Service]]


@pytest.fixture
async def start_service(tmp_path: Path, target: Target, hook: WebhookReceiver,
                        clock: SetClock) -> AsyncIterator[StartService]:
    started: list[Service] = []

    async def start(**options: Any) -> Service:
        path = write_config(tmp_path, config_yaml(tmp_path, target, hook, **options))
        service = Service(load_config(path), clock=clock, background=False)
        await service.start()
        started.append(service)
        return service

    yield start
    for service in started:
        await service.stop()


@pytest.fixture
async def service(start_service: StartService) -> Service:
    return await start_service()


@pytest.fixture
async def api(service: Service) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as http:
        yield Api(http, f"http://127.0.0.1:{service.bound_port}")


async def run_checks(service: Service, app_id: str | None = "kq-oa") -> None:
    """One run of the app's checks; the alert runner then handles the queued results
    (with background=False no consumer task runs: run-once mode)."""
    await service.scheduler.run_once(app_id)
    await service.alerts.drain()


async def open_incident(service: Service, target: Target, clock: SetClock,
                        app_id: str = "kq-oa") -> str:
    """Fail the app twice (confirm 2), 60 s apart; return the incident opened at T0+60."""
    target.status = 503
    await run_checks(service, app_id)
    clock.advance(60)
    await run_checks(service, app_id)
    active = [i for i in service.alerts.active.values() if i.app_id == app_id]
    assert len(active) == 1, active
    return active[0].id
