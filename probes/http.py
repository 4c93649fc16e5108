"""`http` probe: one HTTP(S) request, checked against `expect`, with per-phase timings."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from monitor.core.cafiles import check_ca_file
from monitor.core.fields import (
    ByteSize,
    HttpUrl,
    ProxyUrl,
    mask_url,
    proxy_address,
    setting,
)
from monitor.core.reasons import Reason
from probes.addresses import IpVersion
from probes.base import ProbeResult, failed
from probes.context import ProbeContext
from probes.errors import ProbeError, english
from probes.httpcheck import check_response, classify_failure
from probes.httpfetch import Request, Response, fetch_following
from probes.httptransport import PhaseTrace
from probes.specs_http import DEFAULT_EXPECT, NO_HEADERS, HttpExpect, proxy_details


@dataclass(frozen=True)
class HttpSpec:
    url: HttpUrl = setting(doc="the URL to request")
    method: str = setting("GET", doc="HTTP method")
    headers: Mapping[str, str] = setting(NO_HEADERS, doc="extra request headers")
    body: str | None = setting(None, doc="request body (sent as given)")
    expect: HttpExpect = setting(DEFAULT_EXPECT, doc="what the response must look like")
    follow_redirects: bool = setting(True, doc="follow 3xx redirects")
    max_redirects: int = setting(5, minimum=0, maximum=30, doc="more redirects than this fail")
    tls_verify: bool = setting(True, doc="verify the server certificate")
    ca_file: str | None = setting(None, doc="PEM file of extra CAs to trust (private CA)")
    max_body: ByteSize | None = setting(None, doc="bytes of body read at most (default 1MiB)")
    reuse_connection: bool = setting(
        False,
        doc="keep the connection between runs (default off: a probe must see connect failures)",
    )
    proxy: ProxyUrl | None = setting(
        None, doc='HTTP proxy http://host:port (CONNECT for https); "direct": none; '
        "default: defaults.proxy",
    )
    ip_version: IpVersion | None = setting(
        None, doc='"4" or "6" pins the address family; "auto" tries both (happy eyeballs); '
        "default: defaults.ip_version",
    )

    def __post_init__(self) -> None:
        check_ca_file(self.ca_file)


async def probe(spec: HttpSpec, ctx: ProbeContext) -> ProbeResult:
    """Request the URL (following redirects) and check the answer; never raises."""
    started_at = ctx.clock.now()
    t0 = time.perf_counter()
    trace = PhaseTrace()
    request = _request(spec, ctx)
    session = ctx.resources.http.session(request.ip_version, reuse=spec.reuse_connection)
    deadline = asyncio.timeout(ctx.timeout_s)
    try:
        async with deadline:
            response, redirects = await fetch_following(
                session, request, trace,
                max_redirects=spec.max_redirects, follow=spec.follow_redirects,
            )
    except Exception as exc:  # every failure becomes a result; see probes.errors
        error = trace.timeout_error(ctx.timeout_s) if deadline.expired() else exc
        kind, reason = classify_failure(error, "http")
        return failed(
            kind, reason, started_at, trace.timings(time.perf_counter() - t0),
            cert_days_left=trace.cert_days_left,
            details=MappingProxyType(trace.details() | proxy_details(request.proxy)),
        )
    return _result(
        spec, response=response, redirects=redirects, trace=trace, started_at=started_at,
        total_s=time.perf_counter() - t0, proxy=request.proxy,
    )


def _request(spec: HttpSpec, ctx: ProbeContext) -> Request:
    body = spec.body.encode() if spec.body is not None else None
    max_body = spec.max_body if spec.max_body is not None else ctx.resources.max_body_bytes
    return Request(
        spec.method.upper(), spec.url, spec.headers, body,
        ctx.resources.ssl_context_for_run(spec.tls_verify, spec.ca_file), max_body,
        proxy=proxy_address(spec.proxy), ip_version=spec.ip_version or "auto",
    )


def _result(
    spec: HttpSpec,
    *,
    response: Response,
    redirects: int,
    trace: PhaseTrace,
    started_at: float,
    total_s: float,
    proxy: str | None,
) -> ProbeResult:
    details = trace.details() | proxy_details(proxy)
    if redirects:
        details["redirects"] = str(redirects)
        details["final_url"] = mask_url(response.url)
    if response.truncated:
        details["body_truncated"] = "true"
    problem: ProbeError | None = check_response(spec.expect, response, total_s)
    reason = problem.reason if problem else Reason(
        "ok.http", {"status": response.status, "took_s": total_s})
    return ProbeResult(
        ok=problem is None,
        started_at=started_at,
        timings=trace.timings(total_s),
        error_kind=problem.kind if problem else None,
        message=english(reason),
        reason=reason,
        status_code=response.status,
        cert_days_left=trace.cert_days_left,
        details=MappingProxyType(details),
    )


def target(spec: HttpSpec) -> str:
    return f"{spec.method} {spec.url}"
