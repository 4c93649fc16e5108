"""What an evaluation produces: checks, dimensions, the verdict, and the traffic interface."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

Status = Literal["pass", "warn", "fail", "unknown"]
Verdict = Literal["pass", "conditional", "fail"]

PASS: Final = "pass"  # noqa: S105  (a status, not a password)
WARN: Final = "warn"
FAIL: Final = "fail"
UNKNOWN: Final = "unknown"

SECURITY: Final = "security"
AVAILABILITY: Final = "availability"
PERFORMANCE: Final = "performance"
TRAFFIC: Final = "traffic"
DIMENSIONS: Final = (SECURITY, AVAILABILITY, PERFORMANCE, TRAFFIC)

_NO_DATA: Final[Mapping[str, object]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """One judged item. `detail` is already in the evaluation's language."""

    id: str
    status: Status
    detail: str
    blocking: bool = False  # a fail here fails the whole evaluation (see scoring.py)
    data: Mapping[str, object] = field(default_factory=lambda: _NO_DATA)  # figures behind detail


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str  # one of DIMENSIONS
    checks: tuple[CheckOutcome, ...]
    score: int | None  # 0-100; None when nothing in it could be judged
    status: Status
    source: str = ""  # where the figures came from, one line for people


@dataclass(frozen=True, slots=True)
class Evaluation:
    target: str
    evaluated_at: str  # ISO 8601 with offset
    lang: str
    verdict: Verdict
    score: int | None
    dimensions: tuple[Dimension, ...]
    reasons: tuple[str, ...]  # every warn and fail, one line each
    notes: tuple[str, ...]  # what could not be judged, and why
    app_id: str | None = None
    app_name: str | None = None
    https_url: str | None = None  # where the TLS and header items looked


@dataclass(frozen=True, slots=True)
class TrafficFigures:
    """Visitors seen over [start, end) by whatever source knows them (gateway, logs, pushes)."""

    unique_visitors: int | None
    visits: int | None = None
    source: str = ""  # e.g. "gateway access log"


TrafficSource = Callable[[str | None, float, float], Awaitable[TrafficFigures | None]]
"""`await source(app_id, start, end)`: the figures, or None when the source has none.

The traffic store is a later piece; the CLI passes no source and the dimension says unknown.
"""


@dataclass(frozen=True, slots=True)
class EvaluationOptions:
    """How to evaluate; the CLI fills it from its options, tests build it directly."""

    lang: str = "zh-CN"
    timezone: str = "Asia/Shanghai"  # of evaluated_at and the dates people read
    ca_file: str | None = None  # extra CA to trust (a private or test CA)
    http_port: int = 80  # where plain HTTP is tried for the redirect
    ports: tuple[int, ...] = ()  # high-risk ports to try; the CLI defaults to ports.py's list
    port_timeout_s: float = 1.5
    timeout_s: float = 15.0  # one request; DOMAIN.md: slower than 15 s counts as failed
    burst: int = 20
    burst_interval_s: float = 0.5
    trial_days: int = 14
