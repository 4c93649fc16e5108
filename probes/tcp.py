"""`tcp` probe: connect, optionally send a line and expect a banner."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config.fields import setting
from probes.base import ProbeContext, ProbeResult


@dataclass(frozen=True)
class TcpSpec:
    host: str = setting(doc="host name or IP address")
    port: int = setting(minimum=1, maximum=65535, doc="TCP port")
    send: str | None = setting(None, doc="a line to send after connecting (CRLF appended)")
    expect: str | None = setting(None, doc="text the banner / reply must contain")
    tls: bool = setting(False, doc="wrap the connection in TLS before send/expect")
    tls_verify: bool = setting(True, doc="verify the certificate when tls is on")


async def probe(spec: TcpSpec, ctx: ProbeContext) -> ProbeResult:
    raise NotImplementedError


def target(spec: TcpSpec) -> str:
    return f"{spec.host}:{spec.port}"
