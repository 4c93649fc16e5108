"""`dns` probe: resolve a name against a given server and compare the answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from monitor.config.fields import setting
from probes.base import ProbeContext, ProbeResult


@dataclass(frozen=True)
class DnsSpec:
    name: str = setting(doc="the name to resolve")
    record_type: Literal["A", "AAAA", "CNAME"] = setting("A", doc="record type")
    server: str | None = setting(None, doc="resolver IP address; default the system resolver")
    port: int = setting(53, minimum=1, maximum=65535, doc="resolver port")
    expect: tuple[str, ...] = setting((), doc="answers that must all be present")
    protocol: Literal["udp", "tcp"] = setting("udp", doc="transport to the resolver")


async def probe(spec: DnsSpec, ctx: ProbeContext) -> ProbeResult:
    raise NotImplementedError


def target(spec: DnsSpec) -> str:
    via = f" @{spec.server}:{spec.port}" if spec.server else ""
    return f"{spec.name} {spec.record_type}{via}"
