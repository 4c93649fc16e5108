"""`tcp` probe: connect, optionally send a line and expect a banner.

The connection helpers here (`Phases`, `open_stream`, `close_stream`, `phase_failure`) are shared
with the `tls` probe, which connects the same way and only judges the handshake differently.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import aiohappyeyeballs
from aiohappyeyeballs import AddrInfoType as AddrInfo

from monitor.core.configtext import keyed
from monitor.core.fields import setting
from monitor.core.hostnames import ascii_host, host_problem
from monitor.core.reasons import Reason
from probes.addresses import FAMILIES, HAPPY_EYEBALLS_DELAY_S, IpVersion
from probes.base import ErrorKind, ProbeResult, Timings, failed
from probes.context import ProbeContext
from probes.errors import Failure, ProbeError, diagnose, english

# Banner bytes kept while waiting for `expect`: enough for any greeting, bounded against a
# peer that streams endlessly.
MAX_BANNER_BYTES: Final = 64 * 1024
# Characters of received data quoted in a failure message: one readable line.
PREVIEW_CHARS: Final = 80
# A clean close of a healthy connection may wait this long for the peer (TLS close_notify);
# after that the socket is dropped so a run never outlives its timeout by much.
CLOSE_GRACE_S: Final = 0.2

DNS, CONNECT, TLS, SEND, READ = "dns", "connect", "tls", "send", "read"


@dataclass(frozen=True)
class TcpSpec:
    host: str = setting(doc="host name or IP address")
    port: int = setting(minimum=1, maximum=65535, doc="TCP port")
    send: str | None = setting(None, doc="a line to send after connecting (CRLF appended)")
    expect: str | None = setting(None, doc="text the banner / reply must contain")
    tls: bool = setting(False, doc="wrap the connection in TLS before send/expect")
    tls_verify: bool = setting(True, doc="verify the certificate when tls is on")
    ip_version: IpVersion | None = setting(
        None, doc='"4" or "6" pins the address family; "auto" tries both (happy eyeballs); '
        "default: defaults.ip_version",
    )

    def __post_init__(self) -> None:
        problem = host_problem(self.host)
        if problem is not None:
            raise keyed("host", problem)


class Phases:
    """Per-phase durations of one run, and the phase in progress (it names a timeout)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.current = "start"
        self._mark = self.start
        self.spans: dict[str, float] = {}

    def enter(self, phase: str) -> None:
        self.current = phase
        self._mark = time.perf_counter()

    def done(self) -> None:
        self.spans[self.current] = time.perf_counter() - self._mark

    @contextlib.contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        """Time `phase`, also when it fails: a refused connect took time too."""
        self.enter(phase)
        try:
            yield
        finally:
            self.done()

    def elapsed(self) -> float:
        """Seconds since the current phase began."""
        return time.perf_counter() - self._mark

    def timings(self) -> Timings:
        return Timings(
            total_s=time.perf_counter() - self.start,
            dns_s=self.spans.get(DNS),
            connect_s=self.spans.get(CONNECT),
            tls_s=self.spans.get(TLS),
            first_byte_s=self.spans.get(READ),
        )


@dataclass(frozen=True)
class Stream:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    address: str  # the IP address actually connected to


async def open_stream(
    host: str,
    port: int,
    phases: Phases,
    *,
    ssl_context: ssl.SSLContext | None = None,
    server_name: str | None = None,
    ip_version: IpVersion = "auto",
) -> Stream:
    """Resolve, connect and (with `ssl_context`) handshake, timing each phase."""
    host = ascii_host(host)
    addresses = await _resolve(host, port, phases, FAMILIES[ip_version])
    with phases.timed(CONNECT):
        sock, address = await _connect_any(addresses)
    sni = ascii_host(server_name or host) if ssl_context is not None else None
    try:
        with phases.timed(TLS) if ssl_context is not None else contextlib.nullcontext():
            reader, writer = await asyncio.open_connection(
                sock=sock, ssl=ssl_context, server_hostname=sni
            )
    except BaseException:
        sock.close()  # the transport closes it too when it got that far; closing twice is harmless
        raise
    return Stream(reader, writer, address)


async def close_stream(stream: Stream, *, graceful: bool) -> None:
    """Close politely when the peer behaved, else drop the socket at once."""
    writer = stream.writer
    if graceful:
        writer.close()
        try:
            async with asyncio.timeout(CLOSE_GRACE_S):
                await writer.wait_closed()
        except Exception:  # noqa: S110  # best effort: the run's result is already decided
            pass
        else:
            return
    writer.transport.abort()


def phase_failure(exc: Exception, phases: Phases, timeout_s: float) -> Failure:
    """Name a failure by the phase it happened in; fall back to the shared diagnosis."""
    if isinstance(exc, TimeoutError):
        kind = ErrorKind.CONNECT_TIMEOUT if phases.current == CONNECT else ErrorKind.TIMEOUT
        phase = phases.current if phases.current in (CONNECT, DNS, TLS, SEND) else "reply"
        return kind, Reason(f"tcp.timeout.{phase}", {"limit_s": timeout_s})
    handshake_cut = isinstance(exc, ConnectionError | EOFError) and not isinstance(
        exc, ConnectionRefusedError
    )
    if phases.current == TLS and handshake_cut:
        # A peer that hangs up on a ClientHello does not speak TLS on this port.
        return ErrorKind.TLS, Reason("tls.cut")
    kind, reason = diagnose(exc)
    if isinstance(exc, ssl.SSLError) and exc.reason == "WRONG_VERSION_NUMBER":
        reason = Reason("tls.not_tls", {"inner": reason})  # e.g. plain HTTP on 443
    return kind, reason


def printable(data: bytes, limit: int = PREVIEW_CHARS) -> str:
    """Received bytes as one printable line, control characters escaped, cut at `limit`."""
    text = data.decode("utf-8", "backslashreplace")
    escaped = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    return escaped if len(escaped) <= limit else escaped[:limit] + "..."


async def probe(spec: TcpSpec, ctx: ProbeContext) -> ProbeResult:
    started_at = ctx.clock.now()
    deadline = asyncio.get_running_loop().time() + ctx.timeout_s
    phases = Phases()
    received = bytearray()
    ssl_context = ctx.resources.ssl_context(spec.tls_verify) if spec.tls else None
    try:
        async with asyncio.timeout_at(deadline):
            stream = await open_stream(
                spec.host, spec.port, phases, ssl_context=ssl_context,
                ip_version=spec.ip_version or "auto",
            )
    except Exception as exc:
        kind, reason = _failure(spec, exc, phases, received, ctx.timeout_s)
        return failed(kind, reason, started_at, phases.timings())
    details = _stream_details(stream)
    try:
        async with asyncio.timeout_at(deadline):
            await _converse(spec, stream, phases, received)
    except Exception as exc:
        await close_stream(stream, graceful=False)
        kind, reason = _failure(spec, exc, phases, received, ctx.timeout_s)
        return failed(kind, reason, started_at, phases.timings(), details=details)
    # Closed outside the deadline: a slow goodbye must not turn a good run into a timeout.
    await close_stream(stream, graceful=True)
    seen = {"address": stream.address, "port": spec.port}
    summary = Reason("ok.tcp", seen)
    if spec.expect is not None:
        details["banner"] = printable(bytes(received))
        summary = Reason("ok.tcp_expect", seen | {"expect": spec.expect})
    return ProbeResult(
        ok=True, started_at=started_at, timings=phases.timings(), message=english(summary),
        reason=summary, details=details,
    )


def target(spec: TcpSpec) -> str:
    return f"{spec.host}:{spec.port}"


def _stream_details(stream: Stream) -> dict[str, str]:
    details = {"ip": stream.address}
    ssl_object = stream.writer.get_extra_info("ssl_object")
    if ssl_object is not None:
        details["tls_version"] = str(ssl_object.version())
    return details


async def _converse(spec: TcpSpec, stream: Stream, phases: Phases, received: bytearray) -> None:
    if spec.send is not None:
        phases.enter(SEND)
        stream.writer.write(f"{spec.send}\r\n".encode())
        await stream.writer.drain()
    if spec.expect is not None:
        phases.enter(READ)
        await _read_until(stream.reader, spec.expect.encode(), phases, received)


async def _read_until(
    reader: asyncio.StreamReader, needle: bytes, phases: Phases, received: bytearray
) -> None:
    """Read until `needle` shows up; the time to the first byte is the READ phase's span."""
    while needle not in received:
        if len(received) >= MAX_BANNER_BYTES:
            raise ProbeError.because(ErrorKind.CONTENT, "tcp.not_in_first",
                                     expect=needle.decode(), bytes=len(received),
                                     got=printable(bytes(received)))
        chunk = await reader.read(4096)
        if not chunk:
            if received:
                raise ProbeError.because(ErrorKind.CONTENT, "tcp.closed_without",
                                         expect=needle.decode(), got=printable(bytes(received)))
            raise ProbeError.because(ErrorKind.CONTENT, "tcp.closed_silent",
                                     expect=needle.decode())
        if not received:
            phases.spans[READ] = phases.elapsed()
        received += chunk


def _failure(
    spec: TcpSpec, exc: Exception, phases: Phases, received: bytearray, timeout_s: float
) -> Failure:
    if isinstance(exc, TimeoutError) and phases.current == READ and received:
        # Something answered, just never the expected text: a content problem, not silence.
        return ErrorKind.CONTENT, Reason("tcp.expect_timeout", {
            "expect": spec.expect, "limit_s": timeout_s, "got": printable(bytes(received)),
        })
    kind, reason = phase_failure(exc, phases, timeout_s)
    return kind, at_target(kind, reason, target(spec))


def at_target(kind: ErrorKind, reason: Reason, where: str) -> Reason:
    """Where nothing was reached, the reason names the address it tried."""
    if kind in (ErrorKind.CONNECT_REFUSED, ErrorKind.CONNECT_TIMEOUT, ErrorKind.DNS):
        return Reason("at_target", {"inner": reason, "target": where})
    return reason


async def _resolve(
    host: str, port: int, phases: Phases, family: socket.AddressFamily
) -> list[AddrInfo]:
    """Addresses to try, in resolver order; an IP literal skips the resolver (and DNS timing)."""
    try:
        infos = socket.getaddrinfo(
            host, port, family, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
        )
    except socket.gaierror:
        with phases.timed(DNS):
            loop = asyncio.get_running_loop()
            infos = await loop.getaddrinfo(host, port, family=family, type=socket.SOCK_STREAM)
    seen: list[AddrInfo] = []
    for info in infos:
        if all(info[4] != other[4] for other in seen):
            seen.append(info)
    if not seen:
        raise ProbeError.because(ErrorKind.DNS, "dns.no_family", host=host)
    return seen


async def _connect_any(addresses: list[AddrInfo]) -> tuple[socket.socket, str]:
    """Happy eyeballs (RFC 8305): each address gets its attempt, the next one starting after a
    short delay, so a dead IPv6 path does not hide a working IPv4 one (or the other way)."""
    sock = await aiohappyeyeballs.start_connection(
        addresses, happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY_S
    )
    return sock, str(sock.getpeername()[0])
