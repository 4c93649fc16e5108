"""Security items below HTTP headers: the HTTP → HTTPS redirect, TLS versions, the certificate.

The negotiated version and the certificate come from the project's `tls` probe (one verified
handshake, and an unverified look when verification fails, so an expired certificate still
shows its dates). Old versions are tried with handshakes pinned to TLS 1.0 and 1.1.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import warnings
from typing import Final

from monitor.core.reasons import render
from monitor.governance.evaluate.model import FAIL, PASS, UNKNOWN, WARN, CheckOutcome, Status
from monitor.governance.evaluate.texts import said, t
from probes.base import ErrorKind
from probes.context import ProbeContext, ProbeResources
from probes.errors import ProbeError, classify, diagnose
from probes.httpfetch import Request, fetch, redirect_target
from probes.httptransport import PhaseTrace
from probes.registry import PROBE_KINDS, run_probe
from probes.tls import TlsSpec

# A permanent or temporary redirect that keeps the method; 303 works for GET but is odd here.
REDIRECT_STATUSES: Final = frozenset({301, 302, 307, 308})
MODERN_TLS: Final = frozenset({"TLSv1.2", "TLSv1.3"})
CERT_MIN_DAYS: Final = 30  # DOMAIN.md: at least 30 days left at listing
# Failures that mean "nothing listens for plain HTTP" rather than "HTTP answers wrongly".
_UNREACHABLE: Final = frozenset(
    {ErrorKind.CONNECT_REFUSED, ErrorKind.CONNECT_TIMEOUT, ErrorKind.DNS}
)
# OpenSSL reasons raised before a byte is sent: this machine cannot offer the version at all.
_LOCAL_REASONS: Final = frozenset({"NO_PROTOCOLS_AVAILABLE", "NO_CIPHERS_AVAILABLE"})


async def redirect_check(
    http_url: str, resources: ProbeResources, timeout_s: float, lang: str
) -> tuple[CheckOutcome, str | None]:
    """The `https_redirect` item and the https:// location it points to (None if none)."""
    request = Request(
        "GET", http_url, {}, None, resources.ssl_context(verify=False), resources.max_body_bytes
    )
    trace = PhaseTrace()
    deadline = asyncio.timeout(timeout_s)
    try:
        async with deadline:
            response = await fetch(resources.http.session("auto", reuse=False), request, trace)
    except Exception as exc:  # every failure is a finding, never a crash of the evaluation
        kind, reason = diagnose(trace.timeout_error(timeout_s) if deadline.expired() else exc)
        message = render(reason, lang)
        if kind in _UNREACHABLE:
            return _item(WARN, "redirect.closed", lang, None, url=http_url, error=message), None
        return _item(FAIL, "redirect.error", lang, None, url=http_url, error=message), None
    status = response.status
    location = response.headers.get("location")
    if not 300 <= status < 400 or not location:
        return _item(FAIL, "redirect.none", lang, None, url=http_url, status=status), None
    try:
        absolute = redirect_target(http_url, location)
    except ProbeError as exc:
        return _item(FAIL, "redirect.error", lang, None, url=http_url,
                     error=render(exc.reason, lang)), None
    data = {"status": status, "location": absolute}
    if not absolute.lower().startswith("https://"):
        return _item(FAIL, "redirect.not_https", lang, data, url=http_url, status=status,
                     location=absolute), None
    if status not in REDIRECT_STATUSES:
        return _item(WARN, "redirect.odd_status", lang, data, url=http_url,
                     status=status), absolute
    return _item(PASS, "redirect.ok", lang, data, url=http_url, status=status,
                 location=absolute), absolute


def _item(
    outcome: Status, key: str, lang: str, data: dict[str, object] | None = None, /,
    **values: object,
) -> CheckOutcome:
    # Positional-only: "status" is also a placeholder of the messages.
    return CheckOutcome("https_redirect", outcome, t(lang, key, **values), blocking=True,
                        data=data or {})


async def tls_checks(
    host: str, port: int, ca_file: str | None, ctx: ProbeContext, lang: str
) -> tuple[CheckOutcome, CheckOutcome]:
    """The `tls_version` and `cert_valid` items, from one run of the `tls` probe."""
    spec = TlsSpec(host=host, port=port, ca_file=ca_file, min_days_left=0)
    result = await run_probe(PROBE_KINDS["tls"], spec, ctx)
    version = result.details.get("tls_version")
    if version is None:  # no handshake at all: the port is closed or does not speak TLS
        detail = t(lang, "https.unreachable", error=said(result, lang))
        return (CheckOutcome("tls_version", FAIL, detail, blocking=True),
                CheckOutcome("cert_valid", FAIL, detail, blocking=True))
    if version in MODERN_TLS:
        version_item = CheckOutcome("tls_version", PASS, t(lang, "tls.ok", version=version),
                                    blocking=True, data={"version": version})
    else:
        version_item = CheckOutcome("tls_version", FAIL, t(lang, "tls.old", version=version),
                                    blocking=True, data={"version": version})
    return version_item, _cert_item(result.error_kind, said(result, lang), result.cert_days_left,
                                    dict(result.details), lang)


def _cert_item(
    kind: ErrorKind | None, message: str, days: float | None, details: dict[str, str], lang: str
) -> CheckOutcome:
    problems = {ErrorKind.CERT_EXPIRED: "cert.expired", ErrorKind.CERT_HOSTNAME: "cert.hostname",
                ErrorKind.CERT_INVALID: "cert.untrusted"}
    data: dict[str, object] = {"not_after": details.get("not_after"),
                               "issuer": details.get("issuer")}
    if days is not None:
        data["days_left"] = round(days, 1)
    if kind in problems:
        return CheckOutcome("cert_valid", FAIL, t(lang, problems[kind], error=message),
                            blocking=True, data=data)
    if days is None:  # verified, yet OpenSSL gave no dates: cannot judge the time left
        return CheckOutcome("cert_valid", UNKNOWN, message, blocking=True, data=data)
    values = {"days": f"{days:.0f}", "not_after": details.get("not_after", "?"),
              "issuer": details.get("issuer", "?"), "min": CERT_MIN_DAYS}
    if days < CERT_MIN_DAYS:
        return CheckOutcome("cert_valid", WARN, t(lang, "cert.expiring", **values),
                            blocking=True, data=data)
    return CheckOutcome("cert_valid", PASS, t(lang, "cert.ok", **values), blocking=True,
                        data=data)


async def legacy_check(host: str, port: int, timeout_s: float, lang: str) -> CheckOutcome:
    """`tls_legacy`: offer only TLS 1.0, then only 1.1; a server that completes either fails."""
    names = ("TLSv1", "TLSv1.1")
    answers = await asyncio.gather(
        *(_accepts(host, port, name, timeout_s) for name in names)
    )
    by_answer: dict[str, list[str]] = {}
    for name, answer in zip(names, answers, strict=True):
        by_answer.setdefault(answer[0], []).append(name)
    data = {name: answer[0] for name, answer in zip(names, answers, strict=True)}
    if "accepted" in by_answer:
        versions = ", ".join(by_answer["accepted"])
        return CheckOutcome("tls_legacy", FAIL, t(lang, "legacy.accepted", versions=versions),
                            blocking=True, data=data)
    if "unreachable" in by_answer:
        error = next(a[1] for a in answers if a[0] == "unreachable")
        return CheckOutcome("tls_legacy", UNKNOWN, t(lang, "https.unreachable", error=error),
                            blocking=True, data=data)
    if "untested" in by_answer:
        versions = ", ".join(by_answer["untested"])
        return CheckOutcome("tls_legacy", UNKNOWN, t(lang, "legacy.untested", versions=versions),
                            blocking=True, data=data)
    return CheckOutcome("tls_legacy", PASS, t(lang, "legacy.refused", versions=", ".join(names)),
                        blocking=True, data=data)


async def _accepts(host: str, port: int, name: str, timeout_s: float) -> tuple[str, str]:
    """("accepted" | "refused" | "untested" | "unreachable", message) for one pinned version."""
    try:
        context = _pinned_context(name)
    except (ValueError, ssl.SSLError) as exc:
        return "untested", str(exc)
    try:
        async with asyncio.timeout(timeout_s):
            _, writer = await asyncio.open_connection(
                host, port, ssl=context, server_hostname=host, ssl_handshake_timeout=timeout_s
            )
    except ssl.SSLError as exc:
        return ("untested" if exc.reason in _LOCAL_REASONS else "refused"), str(exc)
    except (ConnectionRefusedError, socket.gaierror) as exc:
        return "unreachable", classify(exc)[1]
    except (OSError, TimeoutError, EOFError) as exc:
        # Servers that do not speak the version reset, close or stall the handshake.
        return "refused", classify(exc)[1]
    writer.transport.abort()  # the handshake was the question; no goodbye needed
    return "accepted", name


def _pinned_context(name: str) -> ssl.SSLContext:
    version = {"TLSv1": ssl.TLSVersion.TLSv1, "TLSv1.1": ssl.TLSVersion.TLSv1_1}[name]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the question is the protocol, not the certificate
    # Security level 0 re-enables the SHA-1 suites old versions need; without it OpenSSL 3
    # refuses to even offer them and every server would look like it rejects TLS 1.0.
    context.set_ciphers("ALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # offering them is the point
        context.minimum_version = version
        context.maximum_version = version
    return context
