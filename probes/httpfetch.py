"""One HTTP exchange through aiohttp, and a chain of them following redirects as a browser does.

The body is decompressed by aiohttp whenever the server says it is encoded (gzip, deflate, br),
asked for or not; reading stops at `max_body` bytes of decoded body, and the response says so.
Redirects are followed here rather than by aiohttp, so a loop is named and each hop timed. A
`Location` of raw UTF-8 bytes is read as UTF-8 and percent-encoded, as browsers do.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from probes.addresses import IpVersion
from probes.base import ErrorKind
from probes.certinfo import parse_der
from probes.errors import ProbeError
from probes.httptext import decode_body
from probes.httptransport import (
    MAX_HEADER_BYTES,
    PhaseTrace,
    ProbeResponse,
    tracing,
    untrace,
)

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
_READ_CHUNK: Final = 64 * 1024
_NO_BODY_STATUSES: Final = frozenset({204, 304})
_SECONDS_PER_DAY: Final = 86400.0


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None
    ssl_context: ssl.SSLContext  # used for https, also when a redirect leads there
    max_body: int
    proxy: str | None = None  # http://[user:password@]host:port
    ip_version: IpVersion = "auto"


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    reason: str
    headers: CIMultiDictProxy[str]
    body: bytes  # decoded from its Content-Encoding, at most max_body bytes
    truncated: bool  # the body went on past max_body

    def text(self) -> str:
        """The body as a browser would show it (see probes.httptext)."""
        return decode_body(self.body, self.headers.get("Content-Type"))


async def fetch(session: aiohttp.ClientSession, request: Request, trace: PhaseTrace) -> Response:
    """One request and its whole (capped) response; errors are aiohttp's or ProbeError."""
    url = _parsed(request.url)
    trace.reset(tls=url.scheme == "https")
    token = tracing(trace)
    try:
        async with session.request(
            request.method, url,
            headers=request.headers,
            data=request.body,
            allow_redirects=False,
            ssl=request.ssl_context,
            proxy=request.proxy,
            trace_request_ctx=trace,
        ) as response:
            _check_head_size(response)
            _note_connection(response, trace, proxied=request.proxy is not None)
            body, truncated = await _read_body(response, request)
            if truncated:
                response.close()  # the rest is never read: the connection cannot be reused
    finally:
        untrace(token)
    return Response(
        request.url, response.status, response.reason or "", response.headers, body, truncated
    )


async def fetch_following(
    session: aiohttp.ClientSession,
    request: Request,
    trace: PhaseTrace,
    *,
    max_redirects: int,
    follow: bool = True,
) -> tuple[Response, int]:
    """The final response and how many redirects led to it."""
    chain = [request.url]
    while True:
        response = await fetch(session, request, trace)
        location = response.headers.get("Location")
        if not follow or response.status not in REDIRECT_STATUSES or not location:
            return response, len(chain) - 1
        next_url = redirect_target(request.url, location)
        if next_url in chain:
            loop = " → ".join([*chain[chain.index(next_url) :], next_url])
            raise ProbeError.because(ErrorKind.REDIRECTS, "redirect_loop", chain=loop)
        if len(chain) > max_redirects:
            raise ProbeError.because(ErrorKind.REDIRECTS, "redirects", max=max_redirects)
        chain.append(next_url)
        request = _redirected(request, response.status, next_url)


@lru_cache(maxsize=4096)  # checks request the same URLs run after run; URL is immutable
def _parsed(url: str) -> URL:
    return URL(url)


def redirect_target(base: str, location: str) -> str:
    """The absolute URL a Location header points to, without its fragment."""
    if any("\udc80" <= ch <= "\udcff" for ch in location):
        # Raw bytes that are not UTF-8 (aiohttp keeps them as surrogate escapes): a browser
        # percent-encodes the bytes as they came.
        raw = location.encode("utf-8", "surrogateescape")
        location = "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)
    try:
        target = URL(base).join(URL(location))
    except ValueError as exc:
        raise ProbeError.because(ErrorKind.PROTOCOL, "redirect.bad_url", location=location,
                                 detail=exc) from None
    if target.scheme not in ("http", "https"):
        raise ProbeError.because(ErrorKind.PROTOCOL, "redirect.not_http", location=location)
    return str(target.with_fragment(None))


def _redirected(request: Request, status: int, url: str) -> Request:
    # As browsers do: 303 always, and 301/302 after a POST, turn into a GET without a body.
    if status == 303 or (status in (301, 302) and request.method == "POST"):
        headers = {
            name: value for name, value in request.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        method = "HEAD" if request.method == "HEAD" else "GET"
        return replace(request, url=url, method=method, body=None, headers=headers)
    return replace(request, url=url)


def _check_head_size(response: aiohttp.ClientResponse) -> None:
    size = sum(len(name) + len(value) + 4 for name, value in response.raw_headers)
    if size > MAX_HEADER_BYTES:
        raise ProbeError.because(ErrorKind.PROTOCOL, "headers_too_big", kib=size // 1024,
                                 limit_kib=MAX_HEADER_BYTES // 1024)


def _note_connection(response: aiohttp.ClientResponse, trace: PhaseTrace, *, proxied: bool) -> None:
    """The address answered from, the TLS version and the certificate's days left."""
    if not isinstance(response, ProbeResponse):
        return
    trace.via_proxy = proxied
    if not proxied:  # through a proxy the peer is the proxy, not the app
        trace.ip = response.peer
    trace.tls_version = response.tls_version
    not_after = _not_after(response.cert_der) if response.cert_der else None
    if not_after is not None:
        trace.cert_days_left = (not_after - time.time()) / _SECONDS_PER_DAY


@lru_cache(maxsize=1024)  # the same few certificates are seen run after run
def _not_after(der: bytes) -> float | None:
    try:
        return parse_der(der).not_after.timestamp()
    except ValueError:
        return None


async def _read_body(response: aiohttp.ClientResponse, request: Request) -> tuple[bytes, bool]:
    """(decoded body up to max_body, whether more followed)."""
    if request.method == "HEAD" or response.status in _NO_BODY_STATUSES:
        return b"", False
    limit = request.max_body
    body = bytearray()
    while len(body) <= limit:
        chunk = await response.content.read(min(_READ_CHUNK, limit + 1 - len(body)))
        if not chunk:
            return bytes(body), False
        body += chunk
    return bytes(body[:limit]), True
