"""The single source of truth for probe kinds: config parsing, validation, the CLI and the docs
derive from `PROBE_KINDS`. A new kind is one module with a spec, `probe` and `target`, plus one
line here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import structlog

from probes import dns, flow, http, tcp, tls
from probes.base import ErrorKind, ProbeResult, Timings, failed
from probes.context import ProbeContext, SslKey
from probes.errors import diagnose

log = structlog.get_logger("probes")

# A probe that overruns its own timeout by this much is cut off by the registry.
DEADLINE_GRACE_S: Final = 0.5


@dataclass(frozen=True)
class ProbeKind:
    name: str
    spec_type: type[Any]
    probe: Callable[[Any, ProbeContext], Awaitable[ProbeResult]]
    target: Callable[[Any], str]  # a short human description of what is probed
    doc: str


def _kind(name: str, module: Any, spec_type: type[Any]) -> ProbeKind:
    doc = (module.__doc__ or "").strip().splitlines()[0]
    return ProbeKind(name, spec_type, module.probe, module.target, doc)


PROBE_KINDS: Final[Mapping[str, ProbeKind]] = {
    kind.name: kind
    for kind in (
        _kind("http", http, http.HttpSpec),
        _kind("tcp", tcp, tcp.TcpSpec),
        _kind("dns", dns, dns.DnsSpec),
        _kind("tls", tls, tls.TlsSpec),
        _kind("flow", flow, flow.FlowSpec),
    )
}


def ssl_keys(kind: str, spec: Any) -> set[SslKey]:
    """The SSL contexts (verify, CA file) a check of this kind may use, to build them early."""
    verify = bool(getattr(spec, "tls_verify", True))
    ca_file = getattr(spec, "ca_file", None)
    if kind == "tcp" and not getattr(spec, "tls", False):
        return set()
    if kind == "dns":
        return set()
    keys = {(verify, ca_file)}
    if kind == "tls":
        keys.add((False, None))  # the unverified second look after a failed verification
    return keys


async def run_probe(kind: ProbeKind, spec: Any, ctx: ProbeContext) -> ProbeResult:
    """Run one probe with a hard deadline; whatever happens, return a result."""
    started_at = ctx.clock.now()
    t0 = time.perf_counter()
    try:
        async with asyncio.timeout(ctx.timeout_s + DEADLINE_GRACE_S):
            return await kind.probe(spec, ctx)
    except Exception as exc:  # the last line of defence: a probe must never take a job down
        error_kind, reason = diagnose(exc)
        if error_kind is ErrorKind.INTERNAL:
            log.exception("probe_crashed", kind=kind.name)
        return failed(error_kind, reason, started_at, Timings(total_s=time.perf_counter() - t0))
