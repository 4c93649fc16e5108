"""A controllable app under watch: tests flip its status and delay and read what it saw."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web

from tests.support.http_servers import serve_app


class Target:
    """`/health` answers `status` after `delay` seconds and counts overlapping requests."""

    def __init__(self) -> None:
        self.status = 200
        self.delay_s = 0.0
        self.gate: asyncio.Event | None = None  # set: requests wait until the test opens it
        self.hits = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.url = ""

    async def _health(self, _request: web.Request) -> web.Response:
        self.hits += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            if self.gate is not None:
                await self.gate.wait()
            return web.Response(status=self.status, text="ok" if self.status == 200 else "down")
        finally:
            self.in_flight -= 1

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/health", self._health)
        app.router.add_get("/health/{n}", self._health)
        return app


@asynccontextmanager
async def running_target() -> AsyncIterator[Target]:
    target = Target()
    async with serve_app(target.app()) as base:
        target.url = base
        yield target


def write_config(directory: Path, body: str, *, name: str = "config.yaml") -> Path:
    """Write a YAML config and return its path."""
    path = directory / name
    path.write_text(body.lstrip("\n"), encoding="utf-8")
    return path


def app_yaml(app_id: str, url: str, *, interval: str = "1s", timeout: str = "2s",
             name: str = "测试应用", department: str = "区大数据中心", tier: int = 1) -> str:
    """One app with one http check `home` on `url`, as YAML list item text."""
    return textwrap.dedent(f"""\
      - id: "{app_id}"
        name: "{name}"
        department: "{department}"
        category: "办公协同"
        tier: {tier}
        checks:
          - id: "home"
            kind: "http"
            url: "{url}"
            interval: "{interval}"
            timeout: "{timeout}"
    """)
