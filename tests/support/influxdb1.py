"""A real InfluxDB 1.x server (Debian's `influxd`) for running the dashboards' InfluxQL.

`running_influxdb1(workdir)` writes a config file into `workdir` (meta, data and WAL directories
there too; no reporting, no auth, nothing but HTTP enabled), starts `influxd` on free loopback
ports, waits for `/ping`, creates a database and stops the server on exit. influxd 1.6 does not
take port 0, so the ports are picked here: bound once to learn a free one, then released.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.tools import require_tool

START_TIMEOUT_S = 30.0  # a cold influxd on a busy 2-core machine takes a few seconds
STOP_TIMEOUT_S = 10.0
HTTP_TIMEOUT_S = 30.0

CONFIG = """\
reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"

[meta]
  dir = "{root}/meta"
  retention-autocreate = true
  logging-enabled = false

[data]
  dir = "{root}/data"
  wal-dir = "{root}/wal"
  query-log-enabled = false
  trace-logging-enabled = false

[coordinator]
  log-queries-after = "0s"

[retention]
  enabled = false

[shard-precreation]
  enabled = false

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:{http_port}"
  auth-enabled = false
  log-enabled = false
  write-tracing = false
  pprof-enabled = false

[subscriber]
  enabled = false

[continuous_queries]
  enabled = false
"""


class InfluxError(RuntimeError):
    """The server answered a write or query with an error."""


@dataclass(frozen=True)
class InfluxDB1:
    """A running server: its base URL and the database created for the test."""

    url: str
    database: str

    def write(self, lines: Iterable[str], precision: str = "ms", batch: int = 5000) -> None:
        """POST line protocol to the v1 /write endpoint, `batch` lines per request."""
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= batch:
                self._write_chunk(chunk, precision)
                chunk = []
        if chunk:
            self._write_chunk(chunk, precision)

    def _write_chunk(self, lines: list[str], precision: str) -> None:
        params = urllib.parse.urlencode({"db": self.database, "precision": precision})
        body = ("\n".join(lines) + "\n").encode()
        status, text = _request(f"{self.url}/write?{params}", body)
        if status != 204:
            raise InfluxError(f"write failed: HTTP {status}: {text}")

    def query(self, query: str, *, epoch: str = "ms") -> dict[str, Any]:
        """POST a query to the v1 /query endpoint; the decoded JSON, errors included."""
        body = urllib.parse.urlencode(
            {"db": self.database, "q": query, "epoch": epoch}
        ).encode()
        status, text = _request(f"{self.url}/query", body, form=True)
        try:
            answer: dict[str, Any] = json.loads(text)
        except ValueError as exc:
            raise InfluxError(f"query failed: HTTP {status}: {text}") from exc
        return answer


def errors(answer: dict[str, Any]) -> list[str]:
    """The error messages in a /query answer: the request's own and each statement's."""
    found = [str(answer["error"])] if "error" in answer else []
    found += [str(r["error"]) for r in answer.get("results", []) if "error" in r]
    return found


def _request(url: str, body: bytes | None = None, *, form: bool = False) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if form:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all held open at once, so no duplicates)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"influxd exited with {process.returncode}:\n{_tail(log)}")
        with suppress(OSError):
            if _request(f"{url}/ping")[0] == 204:
                return
        time.sleep(0.1)
    raise RuntimeError(f"influxd did not answer /ping in {START_TIMEOUT_S:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT_S)


@contextmanager
def running_influxdb1(workdir: Path, database: str = "appmon") -> Iterator[InfluxDB1]:
    """influxd 1.x on free loopback ports with everything under `workdir`; stopped on exit.
    Skips (or fails under CI=true) when influxd is not installed."""
    influxd = require_tool("influxd")
    rpc_port, http_port = free_ports(2)
    root = workdir.resolve()
    config = root / "influxdb.conf"
    config.write_text(CONFIG.format(root=root, rpc_port=rpc_port, http_port=http_port))
    log = root / "influxd.log"
    url = f"http://127.0.0.1:{http_port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [influxd, "run", "-config", str(config)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=root,
        )
    try:
        _wait_ready(url, process, log)
        server = InfluxDB1(url=url, database=database)
        problems = errors(server.query(f'CREATE DATABASE "{database}"'))
        if problems:
            raise InfluxError(f"CREATE DATABASE failed: {problems}")
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def influxdb1(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InfluxDB1]:
    """One influxd for the session; tests write to its database and query it."""
    with running_influxdb1(tmp_path_factory.mktemp("influxdb1")) as server:
        yield server
