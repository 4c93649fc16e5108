"""A very cheap HTTP target for benchmarks, run in its own process.

    python -m monitor.benchfarm --port 0 --ports 4

prints `{"ports": [...], "pid": N}` as one line on stdout, answers every request with a fixed
`200 ok`, and serves until stdin closes, SIGTERM or SIGINT; it then prints
`{"requests": N}` (requests answered) and exits. A raw asyncio Protocol, no HTTP framework:
parsing stops at the end of the headers, so the benchmark measures the monitor, not the target.
Several ports spread the accept load over several listening sockets.

`start_bench_farm()` launches it and reads the ports, for benchmarks and tests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Final, cast

_OK: Final = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
RESPONSE_CLOSE: Final = _OK + b"Connection: close\r\n\r\nok"
RESPONSE_KEEP_ALIVE: Final = _OK + b"Connection: keep-alive\r\n\r\nok"
MAX_HEAD_BYTES: Final = 16 * 1024  # larger request heads are hostile or broken: hang up
IDLE_TIMEOUT_S: Final = 15.0  # kept-alive connections idle this long are closed (fd hygiene)
BACKLOG: Final = 4096  # bursts of thousands of connects must not be refused by a short queue
PROJECT_ROOT: Final = Path(__file__).resolve().parent.parent


class _Counters:
    """Shared by all connections: the request count and the open connections (for idle sweeps)."""

    def __init__(self) -> None:
        self.requests = 0
        self.live: set[_Responder] = set()


class _Responder(asyncio.Protocol):
    """One connection: finds each request's end and writes the fixed answer."""

    def __init__(self, counters: _Counters) -> None:
        self._counters = counters
        self._buffer = b""
        self._transport: asyncio.Transport | None = None
        self.last_active = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        self.last_active = asyncio.get_running_loop().time()
        self._counters.live.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._counters.live.discard(self)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def data_received(self, data: bytes) -> None:
        assert self._transport is not None  # data only arrives after connection_made
        self.last_active = asyncio.get_running_loop().time()
        self._buffer += data
        while (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            head = self._buffer[:end].lower()
            request_end = end + 4 + _content_length(head)
            if len(self._buffer) < request_end:
                return  # the request body has not fully arrived yet
            self._buffer = self._buffer[request_end:]
            self._counters.requests += 1
            if not _keep_alive(head):
                self._transport.write(RESPONSE_CLOSE)
                self._transport.close()
                return
            self._transport.write(RESPONSE_KEEP_ALIVE)
        if len(self._buffer) > MAX_HEAD_BYTES:
            self._transport.close()


def _keep_alive(head: bytes) -> bool:
    """HTTP semantics on a lower-cased head: 1.1 keeps the connection unless told to close."""
    request_line = head.split(b"\r\n", 1)[0]
    if request_line.endswith(b"http/1.0"):
        return b"\r\nconnection: keep-alive" in head
    return b"\r\nconnection: close" not in head


def _content_length(head: bytes) -> int:
    start = head.find(b"\r\ncontent-length:")
    if start < 0:
        return 0
    value = head[start + 17 :].split(b"\r\n", 1)[0].strip()
    return int(value) if value.isdigit() else 0


class _StdinEof(asyncio.Protocol):
    """Sets the stop event when the parent closes our stdin (or dies)."""

    def __init__(self, stop: asyncio.Event) -> None:
        self._stop = stop

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop.set()


async def serve(host: str, first_port: int, count: int, *, watch_stdin: bool = True) -> int:
    """Serve until stopped; returns the number of requests answered."""
    loop = asyncio.get_running_loop()
    counters = _Counters()
    servers = [
        await loop.create_server(
            lambda: _Responder(counters),
            host,
            first_port + index if first_port else 0,
            backlog=BACKLOG,
            reuse_address=True,
        )
        for index in range(count)
    ]
    ports = [server.sockets[0].getsockname()[1] for server in servers]
    print(json.dumps({"ports": ports, "pid": os.getpid()}), flush=True)

    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if watch_stdin:
        with contextlib.suppress(ValueError):  # stdin is a regular file: signals only
            await loop.connect_read_pipe(lambda: _StdinEof(stop), sys.stdin)
    sweeper = asyncio.create_task(_close_idle(counters))
    await stop.wait()

    sweeper.cancel()
    for server in servers:
        server.close()
    for responder in list(counters.live):
        responder.close()
    return counters.requests


async def _close_idle(counters: _Counters) -> None:
    # One sweep every few seconds costs less than a timer per connection.
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(IDLE_TIMEOUT_S / 3)
        cutoff = loop.time() - IDLE_TIMEOUT_S
        for responder in [r for r in counters.live if r.last_active < cutoff]:
            responder.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor.benchfarm", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="first port; 0 = free ports")
    parser.add_argument("--ports", type=int, default=1, help="number of listening ports")
    parser.add_argument("--ignore-stdin", action="store_true", help="do not stop when stdin closes")
    args = parser.parse_args(argv)
    requests = asyncio.run(
        serve(args.host, args.port, max(1, args.ports), watch_stdin=not args.ignore_stdin)
    )
    with contextlib.suppress(OSError):  # the parent may no longer read our stdout
        print(json.dumps({"requests": requests}), flush=True)
    return 0


@dataclass
class BenchFarm:
    """A running bench farm subprocess. Use as a context manager, or call stop()."""

    host: str
    ports: list[int]
    process: subprocess.Popen[bytes]
    requests_served: int | None = field(default=None, init=False)

    @property
    def urls(self) -> list[str]:
        return [f"http://{self.host}:{port}/" for port in self.ports]

    def stop(self, timeout_s: float = 10.0) -> int | None:
        """Close its stdin, wait for it to exit; returns the requests it answered (if told)."""
        try:
            out, _ = self.process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        for line in out.decode(errors="replace").splitlines():
            with contextlib.suppress(ValueError, TypeError, KeyError):
                self.requests_served = int(json.loads(line)["requests"])
        return self.requests_served

    def __enter__(self) -> BenchFarm:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_bench_farm(
    ports: int = 1, *, host: str = "127.0.0.1", startup_timeout_s: float = 10.0
) -> BenchFarm:
    """Launch `python -m monitor.benchfarm` and wait for the ports it bound (blocking call)."""
    env = dict(os.environ)
    # The project may be run from a checkout without being installed: make it importable.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "monitor.benchfarm", "--host", host, "--ports", str(ports)]
    process = subprocess.Popen(  # noqa: S603  # our own interpreter and module, fixed arguments
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    try:
        bound = _read_ports(process, startup_timeout_s)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return BenchFarm(host=host, ports=bound, process=process)


def _read_ports(process: subprocess.Popen[bytes], timeout_s: float) -> list[int]:
    assert process.stdout is not None  # created with stdout=PIPE
    ready, _, _ = select.select([process.stdout], [], [], timeout_s)
    line = process.stdout.readline() if ready else b""
    if not line:
        raise RuntimeError(f"bench farm did not report its ports (exit status {process.poll()})")
    return [int(port) for port in json.loads(line)["ports"]]


if __name__ == "__main__":
    sys.exit(main())
