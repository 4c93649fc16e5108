"""Shared helpers of the ledger tests (imported by conftest.py, the tests and the benchmark)."""

from __future__ import annotations

from typing import Any

from probes.base import ErrorKind, ProbeResult, Timings
from tests.support.clocks import ManualClock

FakeClock = ManualClock  # the name the ledger tests know it by
WEEK_S = 7 * 86400.0



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
