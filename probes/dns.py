"""`dns` probe: resolve a name against a given server and compare the answers."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Literal

import dns.asyncbackend
import dns.asyncquery
import dns.asyncresolver
import dns.exception
import dns.inet
import dns.message
import dns.rcode
import dns.rdatatype
import dns.resolver

from monitor.core.configtext import ConfigValueError
from monitor.core.fields import setting
from monitor.core.reasons import Reason
from probes.base import ErrorKind, ProbeResult, Timings, failed
from probes.context import ProbeContext
from probes.errors import Failure, ProbeError, diagnose, english


@dataclass(frozen=True)
class DnsSpec:
    name: str = setting(doc="the name to resolve")
    record_type: Literal["A", "AAAA", "CNAME"] = setting("A", doc="record type")
    server: str | None = setting(None, doc="resolver IP address; default the system resolver")
    port: int = setting(53, minimum=1, maximum=65535, doc="resolver port")
    expect: tuple[str, ...] = setting((), doc="answers that must all be present")
    protocol: Literal["udp", "tcp"] = setting("udp", doc="transport to the resolver")

    def __post_init__(self) -> None:
        if self.server is not None:
            try:
                ipaddress.ip_address(self.server)
            except ValueError:
                raise ConfigValueError("dns.server_not_ip", server=self.server) from None


async def probe(spec: DnsSpec, ctx: ProbeContext) -> ProbeResult:
    started_at = ctx.clock.now()
    t0 = time.perf_counter()
    details = {"server": _server_text(spec)}
    try:
        async with asyncio.timeout(ctx.timeout_s):
            answers = await _lookup(spec, ctx.timeout_s)
    except Exception as exc:
        kind, reason = _diagnose(spec, exc, ctx.timeout_s)
        elapsed = time.perf_counter() - t0
        return failed(kind, reason, started_at, Timings(elapsed, dns_s=elapsed), details=details)
    elapsed = time.perf_counter() - t0
    timings = Timings(elapsed, dns_s=elapsed)
    details["answers"] = ",".join(answers)
    missing = [want for want in spec.expect if normalise(spec.record_type, want) not in answers]
    if missing:
        reason = Reason("dns.missing", {
            "name": spec.name, "type": spec.record_type, "missing": ", ".join(missing),
            "expected": ", ".join(spec.expect), "got": ", ".join(answers),
        })
        return failed(ErrorKind.CONTENT, reason, started_at, timings, details=details)
    summary = Reason("ok.dns", {"name": spec.name, "type": spec.record_type,
                                "answers": ", ".join(answers)})
    return ProbeResult(
        ok=True, started_at=started_at, timings=timings, message=english(summary),
        reason=summary, details=details,
    )


def target(spec: DnsSpec) -> str:
    via = f" @{spec.server}:{spec.port}" if spec.server else ""
    return f"{spec.name} {spec.record_type}{via}"


def normalise(record_type: str, value: str) -> str:
    """One spelling per answer: compressed IPv6, lower-case names without the trailing dot."""
    text = value.strip()
    if record_type in ("A", "AAAA"):
        try:
            return ipaddress.ip_address(text).compressed
        except ValueError:
            return text  # not an address: compared as written, and reported missing
    return text.rstrip(".").lower()


async def _lookup(spec: DnsSpec, timeout_s: float) -> list[str]:
    """Sorted, normalised answers of the requested type; ProbeError when there are none."""
    rdtype = dns.rdatatype.from_text(spec.record_type)
    if spec.server is None:
        response = await _ask_system(spec, rdtype, timeout_s)
    else:
        response = await _ask_server(spec, spec.server, rdtype, timeout_s)
    rcode = response.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        raise ProbeError.because(ErrorKind.DNS, "dns.nxdomain", name=spec.name)
    if rcode != dns.rcode.NOERROR:
        raise ProbeError.because(ErrorKind.DNS, "dns.rcode", name=spec.name,
                                 rcode=dns.rcode.to_text(rcode))
    answers = sorted(
        {
            normalise(spec.record_type, rdata.to_text())
            for rrset in response.answer
            if rrset.rdtype == rdtype
            for rdata in rrset
        }
    )
    if not answers:
        raise ProbeError.because(ErrorKind.DNS, "dns.empty", name=spec.name,
                                 type=spec.record_type)
    return answers


async def _ask_server(
    spec: DnsSpec, server: str, rdtype: dns.rdatatype.RdataType, timeout_s: float
) -> dns.message.Message:
    query = _make_query(spec.name, rdtype)
    if spec.protocol == "tcp":
        return await dns.asyncquery.tcp(query, server, timeout=timeout_s, port=spec.port)
    # A connected UDP socket: the ICMP "port unreachable" of a server where nothing listens
    # then arrives as ECONNREFUSED at once, as a stub resolver sees it, instead of the whole
    # timeout passing in silence.
    backend = dns.asyncbackend.get_default_backend()
    family = dns.inet.af_for_address(server)
    udp_sock = await backend.make_socket(  # type: ignore[no-untyped-call]  # dnspython: untyped
        family, socket.SOCK_DGRAM, 0, None, (server, spec.port)
    )
    async with udp_sock:
        # A truncated UDP answer is retried over TCP, as any stub resolver would.
        response, _used_tcp = await dns.asyncquery.udp_with_fallback(
            query, server, timeout=timeout_s, port=spec.port, udp_sock=udp_sock
        )
    return response


async def _ask_system(
    spec: DnsSpec, rdtype: dns.rdatatype.RdataType, timeout_s: float
) -> dns.message.Message:
    resolver = dns.asyncresolver.Resolver()  # reads /etc/resolv.conf: follows its changes
    try:
        answer = await resolver.resolve(
            spec.name, rdtype, tcp=spec.protocol == "tcp", lifetime=timeout_s,
            raise_on_no_answer=False, search=False,
        )
    except dns.resolver.NXDOMAIN as exc:
        raise ProbeError.because(ErrorKind.DNS, "dns.nxdomain", name=spec.name) from exc
    except dns.resolver.NoNameservers as exc:
        raise ProbeError.because(ErrorKind.DNS, "dns.no_server", name=spec.name) from exc
    except dns.resolver.NoResolverConfiguration as exc:
        raise ProbeError.because(ErrorKind.DNS, "dns.no_resolver") from exc
    if answer.response is None:  # pragma: no cover - resolve() always sets it
        raise ProbeError.because(ErrorKind.DNS, "dns.no_answer", name=spec.name)
    return answer.response


def _make_query(name: str, rdtype: dns.rdatatype.RdataType) -> dns.message.Message:
    try:
        return dns.message.make_query(name, rdtype)
    except dns.exception.DNSException as exc:
        raise ProbeError.because(ErrorKind.DNS, "dns.bad_name", name=name, detail=exc) from exc


def _diagnose(spec: DnsSpec, exc: Exception, timeout_s: float) -> Failure:
    server = _server_name(spec)
    if isinstance(exc, TimeoutError | dns.exception.Timeout):
        return ErrorKind.TIMEOUT, Reason("dns.silent", {"server": server, "limit_s": timeout_s})
    if isinstance(exc, ProbeError):
        return exc.kind, exc.reason
    if isinstance(exc, dns.exception.DNSException):
        # Anything else dnspython raises while reading a reply means it could not be parsed
        # or did not answer the question asked.
        return ErrorKind.PROTOCOL, Reason("dns.malformed", {"server": server, "detail": exc})
    kind, inner = diagnose(exc)
    return kind, Reason("at_target", {"inner": inner, "target": server})


def _server_name(spec: DnsSpec) -> str | Reason:
    """The server asked, as people read it (the system resolver has a name in the catalog)."""
    return Reason("dns.system_resolver") if spec.server is None else _server_text(spec)


def _server_text(spec: DnsSpec) -> str:
    if spec.server is None:
        return "system resolver"
    host = f"[{spec.server}]" if ":" in spec.server else spec.server
    return f"{host}:{spec.port}/{spec.protocol}"
