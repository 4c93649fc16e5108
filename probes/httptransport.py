"""The aiohttp sessions HTTP probes speak through, and the phase timings read from them.

One `HttpTransport` per `ProbeResources` holds a few long-lived sessions, by address family
and connection reuse: a fresh connection per run by default (an availability probe must see a
refused connect), a keep-alive pool for checks with `reuse_connection`. Sessions keep no
cookies and no DNS cache between runs (a DNS failure must show). A flow run gets a session of
its own, with its own cookie jar and keep-alive, closed when the run ends.

Timings come from aiohttp's `TraceConfig` signals. aiohttp performs the TCP connect and the TLS
handshake inside one "connection create" step; the moment between them is taken from the
connector's protocol factory, which asyncio calls once the socket is connected and just before
it starts the handshake (and, through a proxy, once the CONNECT tunnel stands). So `connect_s`
and `tls_s` are measured, not estimated.
"""

from __future__ import annotations

import asyncio
import contextvars
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from enum import Enum
from types import SimpleNamespace
from typing import Any, Final

import aiohttp

from probes.addresses import FAMILIES, HAPPY_EYEBALLS_DELAY_S, IpVersion
from probes.base import ErrorKind, Timings
from probes.errors import ProbeError

# Response headers a browser accepts in total (Chromium's limit); a single header line may use
# all of it. aiohttp itself limits only each line, so the total is checked after parsing:
# the same answer however the bytes were split into TCP segments.
MAX_HEADER_BYTES: Final = 256 * 1024
MAX_HEADER_COUNT: Final = 4096  # the byte limit governs; aiohttp's default of 128 is too few
# Keep-alive connections of `reuse_connection` checks: servers close idle ones after 5 s
# (Apache) to 75 s (nginx); a reused dead connection costs a retry.
KEEPALIVE_S: Final = 50.0
# Our own deadline bounds every run; aiohttp's timeouts are off so they cannot disagree.
_NO_TIMEOUT: Final = aiohttp.ClientTimeout(total=None, connect=None, sock_read=None,
                                           sock_connect=None)

# The trace of the request the current task is making; read by the protocol factory hook.
_CURRENT: contextvars.ContextVar[PhaseTrace | None] = contextvars.ContextVar(
    "appmon_http_trace", default=None
)


class Phase(Enum):
    """The phase a request is in; the value names its timeout reason (timeout.<value>)."""

    DNS = "dns"
    CONNECT = "connect"
    TLS = "tls"
    FIRST_BYTE = "response"
    BODY = "body"


class PhaseTrace:
    """Per-phase times of the current request, and the phase it is in (a timeout names it)."""

    __slots__ = (
        "cert_days_left", "connect_s", "connect_started", "dns_s", "dns_started",
        "first_byte_s", "ip", "phase", "sent_at", "tcp_done", "tls", "tls_s", "tls_version",
        "via_proxy",
    )

    def __init__(self) -> None:
        self.reset(tls=False)

    def reset(self, *, tls: bool) -> None:
        """Forget the previous request (a redirect starts a new one)."""
        self.tls = tls
        self.phase = Phase.CONNECT
        self.dns_started: float | None = None
        self.dns_s: float | None = None
        self.connect_started: float | None = None
        self.tcp_done: float | None = None
        self.connect_s: float | None = None
        self.tls_s: float | None = None
        self.sent_at: float | None = None
        self.first_byte_s: float | None = None
        self.ip: str | None = None
        self.tls_version: str | None = None
        self.cert_days_left: float | None = None
        self.via_proxy = False

    def timings(self, total_s: float) -> Timings:
        return Timings(total_s, self.dns_s, self.connect_s, self.tls_s, self.first_byte_s)

    def details(self) -> dict[str, str]:
        details = {}
        if self.ip is not None:
            details["ip"] = self.ip
        if self.tls_version is not None:
            details["tls_version"] = self.tls_version
        return details

    def timeout_error(self, limit_s: float) -> ProbeError:
        """The error for a run cut off by its timeout, naming the phase it was in."""
        kind = ErrorKind.CONNECT_TIMEOUT if self.phase is Phase.CONNECT else ErrorKind.TIMEOUT
        return ProbeError.because(kind, f"timeout.{self.phase.value}", limit_s=limit_s)

    # --- called from aiohttp's signals ----------------------------------------------------

    def on_dns_start(self) -> None:
        self.phase = Phase.DNS
        self.dns_started = time.perf_counter()

    def on_dns_end(self) -> None:
        now = time.perf_counter()
        if self.dns_started is not None:
            self.dns_s = now - self.dns_started
        self.connect_started = now  # the TCP connect begins once the name is resolved
        self.phase = Phase.CONNECT

    def on_connect_start(self) -> None:
        # Resolution happens inside aiohttp's "connection create"; on_dns_end moves the start.
        self.phase = Phase.CONNECT
        self.connect_started = time.perf_counter()

    def on_socket_ready(self) -> None:
        """The TCP connection (or the proxy tunnel) stands; TLS starts now, if any."""
        self.tcp_done = time.perf_counter()
        if self.connect_started is not None:
            self.connect_s = self.tcp_done - self.connect_started
        if self.tls:
            self.phase = Phase.TLS

    def on_connect_end(self) -> None:
        if self.tcp_done is None:  # the factory hook did not fire: no split to report
            self.on_socket_ready()
        elif self.tls:
            self.tls_s = time.perf_counter() - self.tcp_done
        self.phase = Phase.FIRST_BYTE

    def on_sent(self) -> None:
        self.sent_at = time.perf_counter()
        self.phase = Phase.FIRST_BYTE

    def on_headers(self) -> None:
        if self.sent_at is not None:
            self.first_byte_s = time.perf_counter() - self.sent_at
        self.phase = Phase.BODY


class ProbeResponse(aiohttp.ClientResponse):
    """A response that remembers what its connection was: aiohttp hands a connection back as
    soon as a small body has arrived, before the caller could ask it anything."""

    peer: str | None = None
    tls_version: str | None = None
    cert_der: bytes | None = None

    async def start(self, connection: aiohttp.connector.Connection) -> aiohttp.ClientResponse:
        transport = connection.transport
        if transport is not None:
            peer = transport.get_extra_info("peername")
            self.peer = str(peer[0]) if peer else None
            ssl_object = transport.get_extra_info("ssl_object")
            if isinstance(ssl_object, ssl.SSLObject):
                self.tls_version = ssl_object.version()
                # The DER form is there with or without verification: tls_verify: false still
                # shows the expiry.
                self.cert_der = ssl_object.getpeercert(binary_form=True)
        return await super().start(connection)


def _signal(method: Callable[[PhaseTrace], None]) -> Callable[..., Any]:
    async def handler(_session: object, context: SimpleNamespace, _params: object) -> None:
        trace = context.trace_request_ctx
        if isinstance(trace, PhaseTrace):
            method(trace)

    return handler


def _trace_config() -> aiohttp.TraceConfig:
    config = aiohttp.TraceConfig()
    config.on_dns_resolvehost_start.append(_signal(PhaseTrace.on_dns_start))
    config.on_dns_resolvehost_end.append(_signal(PhaseTrace.on_dns_end))
    config.on_connection_create_start.append(_signal(PhaseTrace.on_connect_start))
    config.on_connection_create_end.append(_signal(PhaseTrace.on_connect_end))
    config.on_request_headers_sent.append(_signal(PhaseTrace.on_sent))
    config.on_request_end.append(_signal(PhaseTrace.on_headers))
    config.freeze()
    return config


def _mark_socket_ready(connector: aiohttp.TCPConnector) -> None:
    """Time-stamp the end of the TCP connect, through the connector's protocol factory.

    asyncio calls the factory after the socket connected and before the TLS handshake; aiohttp
    keeps it in the (private) `_factory` attribute. tests/probes check that `tls_s` is measured,
    so a change of this in aiohttp shows as a failing test, not as a wrong number.
    """
    make = connector._factory

    def factory() -> Any:
        trace = _CURRENT.get()
        if trace is not None:
            trace.on_socket_ready()
        return make()

    connector._factory = factory  # type: ignore[assignment]


def tracing(trace: PhaseTrace) -> contextvars.Token[PhaseTrace | None]:
    """Make `trace` the current task's trace (undo with `untrace`)."""
    return _CURRENT.set(trace)


def untrace(token: contextvars.Token[PhaseTrace | None]) -> None:
    _CURRENT.reset(token)


class HttpTransport:
    """The shared sessions of one event loop, by (address family, connection reuse)."""

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent
        self._trace_config = _trace_config()
        self._sessions: dict[tuple[socket.AddressFamily, bool], aiohttp.ClientSession] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def session(self, ip_version: IpVersion, *, reuse: bool) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # Sessions belong to the loop they were made in; a new loop (a test, a command run
            # in a fresh asyncio.run) starts afresh. The old ones died with their loop.
            self._sessions = {}
            self._loop = loop
        key = (FAMILIES[ip_version], reuse)
        session = self._sessions.get(key)
        if session is None or session.closed:
            connector = self.connector(ip_version, keep_alive=reuse)
            session = self._sessions[key] = self.new_session(
                connector, aiohttp.DummyCookieJar()
            )
        return session

    def connector(self, ip_version: IpVersion, *, keep_alive: bool) -> aiohttp.TCPConnector:
        connector = aiohttp.TCPConnector(
            family=FAMILIES[ip_version],
            force_close=not keep_alive,
            keepalive_timeout=KEEPALIVE_S if keep_alive else None,
            limit=0,  # the scheduler bounds concurrency; a limit here would queue silently
            use_dns_cache=False,
            happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY_S,
        )
        _mark_socket_ready(connector)
        return connector

    def new_session(
        self, connector: aiohttp.TCPConnector, cookie_jar: aiohttp.abc.AbstractCookieJar
    ) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=cookie_jar,
            headers={"User-Agent": self.user_agent},
            timeout=_NO_TIMEOUT,
            trace_configs=[self._trace_config],
            max_line_size=MAX_HEADER_BYTES,
            max_field_size=MAX_HEADER_BYTES,
            max_headers=MAX_HEADER_COUNT,
            response_class=ProbeResponse,
        )

    @asynccontextmanager
    async def flow_session(self, ip_version: IpVersion) -> AsyncIterator[aiohttp.ClientSession]:
        """A session for one flow run: its own cookies, keep-alive between its steps."""
        # unsafe=True keeps cookies of IP-address hosts, as browsers do; quote_cookie=False
        # sends values exactly as the server set them.
        jar = aiohttp.CookieJar(unsafe=True, quote_cookie=False)
        session = self.new_session(self.connector(ip_version, keep_alive=True), jar)
        try:
            yield session
        finally:
            await session.close()

    async def close(self) -> None:
        """Close the shared sessions (service shutdown, end of a command)."""
        sessions, self._sessions = self._sessions, {}
        if self._loop is not asyncio.get_running_loop():
            return  # they belong to a loop that is gone
        for session in sessions.values():
            await session.close()
