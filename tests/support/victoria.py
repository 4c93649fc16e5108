"""A real VictoriaMetrics (Debian's `victoria-metrics`) taking InfluxDB v2 writes.

It accepts the same `/api/v2/write?org=..&bucket=..&precision=ms` (gzip) that influxdb-client
sends, and each field of a line becomes a series named `<measurement>_<field>` with the tags as
labels (string fields are stored as 0). Read back with `/api/v1/export` (one JSON line per
series) after `/internal/force_flush`, which makes just-written points searchable.

`victoria` (a fixture) yields a started server on a free loopback port with its data under the
test's tmp_path; `stop()` (SIGTERM) and `start()` again keep the port and the data, which is
what the outage tests need.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.support.tools import require_tool

START_TIMEOUT_S = 30.0  # a cold start on a busy 2-core machine takes a second or two
STOP_TIMEOUT_S = 15.0
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass(frozen=True)
class Sample:
    """One exported point: metric name, labels (sorted), epoch ms, value."""

    name: str
    labels: tuple[tuple[str, str], ...]
    ts_ms: int
    value: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Victoria:
    def __init__(self, binary: str, data_path: Path, port: int | None = None) -> None:
        self.binary = binary
        self.data_path = data_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_path.parent / f"victoria-{self.port}.log"
        data_path.parent.mkdir(parents=True, exist_ok=True)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    async def start(self) -> None:
        assert not self.running, "already running"
        self._spawn()
        await self._wait_healthy()

    def _spawn(self) -> None:
        # Retention of 100 years: test points may carry any time without being discarded.
        with self.log_path.open("ab") as out:
            self._process = subprocess.Popen(
                [self.binary, f"-httpListenAddr=127.0.0.1:{self.port}",
                 f"-storageDataPath={self.data_path}", "-retentionPeriod=100y",
                 "-loggerLevel=WARN"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )

    async def _wait_healthy(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_S
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while loop.time() < deadline:
                assert self._process is not None
                if self._process.poll() is not None:
                    raise RuntimeError(f"victoria-metrics exited with {self._process.returncode}:"
                                       f"\n{self.log_tail()}")
                try:
                    async with http.get(f"{self.url}/health") as resp:
                        if resp.status == 200:
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass
                await asyncio.sleep(0.05)
        raise RuntimeError(f"victoria-metrics not healthy in {START_TIMEOUT_S:.0f} s:\n"
                           f"{self.log_tail()}")

    async def stop(self) -> None:
        """SIGTERM and wait: VictoriaMetrics flushes what it holds and exits."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait, STOP_TIMEOUT_S)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    async def export(self, match: str = '{__name__=~".+"}') -> list[Sample]:
        """Every point of the series matching `match`, after a force flush."""
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as http:
            async with http.get(f"{self.url}/internal/force_flush") as resp:
                assert resp.status == 200, await resp.text()
            # `end` defaults to now; points stamped slightly ahead (clock skew) count too.
            params = {"match[]": match, "start": "0", "end": str(int(time.time()) + 86400)}
            async with http.get(f"{self.url}/api/v1/export", params=params) as resp:
                assert resp.status == 200, await resp.text()
                text = await resp.text()
        samples = []
        for row in filter(None, text.splitlines()):
            series = json.loads(row)
            labels = dict(series["metric"])
            name = labels.pop("__name__")
            key = tuple(sorted(labels.items()))
            samples += [Sample(name, key, int(ts), float(value))
                        for ts, value in zip(series["timestamps"], series["values"], strict=True)]
        return samples

    async def write_requests(self) -> int:
        """Influx write requests served so far (VictoriaMetrics' own counter)."""
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as http, \
                http.get(f"{self.url}/metrics") as resp:
            text = await resp.text()
        return sum(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
                   if line.startswith("vm_http_requests_total") and 'path="/influx/' in line)


async def started_victoria(data_root: Path) -> Victoria:
    """A running server with its data under `data_root` (skip or fail if not installed)."""
    server = Victoria(require_tool("victoria-metrics"), data_root / "vmdata")
    await server.start()
    return server


@pytest.fixture
async def victoria(tmp_path: Path) -> AsyncIterator[Victoria]:
    server = await started_victoria(tmp_path / "victoria")
    try:
        yield server
    finally:
        await server.stop()
