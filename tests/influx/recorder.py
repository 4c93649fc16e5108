"""A small real InfluxDB v2 write endpoint (aiohttp, in the test process) that records requests.

It speaks `/api/v2/write` as InfluxDB does: gzip bodies (checked: the sink must compress),
`Authorization: Token ...`, 204 on success. Tests set `status` (and `body`) to make it answer
400/401/500 like a real server, or `delay_s` to make it slow.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass(frozen=True)
class WriteRequest:
    at: float  # loop time when it arrived
    lines: tuple[str, ...]
    params: dict[str, str]
    authorization: str
    content_encoding: str


@dataclass
class Recorder:
    url: str = ""
    status: int = 204
    body: dict[str, str] | None = None
    delay_s: float = 0.0
    requests: list[WriteRequest] = field(default_factory=list)  # accepted (2xx) only
    refused: int = 0  # answered with an error status

    @property
    def lines(self) -> list[str]:
        return [line for request in self.requests for line in request.lines]

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()  # as sent: the server does not decompress (see below)
        encoding = request.headers.get("Content-Encoding", "")
        text = gzip.decompress(raw).decode() if encoding == "gzip" else raw.decode()
        if encoding == "gzip":
            assert raw[:2] == b"\x1f\x8b", "Content-Encoding says gzip, the body is not"
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self.status >= 300:
            self.refused += 1
            return web.Response(status=self.status, text=json.dumps(self.body or {
                "code": "internal error", "message": f"status {self.status}"}),
                content_type="application/json")
        self.requests.append(WriteRequest(
            asyncio.get_running_loop().time(), tuple(text.splitlines()),
            dict(request.query), request.headers.get("Authorization", ""), encoding))
        return web.Response(status=204)


@asynccontextmanager
async def running_recorder() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/api/v2/write", recorder.handle)
    # auto_decompress off: the recorder sees the body as it travelled, so gzip is really checked.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1, auto_decompress=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    recorder.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield recorder
    finally:
        await runner.cleanup()
