"""`tls` probe: certificate days left, chain validity, host name match, negotiated protocol."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config.fields import setting
from probes.base import ProbeContext, ProbeResult


@dataclass(frozen=True)
class TlsSpec:
    host: str = setting(doc="host to connect to")
    port: int = setting(443, minimum=1, maximum=65535, doc="TLS port")
    server_name: str | None = setting(None, doc="SNI and the name to verify; default host")
    min_days_left: int = setting(14, minimum=0, doc="fail when fewer days remain before expiry")
    ca_file: str | None = setting(None, doc="PEM file of extra CAs to trust")
    min_version: str = setting("TLSv1.2", doc="oldest acceptable protocol: TLSv1.2 or TLSv1.3")


async def probe(spec: TlsSpec, ctx: ProbeContext) -> ProbeResult:
    raise NotImplementedError


def target(spec: TlsSpec) -> str:
    return f"{spec.server_name or spec.host}:{spec.port}"
