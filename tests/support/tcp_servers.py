"""Real TCP servers on free loopback ports, well-behaved and hostile, for probe tests.

Every server is an async context manager exposing `host` and `port`:

    async with banner_server(b"220 ready\\r\\n") as server:
        ...connect to server.host, server.port...

On exit the listener closes and every open connection is dropped, so a test never leaks
sockets even when its handler is stuck waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import ssl
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import TypeVar

from probes.base import ProbeResult
from probes.context import ProbeContext

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

LOOPBACK = "127.0.0.1"


class LocalServer:
    """An asyncio server on a free loopback port running `handler` for each connection."""

    def __init__(self, handler: Handler, ssl_context: ssl.SSLContext | None = None) -> None:
        self.host = LOOPBACK
        self.port = 0
        self.connections = 0  # accepted so far (handshake included for TLS)
        self._handler = handler
        self._ssl = ssl_context
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    async def __aenter__(self) -> LocalServer:
        self._server = await asyncio.start_server(self._serve, self.host, 0, ssl=self._ssl)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.transport.abort()  # wakes every handler: its reads end, its writes fail
        await _finish(self._tasks)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            await self._handler(reader, writer)
        except (OSError, asyncio.IncompleteReadError):
            pass  # the probe under test hung up; that is its right
        except asyncio.CancelledError:
            pass  # Python 3.11 logs an error when a connection callback task ends cancelled
        finally:
            self._writers.discard(writer)
            self._tasks.discard(task)
            writer.transport.abort()


async def _finish(tasks: set[asyncio.Task[None]]) -> None:
    """Let handlers end on their own (their transports are aborted); cancel any that do not."""
    if not tasks:
        return
    _done, pending = await asyncio.wait(set(tasks), timeout=1.0)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def _drain_until_eof(reader: asyncio.StreamReader) -> None:
    while await reader.read(4096):
        pass


def banner_server(banner: bytes, *, close_after: bool = False) -> LocalServer:
    """Greets with `banner`, then hangs up (close_after) or waits for the client to leave."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(banner)
        await writer.drain()
        if close_after:
            writer.close()
            return
        await _drain_until_eof(reader)

    return LocalServer(handler)


def echo_server() -> LocalServer:
    """Sends every line back."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()

    return LocalServer(handler)


def silent_server() -> LocalServer:
    """Accepts and never says a word (also a TLS server that never answers the ClientHello)."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _drain_until_eof(reader)

    return LocalServer(handler)


def flood_server(chunk: bytes = b"A" * 4096) -> LocalServer:
    """Streams the same bytes forever: a banner that never ends."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            writer.write(chunk)
            await writer.drain()

    return LocalServer(handler)


def plain_http_server() -> LocalServer:
    """A plain-text HTTP server: answers whatever arrives (a ClientHello too) with 400."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(4096)
        body = b"plain HTTP here\n"
        writer.write(
            b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
            + body
        )
        await writer.drain()
        writer.close()

    return LocalServer(handler)


def tls_server(context: ssl.SSLContext, banner: bytes = b"") -> LocalServer:
    """A TLS server (context from TestPki.server_context) that optionally greets with `banner`."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if banner:
            writer.write(banner)
            await writer.drain()
        await _drain_until_eof(reader)

    return LocalServer(handler, ssl_context=context)


def open_fds() -> int:
    """File descriptors this process holds: a probe that leaks sockets makes it grow."""
    return len(os.listdir("/proc/self/fd"))


@contextlib.asynccontextmanager
async def no_leaks() -> AsyncIterator[None]:
    """Fail when the block leaves sockets open, or leaves them for the garbage collector.

    Counting descriptors alone misses the second case: a dropped transport is closed by its
    finaliser (with a ResourceWarning) before the count is taken.
    """
    await asyncio.sleep(0.1)  # let sockets of earlier work finish closing
    before = open_fds()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        await asyncio.sleep(0.1)  # transports close their sockets on the next loop iterations
        gc.collect()
    unclosed = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not unclosed, unclosed
    assert open_fds() == before


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port nothing listens on: connects get RST (refused).

    The port stays bound (without listen) while in use, so no other process can take it.
    """
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind((LOOPBACK, 0))
        yield holder.getsockname()[1]
    finally:
        holder.close()


@contextlib.contextmanager
def unanswered_port() -> Iterator[int]:
    """A loopback port whose SYNs go unanswered, as behind a dropping firewall.

    The listener's accept queue (backlog 0 holds one connection) is filled and never drained;
    the kernel then drops further SYNs, so a connect() hangs until the client gives up.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((LOOPBACK, 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        filler.settimeout(2.0)
        filler.connect((LOOPBACK, port))
        yield port
    finally:
        filler.close()
        listener.close()


# Running probes against these servers.

# A hostile case must end within its timeout plus this: a correctness bound, not a benchmark.
DEADLINE_SLACK_S = 0.5

SpecT = TypeVar("SpecT")


async def run_bounded(
    probe: Callable[[SpecT, ProbeContext], Awaitable[ProbeResult]],
    spec: SpecT,
    ctx: ProbeContext,
) -> ProbeResult:
    """Run a probe and assert it ended within its timeout plus DEADLINE_SLACK_S."""
    started = time.monotonic()
    result = await probe(spec, ctx)
    elapsed = time.monotonic() - started
    assert elapsed <= ctx.timeout_s + DEADLINE_SLACK_S, (
        f"probe ran {elapsed:.2f}s with a {ctx.timeout_s}s timeout: {result}"
    )
    return result
