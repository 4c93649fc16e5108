"""A farm of simulated district apps on loopback ports, for `python -m monitor demo` and tests.

One aiohttp server carries most apps under path prefixes (see `APPS`); the TLS app and the mail
banner service need their own ports. Each app misbehaves in one typical way (slow, flaky, wrong
content, scripted outage, certificate near expiry), so every kind of alert shows up in minutes.
Randomness is seeded: two farms with the same seed fail the same requests. The business-flow
app is in flowapp.py, the mail service in mailserver.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import random
import secrets
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from monitor.demo.democerts import DemoPki, create_demo_pki
from monitor.demo.flowapp import TODO_ITEMS, ApprovalApp
from monitor.demo.mailserver import MAIL_BANNER, serve_mail
from monitor.demo.pages import html_page, json_reply

__all__ = [
    "APPS",
    "BY_DESIGN",
    "CERT_DAYS_LEFT",
    "DEFAULT_SEED",
    "FLAKY_FAILURE_RATE",
    "FLOW_USER",
    "GATEWAY_APPS",
    "MAIL_APP",
    "MAIL_BANNER",  # from mailserver.py, kept importable from here
    "SLOW_DELAY_S",
    "TLS_APP",
    "TODO_ITEMS",  # from flowapp.py, kept importable from here
    "Farm",
    "Gate",
    "Gateway",
    "start_farm",
]

DEFAULT_SEED = 20261124
FLAKY_FAILURE_RATE = 0.3
SLOW_DELAY_S = (2.2, 2.8)  # jitter around 2.5 s: slower than the demo's 2 s max_latency
FLOW_USER = "kq-demo"
CERT_DAYS_LEFT = 10.0  # under the demo's min_days_left of 14, so the tls check warns

# (Chinese name, path prefix) of the apps on the shared HTTP port; demo.yaml uses these.
APPS = (
    ("柯桥区协同办公", "/oa/"),  # healthy
    ("浙里办事-柯桥专区", "/zlb/"),  # slow
    ("基层智治", "/jczz/"),  # flaky
    ("健康柯桥", "/jkkq/"),  # wrong content
    ("企业码", "/qym/"),  # scripted outage
    ("移动审批", "/spsp/"),  # business flow
    ("办事指南（旧版）", "/bszn/"),  # healthy, but nobody owns it: the audit flags it (zombie)
)
# Apps behind one shared gateway (one path prefix each): when the gateway fails, they fail
# together, which the service reports as one correlated outage (大面积故障).
GATEWAY_APPS = (
    ("华舍街道便民服务", "/gw/hs/"),
    ("柯岩街道网格通", "/gw/ky/"),
    ("湖塘街道便民服务", "/gw/ht/"),
    ("齐贤街道网格通", "/gw/qx/"),
    ("安昌街道便民服务", "/gw/ac/"),
    ("钱清街道网格通", "/gw/qq/"),
)
TLS_APP = "统一身份认证"
MAIL_APP = "政务邮箱"
# How each app that fails on purpose fails (app name -> a code the demo's words name), so the
# demo can say which failures are by design: slow, flaky, wrong content, the scripted outage,
# the certificate near expiry, and the apps behind the shared gateway.
BY_DESIGN: dict[str, str] = {
    APPS[1][0]: "slow",
    APPS[2][0]: "flaky",
    APPS[3][0]: "content",
    APPS[4][0]: "outage",
    TLS_APP: "cert",
    **{name: "gateway" for name, _ in GATEWAY_APPS},
}

Gate = Callable[[], Awaitable[web.Response | None]]
"""Runs before every request of an app: a response short-circuits it, None lets it through."""


class Gateway:
    """The shared gateway: down in its scheduled window, or for a while when triggered."""

    def __init__(self, down_after_s: float, down_for_s: float) -> None:
        start = time.monotonic() + down_after_s
        self.windows = [(start, start + down_for_s)]
        self.down_for_s = down_for_s

    def trigger(self) -> None:
        """Down from now (a key press in the demo)."""
        now = time.monotonic()
        self.windows.append((now, now + self.down_for_s))

    def is_down(self) -> bool:
        now = time.monotonic()
        return any(start <= now < end for start, end in self.windows)

    async def gate(self) -> web.Response | None:
        if not self.is_down():
            return None
        return html_page("502 Bad Gateway", "网关错误：上游服务不可达。", status=502)


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
    gateway: Gateway
    _stack: contextlib.AsyncExitStack

    def _base(self, scheme: str, port: int) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{port}"

    def env(self) -> dict[str, str]:
        """The variables demo.yaml refers to as ${DEMO_*}."""
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
        rows = [(name, http_base + prefix) for name, prefix in (*APPS, *GATEWAY_APPS)]
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
    gateway_after_s: float = 150.0,
    gateway_for_s: float = 90.0,
) -> Farm:
    """Start every simulated app on free ports of `host`; the outage clock starts now."""
    hosts = list(dict.fromkeys(["localhost", "127.0.0.1", host]))  # names the leaf must cover
    pki = await asyncio.to_thread(
        create_demo_pki, work_dir / "pki", hosts=hosts, days_left=CERT_DAYS_LEFT
    )
    outage_from = time.monotonic() + outage_after_s
    outage_window = (outage_from, outage_from + outage_for_s)
    flow = ApprovalApp(APPS[5][0], FLOW_USER, secrets.token_urlsafe(12))
    gateway = Gateway(gateway_after_s, gateway_for_s)
    stack = contextlib.AsyncExitStack()  # the farm owns it; on a failed start it is unwound here
    try:
        http_port = await _serve(stack, _main_app(seed, outage_window, flow, gateway), host)
        tls_port = await _serve(stack, _site(TLS_APP), host, pki.server_context())
        tcp_port = await serve_mail(stack, host)
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
        gateway=gateway,
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


def _main_app(seed: int, outage_window: tuple[float, float], flow: ApprovalApp,
              gateway: Gateway) -> web.Application:
    flaky_rng = random.Random(f"{seed}-flaky")  # noqa: S311  # simulation, not security
    slow_rng = random.Random(f"{seed}-slow")  # noqa: S311  # separate stream: order-independent

    async def slow() -> None:
        await asyncio.sleep(slow_rng.uniform(*SLOW_DELAY_S))

    async def flaky() -> web.Response | None:
        if flaky_rng.random() >= FLAKY_FAILURE_RATE:
            return None
        if flaky_rng.random() < 0.5:
            return html_page("服务器内部错误", "请求处理失败，请稍后重试。", status=500)
        return html_page("服务暂不可用", "系统繁忙，请稍后重试。", status=503)

    async def outage() -> web.Response | None:
        if not outage_window[0] <= time.monotonic() < outage_window[1]:
            return None
        page = html_page("服务暂不可用", "系统故障，正在抢修，请稍后访问。", status=503)
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
    root.add_subapp("/bszn/", _site(APPS[6][0]))
    for name, prefix in GATEWAY_APPS:
        root.add_subapp(prefix, _site(name, gateway.gate))
    return root


def _site(name: str, gate: Gate | None = None) -> web.Application:
    """A healthy app (home page and JSON /health), optionally behind a misbehaving gate."""

    async def home(_: web.Request) -> web.Response:
        return html_page(name, f"欢迎使用{name}。本系统由柯桥区大数据发展管理中心提供技术支持。")

    async def health(_: web.Request) -> web.Response:
        return json_reply({"status": "UP", "app": name})

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
        return html_page(
            "系统维护中", "系统正在升级维护，预计今日18:00恢复，给您带来不便敬请谅解。"
        )

    app = web.Application()
    app.router.add_get("/{tail:.*}", maintenance)
    return app


async def _index(_: web.Request) -> web.Response:
    links = "".join(f'<li><a href="{prefix}">{html.escape(name)}</a></li>' for name, prefix in APPS)
    return html_page("柯桥区模拟应用集群", f"演示用的模拟应用：<ul>{links}</ul>", escape=False)
