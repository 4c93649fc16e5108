"""What every probe shares: the result type, error kinds, timings and the run context.

Every probe kind is `async def probe(spec, ctx) -> ProbeResult` and never raises for a failing
target: it returns a result with an `ErrorKind`. `probes.registry.run_probe` adds the last line
of defence (a hard deadline and a catch-all) so a buggy probe still cannot hang or crash a job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from monitor.core.i18n import EN
from monitor.core.reasons import Reason, render

EMPTY_DETAILS: Final[Mapping[str, str]] = MappingProxyType({})


class ErrorKind(StrEnum):
    """Why a run failed. Stable strings: they are stored, exported as labels and shown to people."""

    TIMEOUT = "timeout"                  # the whole run exceeded its timeout
    DNS = "dns"                          # name did not resolve (NXDOMAIN, no answer, resolver down)
    CONNECT_REFUSED = "connect_refused"  # RST on connect: nothing listens
    CONNECT_TIMEOUT = "connect_timeout"  # SYN unanswered within the timeout
    NETWORK = "network"                  # other socket errors: unreachable, reset mid-stream
    TLS = "tls"                          # handshake failed (protocol, not a certificate problem)
    CERT_INVALID = "cert_invalid"        # chain does not verify (self-signed, unknown CA)
    CERT_EXPIRED = "cert_expired"        # certificate outside its validity period
    CERT_HOSTNAME = "cert_hostname"      # certificate does not match the host name
    CERT_EXPIRING = "cert_expiring"      # valid, but fewer days left than min_days_left
    PROTOCOL = "protocol"                # the peer does not speak the expected protocol
    STATUS = "status"                    # HTTP status not in the expected list
    CONTENT = "content"                  # body / JSON / banner / DNS answer did not match
    SLOW = "slow"                        # answered correctly but slower than max_latency
    REDIRECTS = "redirects"              # too many redirects or a redirect loop
    CAPTURE = "capture"                  # a flow step could not capture a variable
    PROXY = "proxy"                      # the configured HTTP proxy could not be reached
    INTERNAL = "internal"                # a bug in the probe itself; logged with a traceback
    # The monitor could not tell (the run's outcome is `unknown`): this machine ran out of
    # descriptors or memory, its event loop stalled, it was shutting down, or it was cut off
    # from the network (the connectivity guard failed).
    MONITOR = "monitor"


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds spent in each phase of one run; None where the phase did not happen."""

    total_s: float
    dns_s: float | None = None
    connect_s: float | None = None
    tls_s: float | None = None
    first_byte_s: float | None = None  # from sending the request to the first response byte


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """The outcome of one run of one check. Frozen: it is shared by ledger, metrics and alerting."""

    ok: bool
    started_at: float  # wall-clock epoch seconds when the run started
    timings: Timings
    error_kind: ErrorKind | None = None
    message: str = ""  # one line for people: what failed, or a short summary when ok
    status_code: int | None = None  # HTTP status of the last response
    cert_days_left: float | None = None  # leaf certificate, where the run saw one
    step: str | None = None  # the flow step that failed (or the last one when ok)
    # Small extras for people and reports: tls_version, ip, redirects...
    details: Mapping[str, str] = field(default_factory=lambda: EMPTY_DETAILS)
    # The monitor could not tell (error kind MONITOR): neither up nor down, no data.
    unknown: bool = False
    # Up, but with a warning about the future (a certificate close to expiry).
    warning: bool = False
    # Why it failed (or warns), for people: rendered in their language by the catalog; the
    # `message` is its English rendering (or, where a probe has no reason code, free text).
    reason: Reason | None = None

    @property
    def latency_s(self) -> float:
        return self.timings.total_s

    @property
    def outcome(self) -> str:
        """up, down or unknown (CONTRACT §2: a run has one of three outcomes)."""
        if self.unknown:
            return "unknown"
        return "up" if self.ok else "down"


def failed(
    kind: ErrorKind,
    reason: Reason,
    started_at: float,
    timings: Timings,
    **extra: object,
) -> ProbeResult:
    """Shorthand for a failed result; its message is the reason in English."""
    return ProbeResult(
        ok=False, started_at=started_at, timings=timings, error_kind=kind,
        message=render(reason, EN), reason=reason,
        **extra,  # type: ignore[arg-type]  # keyword names are checked by the dataclass at runtime
    )
