"""`tls` probe: certificate days left, chain validity, host name match, negotiated protocol.

The first handshake verifies as a client would. When it fails on the certificate, a second,
unverified handshake fetches the certificate anyway, so the result still carries the days left
and names, and the error kind follows a fixed precedence: expired, then host name, then trust.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import ssl
from dataclasses import dataclass
from typing import Final, Literal

from monitor.core.cafiles import check_ca_file
from monitor.core.configtext import keyed
from monitor.core.fields import setting
from monitor.core.hostnames import ascii_host, host_problem
from monitor.core.reasons import Reason
from probes.base import ErrorKind, ProbeResult, failed
from probes.certinfo import CertInfo, parse_der
from probes.context import ProbeContext
from probes.errors import Failure, diagnose, english
from probes.tcp import Phases, at_target, close_stream, open_stream, phase_failure

# Protocol names as ssl.SSLObject.version() spells them, oldest first.
_PROTOCOL_ORDER: Final = {"SSLv3": 0, "TLSv1": 1, "TLSv1.1": 2, "TLSv1.2": 3, "TLSv1.3": 4}


@dataclass(frozen=True)
class TlsSpec:
    host: str = setting(doc="host to connect to")
    port: int = setting(443, minimum=1, maximum=65535, doc="TLS port")
    server_name: str | None = setting(None, doc="SNI and the name to verify; default host")
    min_days_left: int = setting(14, minimum=0, doc="fail when fewer days remain before expiry")
    ca_file: str | None = setting(None, doc="PEM file of extra CAs to trust")
    min_version: Literal["TLSv1.2", "TLSv1.3"] = setting(
        "TLSv1.2", doc="oldest acceptable protocol: TLSv1.2 or TLSv1.3"
    )

    def __post_init__(self) -> None:
        for key, name in (("host", self.host), ("server_name", self.server_name)):
            problem = host_problem(name) if name is not None else None
            if problem is not None:
                raise keyed(key, problem)
        check_ca_file(self.ca_file)


@dataclass(frozen=True)
class _Handshake:
    """What one handshake revealed."""

    address: str
    version: str
    cipher: str
    cert: CertInfo | None  # None when the peer sent no certificate we could parse


async def probe(spec: TlsSpec, ctx: ProbeContext) -> ProbeResult:
    started_at = ctx.clock.now()
    deadline = asyncio.get_running_loop().time() + ctx.timeout_s
    phases = Phases()
    verified = ctx.resources.ssl_context_for_run(True, spec.ca_file)
    verify_error: Failure | None = None
    seen: _Handshake | None
    try:
        seen = await _handshake(spec, verified, phases, deadline)
    except ssl.SSLCertVerificationError as exc:
        verify_error = diagnose(exc)
        seen = await _unverified_look(spec, ctx, deadline)
    except Exception as exc:
        kind, reason = phase_failure(exc, phases, ctx.timeout_s)
        return failed(kind, at_target(kind, reason, target(spec)), started_at, phases.timings())
    now = ctx.clock.now()
    days_left = seen.cert.days_left(now) if seen and seen.cert else None
    details = _details(seen) if seen else {}
    verdict = _verdict(spec, seen, verify_error, now)
    if verdict is not None and verdict[0] is ErrorKind.CERT_EXPIRING:
        # Valid today, expiring soon: the app works; a warning, not an outage.
        return dataclasses.replace(
            failed(*verdict, started_at, phases.timings(), cert_days_left=days_left,
                   details=details),
            ok=True, warning=True,
        )
    if verdict is not None:
        kind, reason = verdict
        return failed(
            kind, reason, started_at, phases.timings(),
            cert_days_left=days_left, details=details,
        )
    assert seen is not None  # a verified handshake always gives one
    summary = Reason("ok.tls", {"version": seen.version}) if days_left is None else Reason(
        "ok.tls_days", {"version": seen.version, "days": f"{days_left:.1f}"})
    return ProbeResult(
        ok=True, started_at=started_at, timings=phases.timings(), message=english(summary),
        reason=summary, cert_days_left=days_left, details=details,
    )


def target(spec: TlsSpec) -> str:
    return f"{spec.server_name or spec.host}:{spec.port}"


async def _handshake(
    spec: TlsSpec, context: ssl.SSLContext, phases: Phases, deadline: float
) -> _Handshake:
    async with asyncio.timeout_at(deadline):
        stream = await open_stream(
            spec.host, spec.port, phases, ssl_context=context, server_name=spec.server_name
        )
    try:
        ssl_object = stream.writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True)
        return _Handshake(
            address=stream.address,
            version=str(ssl_object.version()),
            cipher=str(ssl_object.cipher()[0]),
            cert=_parse(der),
        )
    finally:
        # Outside the deadline on purpose: the verdict is known, the goodbye is bounded anyway.
        await close_stream(stream, graceful=True)


async def _unverified_look(spec: TlsSpec, ctx: ProbeContext, deadline: float) -> _Handshake | None:
    """The certificate the peer presents, without judging it; None if that fails too."""
    try:
        return await _handshake(spec, ctx.resources.ssl_context(False), Phases(), deadline)
    except Exception:  # the verification error already decides the result; this only adds detail
        return None


def _parse(der: bytes | None) -> CertInfo | None:
    if not der:
        return None
    try:
        return parse_der(der)
    except ValueError:
        return None


def _verdict(
    spec: TlsSpec,
    seen: _Handshake | None,
    verify_error: Failure | None,
    now: float,
) -> Failure | None:
    """The failure to report, in precedence order; None when the run passes."""
    cert = seen.cert if seen else None
    if verify_error is not None:
        # OpenSSL stops at the first problem it meets (trust before names before dates), so
        # the precedence is applied here from the certificate itself.
        name = ascii_host(spec.server_name or spec.host)
        if cert is not None and not cert.is_current(now):
            return ErrorKind.CERT_EXPIRED, _validity_reason(cert, now)
        if cert is not None and not cert.matches(name):
            names = ", ".join(cert.san) or cert.subject
            return ErrorKind.CERT_HOSTNAME, Reason("cert.names", {"names": names, "name": name})
        return verify_error
    assert seen is not None
    if _PROTOCOL_ORDER.get(seen.version, -1) < _PROTOCOL_ORDER[spec.min_version]:
        return ErrorKind.TLS, Reason("tls.old_version",
                                     {"version": seen.version, "minimum": spec.min_version})
    if cert is not None and cert.days_left(now) < spec.min_days_left:
        return ErrorKind.CERT_EXPIRING, Reason(
            "cert_expiring", {"days": f"{cert.days_left(now):.1f}", "min": spec.min_days_left}
        )
    return None


def _validity_reason(cert: CertInfo, now: float) -> Reason:
    if cert.not_before.timestamp() > now:
        return Reason("cert.not_before", {"not_before": _iso(cert.not_before)})
    return Reason("cert.expired_ago", {"days": f"{-cert.days_left(now):.1f}",
                                       "not_after": _iso(cert.not_after)})


def _details(seen: _Handshake) -> dict[str, str]:
    details = {"ip": seen.address, "tls_version": seen.version, "cipher": seen.cipher}
    if seen.cert is not None:
        details.update(
            issuer=seen.cert.issuer,
            subject=seen.cert.subject,
            not_after=_iso(seen.cert.not_after),
            san=",".join(seen.cert.san),
        )
    return details


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()
