"""The security-baseline dimension (DOMAIN.md, 等保 2.0 context), item by item.

Order of work: the plain-HTTP redirect first (for an http:// URL it tells where HTTPS lives),
then the TLS handshakes, the headers of one HTTPS GET and the port connects, all at once.
The GET does not verify the certificate on purpose: the certificate is judged by `cert_valid`
alone, so one bad certificate does not also blank out every header item.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from yarl import URL

from monitor.core.configtext import ConfigValueError, text_of
from monitor.governance.evaluate.headers import judge_headers
from monitor.governance.evaluate.model import UNKNOWN, CheckOutcome, EvaluationOptions
from monitor.governance.evaluate.ports import ports_check
from monitor.governance.evaluate.texts import t
from monitor.governance.evaluate.transport import legacy_check, redirect_check, tls_checks
from probes.context import ProbeContext, ProbeResources
from probes.errors import explain
from probes.httpfetch import Request, Response, fetch_following
from probes.httptransport import PhaseTrace

HEADER_ITEMS = ("hsts", "x_frame_options", "x_content_type_options", "csp", "server_version",
                "x_powered_by")


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where each item looks, derived from the URL the operator gave."""

    url: str
    host: str  # the app's host: the ports are tried here
    http_url: str  # plain HTTP, which must redirect
    https_url: str | None  # None for an http:// URL until the redirect says where HTTPS is


def endpoints(url: str, http_port: int = 80) -> Endpoints:
    """Raises ConfigValueError (a ValueError) for anything but an absolute http(s) URL with a
    host."""
    target = _parse(url)
    host_name = target.raw_host or ""
    host = f"[{host_name}]" if ":" in host_name else host_name
    if target.scheme == "https":
        port = "" if http_port == 80 else f":{http_port}"
        return Endpoints(url, host_name, f"http://{host}{port}/", url)
    return Endpoints(url, host_name, url, None)


def _parse(url: str) -> URL:
    try:
        target = URL(url)
        host = target.raw_host
    except ValueError as exc:
        raise ConfigValueError("url.bad", url=url, problem=text_of(exc)) from None
    if target.scheme not in ("http", "https") or not host:
        raise ConfigValueError("url.not_http", url=url)
    return target


def https_fallback(url: str) -> str:
    """The same host over HTTPS on the default port: where users would try next. Only the
    host: the path and query may carry credentials (`?apikey=...`), which must not travel to
    another port, let alone over a connection the check did not name."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    return urlunsplit(("https", netloc, "/", "", ""))


async def assess_security(
    url: str, opts: EvaluationOptions, resources: ProbeResources
) -> tuple[str, list[CheckOutcome]]:
    """(the HTTPS URL examined, the items in report order)."""
    lang = opts.lang
    where = endpoints(url, opts.http_port)
    redirect, location = await redirect_check(where.http_url, resources, opts.timeout_s, lang)
    https_url = where.https_url or location or https_fallback(url)
    https = _parse(https_url)
    https_host, https_port = https.raw_host or "", https.port or 443
    ctx = ProbeContext(timeout_s=opts.timeout_s, resources=resources)
    (version, cert), legacy, header_items, ports = await asyncio.gather(
        tls_checks(https_host, https_port, opts.ca_file, ctx, lang),
        legacy_check(https_host, https_port, opts.timeout_s, lang),
        _header_items(https_url, opts, resources),
        ports_check(where.host, opts.ports, opts.port_timeout_s, resources, lang),
    )
    return https_url, [redirect, version, legacy, cert, *header_items, ports]


async def _header_items(
    https_url: str, opts: EvaluationOptions, resources: ProbeResources
) -> list[CheckOutcome]:
    try:
        response = await _get(https_url, opts, resources)
    except Exception as exc:  # an unreachable app is a finding of the TLS items, not a crash
        detail = t(opts.lang, "headers.unreachable", error=explain(exc, opts.lang))
        return [CheckOutcome(item, UNKNOWN, detail) for item in HEADER_ITEMS]
    return judge_headers(response.headers, opts.lang)


async def _get(url: str, opts: EvaluationOptions, resources: ProbeResources) -> Response:
    request = Request(
        "GET", url, {}, None, resources.ssl_context(verify=False), resources.max_body_bytes
    )
    session = resources.http.session("auto", reuse=False)
    async with asyncio.timeout(opts.timeout_s):
        response, _ = await fetch_following(session, request, PhaseTrace(), max_redirects=5)
    return response
