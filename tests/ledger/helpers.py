"""Shared helpers of the ledger tests (imported by conftest.py, the tests and the benchmark)."""

from __future__ import annotations

from typing import Any

from probes.base import Clock, ErrorKind, ProbeResult, Timings

# 2025-11-24T16:00:00Z, an exact UTC hour, so tests can place results around hour boundaries.
T0 = 1_764_000_000.0
WEEK_S = 7 * 86400.0


class FakeClock(Clock):
    def __init__(self, now: float = T0) -> None:
        self.wall = now
        self.mono = 1000.0

    def now(self) -> float:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


def make_result(
    ts: float,
    ok: bool = True,
    latency_s: float = 0.05,
    error_kind: ErrorKind | None = None,
    **extra: Any,
) -> ProbeResult:
    if not ok and error_kind is None:
        error_kind = ErrorKind.TIMEOUT
    timings = extra.pop("timings", None) or Timings(total_s=latency_s)
    return ProbeResult(
        ok=ok, started_at=ts, timings=timings, error_kind=error_kind,
        message=extra.pop("message", "ok" if ok else "failed"), **extra,
    )  # fmt: skip
