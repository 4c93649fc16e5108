"""A small asyncio HTTP/1.1 client that times every phase: DNS, connect, TLS, first byte, body.

Not aiohttp's ClientSession: a probe needs the phases timed separately (TLS is started with
`loop.start_tls` after a plain connect) and has to cost very little CPU, since the service runs
about a thousand probes a second on two cores.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from monitor.config.fields import format_duration
from probes.base import ErrorKind, ProbeResources, Timings
from probes.errors import ProbeError
from probes.httppool import Connection, ConnectionPool, PoolKey
from probes.httpurl import Target, parse_url
from probes.httpwire import Headers, WireProtocol, build_request, read_body, read_head

_SECONDS_PER_DAY = 86400.0


class Phase(Enum):
    DNS = "resolving the name"
    CONNECT = "connecting"
    TLS = "TLS handshake"
    FIRST_BYTE = "waiting for first byte"
    BODY = "reading the body"


class Trace:
    """What the current request got to, so a timeout can say which phase it cut off."""

    __slots__ = (
        "cert_days_left", "connect_s", "dns_s", "first_byte_s", "ip", "phase", "proto",
        "tls_s", "tls_version",
    )

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget the previous request's phases (a redirect or a retry starts a new one)."""
        self.phase = Phase.CONNECT
        self.proto: WireProtocol | None = None
        self.dns_s: float | None = None
        self.connect_s: float | None = None
        self.tls_s: float | None = None
        self.first_byte_s: float | None = None
        self.ip: str | None = None
        self.tls_version: str | None = None
        self.cert_days_left: float | None = None

    def use(self, conn: Connection) -> None:
        self.proto = conn.proto
        self.ip = conn.ip
        self.tls_version = conn.tls_version
        self.cert_days_left = conn.cert_days_left

    def timings(self, total_s: float) -> Timings:
        return Timings(total_s, self.dns_s, self.connect_s, self.tls_s, self.first_byte_s)

    def details(self) -> dict[str, str]:
        details = {}
        if self.ip is not None:
            details["ip"] = self.ip
        if self.tls_version is not None:
            details["tls_version"] = self.tls_version
        return details

    def timeout_error(self, timeout_s: float) -> ProbeError:
        """The error for a run cut off by its timeout, naming the phase it was in."""
        limit = format_duration(timeout_s)
        phase = self.phase
        if phase is Phase.CONNECT:
            return ProbeError(ErrorKind.CONNECT_TIMEOUT, f"connect not complete within {limit}")
        if phase is Phase.FIRST_BYTE:
            if self.proto is not None and self.proto.first_byte_at is not None:
                message = f"response headers not complete within {limit}"
                return ProbeError(ErrorKind.TIMEOUT, message)
            return ProbeError(ErrorKind.TIMEOUT, f"no response within {limit} ({phase.value})")
        if phase is Phase.BODY:
            return ProbeError(ErrorKind.TIMEOUT, f"body not complete within {limit}")
        if phase is Phase.TLS:
            return ProbeError(ErrorKind.TIMEOUT, f"TLS handshake not complete within {limit}")
        return ProbeError(ErrorKind.TIMEOUT, f"name not resolved within {limit}")


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None
    verify: bool
    ca_file: str | None
    max_body: int


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    reason: str
    headers: Headers
    body: bytes
    truncated: bool  # the body was cut at the size cap

    def text(self) -> str:
        """The body as text, in the charset the server declared (UTF-8 when it did not)."""
        content_type = self.headers.get("content-type") or ""
        charset = "utf-8"
        for param in content_type.split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip('"') or charset
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name
            return self.body.decode("utf-8", errors="replace")


async def fetch(
    request: Request, resources: ProbeResources, pool: ConnectionPool | None, trace: Trace
) -> Response:
    """One request and its response, on a pooled connection when `pool` is given."""
    target = parse_url(request.url)
    key: PoolKey = (target.scheme, target.host, target.port, request.verify, request.ca_file)
    trace.reset()
    conn = pool.take(key) if pool is not None else None
    if conn is not None:
        try:
            return await _exchange(
                conn, target, request, resources=resources, pool=pool, trace=trace
            )
        except (OSError, ProbeError) as exc:
            # A server may close an idle keep-alive connection just as we reuse it. If not a
            # byte of the answer came back, the request was not processed: retry once, fresh.
            if isinstance(exc, TimeoutError) or conn.proto.first_byte_at is not None:
                raise
        trace.reset()
    conn = await open_connection(target, key, resources, trace)
    return await _exchange(conn, target, request, resources=resources, pool=pool, trace=trace)


async def _exchange(
    conn: Connection,
    target: Target,
    request: Request,
    *,
    resources: ProbeResources,
    pool: ConnectionPool | None,
    trace: Trace,
) -> Response:
    proto = conn.proto
    trace.use(conn)
    try:
        data = build_request(
            request.method, target.request_target, target.host_header,
            user_agent=resources.user_agent, headers=request.headers, body=request.body,
            keep_alive=pool is not None,
        )
        proto.first_byte_at = None
        trace.phase = Phase.FIRST_BYTE
        sent_at = time.perf_counter()
        conn.transport.write(data)
        head = await read_head(proto)
        while 100 <= head.status < 200 and head.status != 101:  # interim answers, e.g. 103
            head = await read_head(proto)
        trace.first_byte_s = (proto.first_byte_at or sent_at) - sent_at
        trace.phase = Phase.BODY
        body = await read_body(proto, head, request.method, request.max_body)
    except BaseException:
        conn.close()
        raise
    if pool is not None and body.delimited and head.keeps_alive() and conn.usable():
        pool.put(conn)
    else:
        conn.close()
    return Response(request.url, head.status, head.reason, head.headers, body.data, body.truncated)


async def open_connection(
    target: Target, key: PoolKey, resources: ProbeResources, trace: Trace
) -> Connection:
    """Resolve, connect and (for https) handshake, timing each phase into `trace`."""
    loop = asyncio.get_running_loop()
    addresses = await _resolve(loop, target, trace)
    trace.phase = Phase.CONNECT
    started = time.perf_counter()
    conn = await _connect_any(loop, addresses, target.port, key)
    trace.connect_s = time.perf_counter() - started
    trace.use(conn)
    if target.tls:
        trace.phase = Phase.TLS
        started = time.perf_counter()
        try:
            await _start_tls(loop, conn, target, resources, verify=key[3], ca_file=key[4])
        except BaseException:
            conn.close()
            raise
        trace.tls_s = time.perf_counter() - started
        trace.use(conn)
    return conn


async def _resolve(
    loop: asyncio.AbstractEventLoop, target: Target, trace: Trace
) -> list[tuple[int, str]]:
    if target.is_ip:  # nothing to resolve: skip the resolver thread entirely
        family = socket.AF_INET6 if ":" in target.host else socket.AF_INET
        return [(family, target.host)]
    trace.phase = Phase.DNS
    started = time.perf_counter()
    infos = await loop.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    trace.dns_s = time.perf_counter() - started
    addresses: list[tuple[int, str]] = []
    for family, _, _, _, sockaddr in infos:
        address = (int(family), str(sockaddr[0]))
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ProbeError(ErrorKind.DNS, f"{target.host} has no address")
    return addresses


async def _connect_any(
    loop: asyncio.AbstractEventLoop, addresses: list[tuple[int, str]], port: int, key: PoolKey
) -> Connection:
    """Try the addresses in resolver order; the last failure is the one reported."""
    error: OSError | None = None
    for family, ip in addresses:
        try:
            transport, proto = await loop.create_connection(WireProtocol, ip, port, family=family)
        except OSError as exc:
            error = exc
            continue
        return Connection(key, transport, proto, ip)
    assert error is not None  # addresses is never empty
    raise error


async def _start_tls(
    loop: asyncio.AbstractEventLoop,
    conn: Connection,
    target: Target,
    resources: ProbeResources,
    *,
    verify: bool,
    ca_file: str | None,
) -> None:
    context = resources.ssl_context(verify, ca_file)
    # server_hostname is both SNI and the name verified; for an IP literal Python sends no SNI
    # and checks the certificate's IP SANs instead.
    tls_transport = await loop.start_tls(
        conn.transport, conn.proto, context, server_hostname=target.host
    )
    if tls_transport is None:  # only when the loop is closing
        raise ProbeError(ErrorKind.TLS, "TLS handshake aborted")
    conn.transport = tls_transport
    ssl_object = tls_transport.get_extra_info("ssl_object")
    if isinstance(ssl_object, ssl.SSLObject):
        conn.tls_version = ssl_object.version()
        if verify:  # without verification OpenSSL does not decode the certificate for us
            cert = ssl_object.getpeercert()
            not_after = cert.get("notAfter") if cert else None
            if isinstance(not_after, str):
                expires = ssl.cert_time_to_seconds(not_after)
                conn.cert_days_left = (expires - time.time()) / _SECONDS_PER_DAY
