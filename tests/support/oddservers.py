"""Small HTTP servers that do what real gateways and WAFs do and nginx will not be told to:
compress unasked, send brotli, answer HTTP/1.0 until close, drip a huge head in TCP-sized
segments, redirect with a bare relative Location, hesitate before the first byte.

They run on an event loop of their own in a thread, so one instance serves a whole test module
whatever loop each test runs in.
"""

from __future__ import annotations

import asyncio
import gzip
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Final

import brotli

SEGMENT: Final = 1400  # bytes per write of the huge heads: one TCP segment's worth
HEALTHY = "<html><body>odd but healthy 柯桥</body></html>".encode()

Writer = asyncio.StreamWriter
Route = Callable[[Writer], Awaitable[None]]


def _answer(body: bytes, *headers: str, status: str = "200 OK", version: str = "1.1") -> bytes:
    lines = [f"HTTP/{version} {status}", *headers]
    if version == "1.1":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _send(writer: Writer, data: bytes) -> None:
    writer.write(data)
    await writer.drain()


async def _gzip_unasked(writer: Writer) -> None:
    await _send(writer, _answer(gzip.compress(HEALTHY), "Content-Encoding: gzip",
                                "Content-Type: text/html; charset=utf-8"))


async def _deflate(writer: Writer) -> None:
    await _send(writer, _answer(zlib.compress(HEALTHY), "Content-Encoding: deflate",
                                "Content-Type: text/html; charset=utf-8"))


async def _brotli(writer: Writer) -> None:
    await _send(writer, _answer(brotli.compress(HEALTHY), "Content-Encoding: br",
                                "Content-Type: text/html; charset=utf-8"))


async def _bad_gzip(writer: Writer) -> None:
    await _send(writer, _answer(b"this is not gzip at all", "Content-Encoding: gzip"))


async def _http10(writer: Writer) -> None:
    await _send(writer, _answer(HEALTHY, "Content-Type: text/html; charset=utf-8",
                                version="1.0"))


def _big_head(kib: int) -> Route:
    async def route(writer: Writer) -> None:
        filler = "x" * 1000
        count = kib * 1024 // (len(filler) + 12)
        headers = [f"X-Filler-{i:04d}: {filler}" for i in range(count)]
        data = _answer(HEALTHY, "Content-Type: text/html; charset=utf-8", *headers)
        for start in range(0, len(data), SEGMENT):
            await _send(writer, data[start : start + SEGMENT])
            await asyncio.sleep(0)  # let each segment leave on its own

    return route


async def _relative_redirect(writer: Writer) -> None:
    await _send(writer, _answer(b"", "Location: healthy", status="302 Found"))


async def _healthy(writer: Writer) -> None:
    await _send(writer, _answer(HEALTHY, "Content-Type: text/html; charset=utf-8"))


async def _slow_first_byte(writer: Writer) -> None:
    await asyncio.sleep(1.5)
    await _healthy(writer)


ROUTES: Final[dict[str, Route]] = {
    "/gzip-unasked": _gzip_unasked,
    "/deflate": _deflate,
    "/br": _brotli,
    "/bad-gzip": _bad_gzip,
    "/http10": _http10,
    "/head-100k": _big_head(100),
    "/head-300k": _big_head(300),
    "/relative/start": _relative_redirect,
    "/relative/healthy": _healthy,
    "/slow-first-byte": _slow_first_byte,
}


async def _serve(reader: asyncio.StreamReader, writer: Writer) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        path = head.split(b" ", 2)[1].decode("ascii", "replace")
        route = ROUTES.get(path)
        if route is None:
            await _send(writer, _answer(b"no such odd page", status="404 Not Found"))
        else:
            await route(writer)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass  # the probe hung up first: its business
    finally:
        writer.close()


class OddServer:
    """The routes above on 127.0.0.1, served from a thread of its own."""

    def __init__(self) -> None:
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="odd-http", daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(_serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@contextmanager
def odd_server() -> Iterator[OddServer]:
    server = OddServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
