"""A real Service for the status wall's tests: the API tests' two apps plus three more in other
departments, categories and tiers, all watched on one real local app (tests.support.target),
a fixed clock, background=False (a test runs the checks and the alert runner by hand) and a
fast live stream (200 ms).

    async with running_wall(tmp_path) as wall:
        await wall.checks()                        # every check runs once (target says 200)
        incident_id = await wall.open_incident()   # kq-oa fails twice: an incident opens
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from monitor.config import load_config
from monitor.service import Service
from tests.api.conftest import HOOK_SECRET, SetClock, config_yaml, open_incident, run_checks
from tests.support.clocks import T0
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target, app_yaml, running_target, write_config

LIVE_INTERVAL = "200ms"


@dataclass
class Wall:
    service: Service
    target: Target
    clock: SetClock

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.service.bound_port}"

    async def checks(self, app_id: str | None = None) -> None:
        await run_checks(self.service, app_id)

    async def open_incident(self, app_id: str = "kq-oa") -> str:
        return await open_incident(self.service, self.target, self.clock, app_id)

    async def json(self, path: str = "/console/wall.json") -> Any:
        async with aiohttp.ClientSession() as http, http.get(self.base + path) as resp:
            assert resp.status == 200, resp.status
            return await resp.json()


def wall_config(tmp_path: Path, target: Target, hook: WebhookReceiver, *,
                language: str = "zh-CN") -> str:
    text = config_yaml(tmp_path, target, hook, language=language).lstrip("\n")
    more = (app_yaml("kq-zwfw", f"{target.url}/health/3", name="政务服务网",
                     department="区行政服务中心", tier=1).replace("办公协同", "政务服务")
            + app_yaml("kq-jf", f"{target.url}/health/4", name="缴费平台",
                       department="区行政服务中心", tier=2).replace("办公协同", "政务服务")
            + app_yaml("kq-wgh", f"{target.url}/health/5", name="网格化管理",
                       department="区委政法委", tier=3).replace("办公协同", "基层治理"))
    text += textwrap.indent(more, "  ")  # items of the `apps:` list above
    return text + f'console:\n  live_interval: "{LIVE_INTERVAL}"\n'


@asynccontextmanager
async def running_wall(tmp_path: Path, *, language: str = "zh-CN",
                       now: float = T0) -> AsyncIterator[Wall]:
    """`now`: where the fixed clock starts (a browser test starts it at the real time, so
    console.js, which counts on the browser's clock, shows time left rather than overdue)."""
    async with running_target() as target, WebhookReceiver(secret=HOOK_SECRET) as hook:
        path = write_config(tmp_path, wall_config(tmp_path, target, hook, language=language))
        clock = SetClock(now)
        service = Service(load_config(path), clock=clock, background=False)
        await service.start()
        try:
            yield Wall(service, target, clock)
        finally:
            await service.stop()


async def read_event(resp: aiohttp.ClientResponse) -> dict[str, Any]:
    """The next `wall` event of a stream (comments and the retry line are skipped)."""
    name, data = "", ""
    while True:
        line = (await resp.content.readline()).decode().rstrip("\n")
        if line.startswith("event:"):
            name = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data += line.removeprefix("data:").strip()
        elif line == "" and data:
            assert name == "wall", name
            body: dict[str, Any] = json.loads(data)
            return body
