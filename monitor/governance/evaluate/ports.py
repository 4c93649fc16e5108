"""High-risk ports on the app's host: remote administration and databases reachable from here.

A plain TCP connect per port through the project's `tcp` probe, all at once, each bounded by a
short timeout. Only "connected" counts as open: refused, timed out (filtered) and unreachable
all mean the port cannot be used from where the evaluation runs. When the app sits behind a
gateway, the gateway's host is what gets checked, which is what users can reach too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Final

from monitor.core.configtext import ConfigValueError
from monitor.core.fields import format_duration
from monitor.governance.evaluate.model import FAIL, PASS, UNKNOWN, CheckOutcome
from monitor.governance.evaluate.texts import said, t
from probes.base import ErrorKind, ProbeResult
from probes.context import ProbeContext, ProbeResources
from probes.registry import PROBE_KINDS, run_probe
from probes.tcp import TcpSpec

# DOMAIN.md's list plus the other database and cache ports that are routinely found exposed.
HIGH_RISK_PORTS: Final[Mapping[int, str]] = {
    22: "SSH", 23: "Telnet", 445: "SMB", 1433: "SQL Server", 3306: "MySQL", 3389: "RDP",
    5432: "PostgreSQL", 6379: "Redis", 9200: "Elasticsearch", 11211: "Memcached",
    27017: "MongoDB",
}
# Long enough for a SYN-ACK across the province's network, short enough that filtered ports
# (no answer at all) do not stretch the evaluation: they are probed concurrently anyway.
DEFAULT_PORT_TIMEOUT_S: Final = 1.5


async def ports_check(
    host: str,
    ports: tuple[int, ...],
    timeout_s: float,
    resources: ProbeResources,
    lang: str,
) -> CheckOutcome:
    """`high_risk_ports`: fail listing every open port; blocking (see scoring.py)."""
    if not ports:
        return CheckOutcome("high_risk_ports", UNKNOWN, t(lang, "ports.skipped"), blocking=True)
    ctx = ProbeContext(timeout_s=timeout_s, resources=resources)
    results = await asyncio.gather(*(_connect(host, port, ctx) for port in ports))
    unresolved = next((r for r in results if r.error_kind is ErrorKind.DNS), None)
    if unresolved is not None:
        return CheckOutcome("high_risk_ports", UNKNOWN,
                            t(lang, "ports.unresolved", host=host, error=said(unresolved, lang)),
                            blocking=True)
    open_ports = [port for port, result in zip(ports, results, strict=True) if result.ok]
    data = {"host": host, "checked": list(ports), "open": open_ports}
    if open_ports:
        listed = ", ".join(_label(port) for port in open_ports)
        return CheckOutcome("high_risk_ports", FAIL, t(lang, "ports.open", host=host,
                            ports=listed), blocking=True, data=data)
    return CheckOutcome(
        "high_risk_ports", PASS,
        t(lang, "ports.closed", host=host, count=len(ports), timeout=format_duration(timeout_s)),
        blocking=True, data=data,
    )


async def _connect(host: str, port: int, ctx: ProbeContext) -> ProbeResult:
    return await run_probe(PROBE_KINDS["tcp"], TcpSpec(host=host, port=port), ctx)


def _label(port: int) -> str:
    service = HIGH_RISK_PORTS.get(port)
    return f"{port} ({service})" if service else str(port)


def parse_ports(text: str) -> tuple[int, ...]:
    """"22,3306" -> (22, 3306); "" or "none" -> (); ConfigValueError (a ValueError) naming
    the bad entry."""
    if text.strip().lower() in ("", "none"):
        return ()
    ports: list[int] = []
    for part in text.split(","):
        entry = part.strip()
        if not entry.isdigit() or not 1 <= int(entry) <= 65535:
            raise ConfigValueError("port.bad", value=entry)
        if int(entry) not in ports:
            ports.append(int(entry))
    return tuple(ports)
