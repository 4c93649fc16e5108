"""A farm of simulated district apps on loopback ports, for `python -m monitor demo` and tests.

One aiohttp server carries most apps under path prefixes (see `APPS`); the TLS app and the mail
banner service need their own ports. Each app misbehaves in one typical way (slow, flaky, wrong
content, scripted outage, certificate near expiry), so every kind of alert shows up in minutes.
Randomness is seeded: two farms with the same seed fail the same requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import json
import random
import secrets
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from monitor.demo.democerts import DemoPki, create_demo_pki

DEFAULT_SEED = 20261124
FLAKY_FAILURE_RATE = 0.3
SLOW_DELAY_S = (2.2, 2.8)  # jitter around 2.5 s: slower than the demo's 2 s max_latency
MAIL_BANNER = b"220 kq-mail ESMTP ready\r\n"
MAIL_IDLE_S = 30.0  # a silent mail client is dropped, as real MTAs do
FLOW_USER = "kq-demo"
SESSION_COOKIE = "KQ_SESSION"
MAX_SESSIONS = 1000  # probes that never log out must not grow memory without bound
CERT_DAYS_LEFT = 10.0  # under the demo's min_days_left of 14, so the tls check warns

# (Chinese name, path prefix) of the apps on the shared HTTP port; config/demo.yaml uses these.
APPS = (
    ("柯桥区协同办公", "/oa/"),  # healthy
    ("浙里办事-柯桥专区", "/zlb/"),  # slow
    ("基层智治", "/jczz/"),  # flaky
    ("健康柯桥", "/jkkq/"),  # wrong content
    ("企业码", "/qym/"),  # scripted outage
    ("移动审批", "/spsp/"),  # business flow
)
TLS_APP = "统一身份认证"
MAIL_APP = "政务邮箱"
TODO_ITEMS = ("关于2026年度预算调整的请示", "柯桥区数字化改革推进会通知", "公务用车申请")

Gate = Callable[[], Awaitable[web.Response | None]]
"""Runs before every request of an app: a response short-circuits it, None lets it through."""

# Chinese stays literal (not \uXXXX), so a body_contains check with Chinese text can match.
_dumps = functools.partial(json.dumps, ensure_ascii=False)


@dataclass
class Farm:
    """The running farm: where each app listens, and how to stop it."""

    host: str
    http_port: int
    tls_port: int
    tcp_port: int
    pki: DemoPki
    flow_user: str
    flow_password: str
    outage_after_s: float
    outage_for_s: float
    _stack: contextlib.AsyncExitStack

    def _base(self, scheme: str, port: int) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{port}"

    def env(self) -> dict[str, str]:
        """The variables config/demo.yaml refers to as ${DEMO_*}."""
        return {
            "DEMO_HOST": self.host,
            "DEMO_HTTP_PORT": str(self.http_port),
            "DEMO_HTTP_BASE": self._base("http", self.http_port),
            "DEMO_TLS_PORT": str(self.tls_port),
            "DEMO_HTTPS_BASE": self._base("https", self.tls_port),
            "DEMO_TCP_PORT": str(self.tcp_port),
            "DEMO_CA_FILE": str(self.pki.ca_file),
            "DEMO_FLOW_USER": self.flow_user,
            "DEMO_FLOW_PASSWORD": self.flow_password,
        }

    def describe(self) -> list[tuple[str, str]]:
        """(Chinese app name, URL) of every simulated app, for printing."""
        http_base = self._base("http", self.http_port)
        rows = [(name, http_base + prefix) for name, prefix in APPS]
        rows.append((TLS_APP, self._base("https", self.tls_port) + "/"))
        rows.append((MAIL_APP, self._base("tcp", self.tcp_port)))
        return rows

    async def close(self) -> None:
        await self._stack.aclose()


async def start_farm(
    *,
    work_dir: Path,
    outage_after_s: float = 60.0,
    outage_for_s: float = 60.0,
    host: str = "127.0.0.1",
    seed: int = DEFAULT_SEED,
) -> Farm:
    """Start every simulated app on free ports of `host`; the outage clock starts now."""
    hosts = list(dict.fromkeys(["localhost", "127.0.0.1", host]))  # names the leaf must cover
    pki = await asyncio.to_thread(
        create_demo_pki, work_dir / "pki", hosts=hosts, days_left=CERT_DAYS_LEFT
    )
    outage_from = time.monotonic() + outage_after_s
    outage_window = (outage_from, outage_from + outage_for_s)
    flow = _ApprovalApp(FLOW_USER, secrets.token_urlsafe(12))
    stack = contextlib.AsyncExitStack()  # the farm owns it; on a failed start it is unwound here
    try:
        http_port = await _serve(stack, _main_app(seed, outage_window, flow), host)
        tls_port = await _serve(stack, _site(TLS_APP), host, pki.server_context())
        tcp_port = await _serve_mail(stack, host)
    except BaseException:
        await stack.aclose()
        raise
    return Farm(
        host=host,
        http_port=http_port,
        tls_port=tls_port,
        tcp_port=tcp_port,
        pki=pki,
        flow_user=flow.user,
        flow_password=flow.password,
        outage_after_s=outage_after_s,
        outage_for_s=outage_for_s,
        _stack=stack,
    )


async def _serve(
    stack: contextlib.AsyncExitStack,
    app: web.Application,
    host: str,
    ssl_context: ssl.SSLContext | None = None,
) -> int:
    # A short shutdown timeout: a demo stop must not wait for a slow app's sleeping handlers.
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    stack.push_async_callback(runner.cleanup)
    await web.TCPSite(runner, host, 0, ssl_context=ssl_context).start()
    return int(runner.addresses[0][1])


def _main_app(seed: int, outage_window: tuple[float, float], flow: _ApprovalApp) -> web.Application:
    flaky_rng = random.Random(f"{seed}-flaky")  # noqa: S311  # simulation, not security
    slow_rng = random.Random(f"{seed}-slow")  # noqa: S311  # separate stream: order-independent

    async def slow() -> None:
        await asyncio.sleep(slow_rng.uniform(*SLOW_DELAY_S))

    async def flaky() -> web.Response | None:
        if flaky_rng.random() >= FLAKY_FAILURE_RATE:
            return None
        if flaky_rng.random() < 0.5:
            return _page("服务器内部错误", "请求处理失败，请稍后重试。", status=500)
        return _page("服务暂不可用", "系统繁忙，请稍后重试。", status=503)

    async def outage() -> web.Response | None:
        if not outage_window[0] <= time.monotonic() < outage_window[1]:
            return None
        page = _page("服务暂不可用", "系统故障，正在抢修，请稍后访问。", status=503)
        page.headers["Retry-After"] = "60"
        return page

    root = web.Application()
    root.router.add_get("/", _index)
    root.add_subapp("/oa/", _site(APPS[0][0]))
    root.add_subapp("/zlb/", _site(APPS[1][0], slow))
    root.add_subapp("/jczz/", _site(APPS[2][0], flaky))
    root.add_subapp("/jkkq/", _maintenance_site())
    root.add_subapp("/qym/", _site(APPS[4][0], outage))
    root.add_subapp("/spsp/", flow.app())
    return root


def _site(name: str, gate: Gate | None = None) -> web.Application:
    """A healthy app (home page and JSON /health), optionally behind a misbehaving gate."""

    async def home(_: web.Request) -> web.Response:
        return _page(name, f"欢迎使用{name}。本系统由柯桥区大数据发展管理中心提供技术支持。")

    async def health(_: web.Request) -> web.Response:
        return _json({"status": "UP", "app": name})

    middlewares: list[Middleware] = [_gate_middleware(gate)] if gate else []
    app = web.Application(middlewares=middlewares)
    app.router.add_get("/", home)
    app.router.add_get("/health", health)
    return app


def _gate_middleware(gate: Gate) -> Middleware:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        # Compared with None on purpose: a response is a mapping, and an empty one is falsy.
        early = await gate()
        return early if early is not None else await handler(request)

    return middleware


def _maintenance_site() -> web.Application:
    """Answers 200 everywhere, but with a maintenance notice instead of the app."""

    async def maintenance(_: web.Request) -> web.Response:
        return _page("系统维护中", "系统正在升级维护，预计今日18:00恢复，给您带来不便敬请谅解。")

    app = web.Application()
    app.router.add_get("/{tail:.*}", maintenance)
    return app


async def _index(_: web.Request) -> web.Response:
    links = "".join(f'<li><a href="{prefix}">{html.escape(name)}</a></li>' for name, prefix in APPS)
    return _page("柯桥区模拟应用集群", f"演示用的模拟应用：<ul>{links}</ul>", escape=False)


class _ApprovalApp:
    """移动审批: login -> todo list -> logout, with a bearer token AND a session cookie."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self._sessions: dict[str, str] = {}  # token -> session cookie value

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self._home)
        app.router.add_post("/api/login", self._login)
        app.router.add_get("/api/todo", self._todo)
        app.router.add_post("/api/logout", self._logout)
        return app

    async def _home(self, _: web.Request) -> web.Response:
        return _page(APPS[5][0], "柯桥区移动审批：请登录后查看待办事项。")

    async def _login(self, request: web.Request) -> web.Response:
        try:
            data = await request.json()
        except ValueError:
            return _json_error(400, "请求格式错误")
        credentials = (data.get("user"), data.get("password")) if isinstance(data, dict) else None
        if credentials != (self.user, self.password):
            return _json_error(401, "用户名或密码错误")
        if len(self._sessions) >= MAX_SESSIONS:
            self._sessions.pop(next(iter(self._sessions)))  # drop the oldest
        token, session = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self._sessions[token] = session
        response = _json({"token": token, "name": "演示用户"})
        response.set_cookie(SESSION_COOKIE, session, httponly=True, path="/")
        return response

    def _token(self, request: web.Request) -> str | None:
        """The request's token if it names a live session and the cookie matches it."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        session = self._sessions.get(token) if scheme.lower() == "bearer" else None
        cookie = request.cookies.get(SESSION_COOKIE, "")
        return token if session and secrets.compare_digest(session, cookie) else None

    async def _todo(self, request: web.Request) -> web.Response:
        if self._token(request) is None:
            return _json_error(401, "未登录或登录已过期")
        return _json({"count": len(TODO_ITEMS), "items": list(TODO_ITEMS)})

    async def _logout(self, request: web.Request) -> web.Response:
        token = self._token(request)
        if token is None:
            return _json_error(401, "未登录或登录已过期")
        del self._sessions[token]
        response = _json({"ok": True})
        response.del_cookie(SESSION_COOKIE, path="/")
        return response


async def _serve_mail(stack: contextlib.AsyncExitStack, host: str) -> int:
    """政务邮箱: an SMTP-like banner service, enough for a tcp check with send/expect."""
    clients: set[asyncio.StreamWriter] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        clients.add(writer)
        try:
            writer.write(MAIL_BANNER)
            await writer.drain()
            while line := await asyncio.wait_for(reader.readline(), MAIL_IDLE_S):
                reply = _mail_reply(line)
                writer.write(reply)
                await writer.drain()
                if reply.startswith(b"221"):
                    break
        except (TimeoutError, ConnectionError, ValueError):
            pass  # idle, reset or an over-long line: just hang up, as a mail server would
        finally:
            clients.discard(writer)
            writer.close()

    async def close() -> None:
        server.close()
        for writer in list(clients):  # wait_closed() would otherwise wait for idle clients
            writer.close()
        await server.wait_closed()

    server = await asyncio.start_server(handle, host, 0)
    stack.push_async_callback(close)
    return int(server.sockets[0].getsockname()[1])


def _mail_reply(line: bytes) -> bytes:
    verb = line.strip().split(b" ", 1)[0].upper()
    if verb in (b"EHLO", b"HELO"):
        return b"250 kq-mail\r\n"
    if verb in (b"NOOP", b"RSET"):
        return b"250 OK\r\n"
    if verb == b"QUIT":
        return b"221 Bye\r\n"
    return b"502 Command not implemented\r\n"


def _page(title: str, text: str, *, status: int = 200, escape: bool = True) -> web.Response:
    body = html.escape(text) if escape else text
    doc = (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{body}</p></body></html>"
    )
    return web.Response(text=doc, status=status, content_type="text/html", charset="utf-8")


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


def _json_error(status: int, message: str) -> web.Response:
    return _json({"error": message}, status=status)
