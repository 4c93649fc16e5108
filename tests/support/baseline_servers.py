"""A real app for the pre-listing evaluation: HTTPS with every security item right, and a
plain-HTTP server redirecting to it, both on loopback; `Site` changes one thing at a time.

    async with baseline_site(pki, Site(headers={"X-Frame-Options": None})) as site:
        ev = await evaluate(site.url, site.options())

`site.options()` trusts the test CA, points the redirect check at the HTTP server and tries
one loopback port that is bound but not listening, so a healthy site passes every item.
"""

from __future__ import annotations

import asyncio
import ssl
import warnings
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

from aiohttp import web

from monitor.governance.evaluate import EvaluationOptions
from tests.support.certs import TestPki
from tests.support.http_servers import serve_app
from tests.support.tcp_servers import closed_port

# Every header right: HSTS 1 year, framing denied, nosniff, a CSP, a Server without version.
GOOD_HEADERS: Mapping[str, str] = MappingProxyType({
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'",
    "Server": "nginx",
})


@dataclass(frozen=True)
class Site:
    """What the app does; the defaults pass every security item."""

    headers: Mapping[str, str | None] = field(default_factory=dict)  # None drops a good header
    redirect: bool = True  # False: plain HTTP serves the page itself
    names: tuple[str, ...] = ()  # certificate names; default localhost and 127.0.0.1
    days_left: float = 365.0
    expired: bool = False
    tls: Literal["default", "tls12_only", "legacy"] = "default"
    fail_every: int = 0  # every n-th request to /app answers 500 (0: never)
    delay_s: float = 0.0

    def response_headers(self) -> dict[str, str]:
        merged: dict[str, str | None] = {**GOOD_HEADERS, **self.headers}
        return {name: value for name, value in merged.items() if value is not None}


@dataclass
class RunningSite:
    url: str  # https://127.0.0.1:<port>/app
    http_port: int
    ca_file: str
    closed_port: int
    hits: int = 0  # requests to /app

    def options(self, **overrides: Any) -> EvaluationOptions:
        base = EvaluationOptions(
            ca_file=self.ca_file, http_port=self.http_port, ports=(self.closed_port,),
            port_timeout_s=1.0, timeout_s=5.0, burst=3, burst_interval_s=0.0,
        )
        return replace(base, **overrides)


def server_context(pki: TestPki, site: Site) -> ssl.SSLContext:
    names, days, expired = site.names, site.days_left, site.expired
    if site.tls == "tls12_only":
        return pki.server_context(*names, days_left=days, expired=expired,
                                  max_version=ssl.TLSVersion.TLSv1_2)
    if site.tls == "legacy":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # enabling TLS 1.0 is the point
            ctx = pki.server_context(*names, days_left=days, expired=expired,
                                     min_version=ssl.TLSVersion.TLSv1)
        # OpenSSL 3 keeps TLS 1.0/1.1 suites behind security level 0, even when enabled.
        ctx.set_ciphers("ALL:@SECLEVEL=0")
        return ctx
    return pki.server_context(*names, days_left=days, expired=expired)


def _https_app(site: Site, running: list[RunningSite]) -> web.Application:
    headers = site.response_headers()

    async def page(_request: web.Request) -> web.Response:
        state = running[0]
        state.hits += 1
        if site.delay_s:
            await asyncio.sleep(site.delay_s)
        if site.fail_every and state.hits % site.fail_every == 0:
            return web.Response(status=500, text="internal error")
        return web.Response(text="<h1>柯桥区协同办公</h1>", content_type="text/html")

    async def add_headers(_request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(headers)  # aiohttp keeps a Server header set here

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/app", page)
    app.on_response_prepare.append(add_headers)
    return app


def _http_app(site: Site, https_base: str) -> web.Application:
    async def plain(request: web.Request) -> web.Response:
        if site.redirect:
            raise web.HTTPMovedPermanently(f"{https_base}{request.path_qs}")
        return web.Response(text="<h1>plain http</h1>", content_type="text/html",
                            headers={"Server": "nginx"})

    app = web.Application()
    app.router.add_get("/{tail:.*}", plain)
    return app


@asynccontextmanager
async def baseline_site(pki: TestPki, site: Site | None = None) -> AsyncIterator[RunningSite]:
    site = site or Site()
    holder: list[RunningSite] = []
    with ExitStack() as stack:
        dead = stack.enter_context(closed_port())
        async with serve_app(_https_app(site, holder),
                             ssl_context=server_context(pki, site)) as https_base, \
                serve_app(_http_app(site, https_base)) as http_base:
            running = RunningSite(url=f"{https_base}/app", http_port=int(http_base.rsplit(":")[-1]),
                                  ca_file=str(pki.ca_file), closed_port=dead)
            holder.append(running)
            yield running


@asynccontextmanager
async def open_port() -> AsyncIterator[int]:
    """A real listener on a free loopback port, standing in for an exposed database."""

    async def hang_up(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


@contextmanager
def dead_ports(count: int) -> Iterator[tuple[int, ...]]:
    """`count` loopback ports bound but not listening: connects are refused."""
    with ExitStack() as stack:
        yield tuple(stack.enter_context(closed_port()) for _ in range(count))
