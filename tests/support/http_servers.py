"""Real local servers for the HTTP probe tests, started in the test process on free ports.

`serve_app` runs an aiohttp application (well-behaved and merely wrong endpoints, the login
flow); `RawServer` runs a bare asyncio handler for what a real framework will not do: never
answer, dribble a byte a second, speak SSH, drop keep-alive connections.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

TOKEN = "tok-8d1f"  # what the login endpoint hands out
SESSION = "s-42"  # the session cookie value


@asynccontextmanager
async def serve_app(
    app: web.Application, *, ssl_context: ssl.SSLContext | None = None
) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 and yield its base URL, e.g. http://127.0.0.1:40123."""
    # A short shutdown timeout: endless handlers must not hold up the end of a test.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def target_app() -> web.Application:
    """Endpoints that answer (rightly or wrongly) in every way an app under watch may."""
    app = web.Application()
    app.router.add_get("/ok", _ok)
    app.router.add_get("/status/{code}", _status)
    app.router.add_get("/json", _json)
    app.router.add_get("/slow", _slow)
    app.router.add_get("/redirect/{n}", _redirect_chain)
    app.router.add_get("/loop/{name}", _redirect_loop)
    app.router.add_get("/chunked", _chunked)
    app.router.add_get("/endless", _endless)
    app.router.add_route("*", "/echo", _echo)
    app.router.add_post("/api/login", _login)
    app.router.add_get("/api/profile", _profile)
    app.router.add_get("/page", _page)
    app.router.add_post("/api/logout", _logout)
    return app


async def _ok(request: web.Request) -> web.Response:
    return web.Response(text="service ok")


async def _status(request: web.Request) -> web.Response:
    return web.Response(status=int(request.match_info["code"]), text="status page")


async def _json(request: web.Request) -> web.Response:
    doc = {"data": {"status": "UP", "items": [{"name": "db", "count": 3}]}, "ok": True}
    return web.json_response(doc)


async def _slow(request: web.Request) -> web.Response:
    await asyncio.sleep(float(request.query.get("delay", "0.3")))
    return web.Response(text="slow ok")


async def _redirect_chain(request: web.Request) -> web.Response:
    hops = int(request.match_info["n"])
    if hops == 0:
        return web.Response(text="arrived")
    raise web.HTTPFound(f"{hops - 1}")  # relative: resolved against /redirect/<n>


async def _redirect_loop(request: web.Request) -> web.Response:
    other = "b" if request.match_info["name"] == "a" else "a"
    raise web.HTTPFound(f"/loop/{other}")


async def _chunked(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.enable_chunked_encoding()
    await response.prepare(request)
    for part in ("alpha ", "beta ", "gamma ", "done"):
        await response.write(part.encode())
        await asyncio.sleep(0.01)
    await response.write_eof()
    return response


async def _endless(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.enable_chunked_encoding()
    await response.prepare(request)
    block = b"x" * 16384
    try:
        while True:  # until the client goes away
            await response.write(block)
    except ConnectionError:
        return response


async def _echo(request: web.Request) -> web.Response:
    doc = {
        "method": request.method,
        "path": request.path_qs,
        "headers": dict(request.headers),
        "body": await request.text(),
    }
    return web.json_response(doc)


async def _login(request: web.Request) -> web.Response:
    creds = await request.json()
    if creds != {"user": "ops", "password": "secret"}:
        return web.json_response({"error": "bad credentials"}, status=403)
    response = web.json_response({"data": {"token": TOKEN, "expires_in": 3600}})
    response.set_cookie("session", SESSION, path="/")
    response.set_cookie("scoped", "only-api", path="/api")
    return response


async def _profile(request: web.Request) -> web.Response:
    if request.headers.get("Authorization") != f"Bearer {TOKEN}":
        return web.json_response({"error": "no token"}, status=401)
    if request.cookies.get("session") != SESSION:
        return web.json_response({"error": "no session"}, status=401)
    return web.json_response({"name": "张三", "scoped": request.cookies.get("scoped")})


async def _page(request: web.Request) -> web.Response:
    if request.cookies.get("session") != SESSION:
        raise web.HTTPFound("/ok")
    html = '<html><input name="csrf" value="c-991"><p>欢迎</p></html>'
    return web.Response(text=html, content_type="text/html")


async def _logout(request: web.Request) -> web.Response:
    if request.cookies.get("session") != SESSION:
        return web.json_response({"error": "not logged in"}, status=401)
    response = web.json_response({"bye": True})
    response.del_cookie("session", path="/")
    return response


class RawServer:
    """A bare asyncio server running `handler` per connection; counts connections."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections = 0
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for writer in self._writers:
            writer.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        # The handler runs in a task of our own: cancelling it at shutdown is then awaited by
        # __aexit__, rather than reported by asyncio's stream machinery as an error.
        task = asyncio.ensure_future(self._handler(reader, writer))
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            await asyncio.wait({task})
        finally:
            self._tasks.discard(task)
            writer.close()
        error = None if task.cancelled() else task.exception()
        # The probe hanging up first is how most hostile tests end; anything else is a bug.
        expected = ConnectionError | asyncio.IncompleteReadError
        if error is not None and not isinstance(error, expected):
            raise error


async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    await asyncio.sleep(3600)


async def slow_loris(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Headers at once, then the body a byte a second."""
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
    while True:
        writer.write(b"z")
        await writer.drain()
        await asyncio.sleep(1.0)


async def ssh_banner(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x00\x04\x2c\x0a\x14\xde\xad\xbe\xef" * 3)
    await writer.drain()
    await asyncio.sleep(3600)


async def silent_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Reads the request and hangs up without a word."""
    await reader.readuntil(b"\r\n\r\n")


def canned(response: bytes) -> Handler:
    """Answers the request with exactly these bytes, then closes."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(response)
        await writer.drain()

    return handler


def keep_alive(
    *, close_idle_after_s: float | None = None, requests_per_connection: int | None = None
) -> Handler:
    """An HTTP/1.1 keep-alive server. It may close idle connections after a delay, or read
    one request too many and hang up without answering (the race a pool must survive)."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        served = 0
        while True:
            wait = reader.readuntil(b"\r\n\r\n")
            if served and close_idle_after_s is not None:
                try:
                    await asyncio.wait_for(wait, close_idle_after_s)
                except TimeoutError:
                    return  # idle too long: close, as servers' keepalive_timeout does
            else:
                await wait
            if requests_per_connection is not None and served >= requests_per_connection:
                return
            body = json.dumps({"served": served + 1}).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
            served += 1

    return handler


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@asynccontextmanager
async def full_backlog() -> AsyncIterator[int]:
    """A port whose accept queue is full, so a connect gets no SYN-ACK: a connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port: int = listener.getsockname()[1]
    filler = socket.socket()
    filler.setblocking(False)
    try:
        filler.connect_ex(("127.0.0.1", port))
        await asyncio.sleep(0.05)  # let the handshake complete so the queue is really full
        yield port
    finally:
        filler.close()
        listener.close()
