"""`http` probe: one HTTP(S) request, checked against `expect`, with per-phase timings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from monitor.config.fields import ByteSize, HttpUrl, setting
from probes.base import ProbeContext, ProbeResult
from probes.specs_http import DEFAULT_EXPECT, NO_HEADERS, HttpExpect


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
        False, doc="keep the connection between runs (default off: a probe must see connect failures)"
    )


async def probe(spec: HttpSpec, ctx: ProbeContext) -> ProbeResult:
    raise NotImplementedError  # implemented in the HTTP client work


def target(spec: HttpSpec) -> str:
    return f"{spec.method} {spec.url}"
