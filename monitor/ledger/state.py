"""How one result moves a check's current state forward (pure, shared by every ledger)."""

from __future__ import annotations

import dataclasses

from monitor.ledger.codec import cap_message, error_kind_text
from monitor.ledger.types import CheckState
from probes.base import ProbeResult


def advance(
    prev: CheckState | None, app_id: str, check_id: str, kind: str, result: ProbeResult
) -> CheckState:
    """The state after `result`, given the state before it (None for a check never seen).

    Results are applied in the order they are recorded: one job per check runs at a time, so
    that is the order they ran in. An `unknown` run says nothing about the app: it marks the
    state as unknown and shows its reason, but leaves the counters and last known verdict.
    """
    if result.unknown:
        return _unknown(prev, app_id, check_id, kind, result)
    ok = result.ok
    cert_days_left: float | None
    changed_at: float | None
    if prev is None:
        failures, passes, runs, failures_total = 0, 0, 0, 0
        changed_at, cert_days_left = result.started_at, result.cert_days_left
    else:
        failures, passes = prev.consecutive_failures, prev.consecutive_passes
        runs, failures_total = prev.runs_total, prev.failures_total
        changed_at = result.started_at if prev.last_ok != ok else prev.last_change_at
        cert_days_left = (
            prev.cert_days_left if result.cert_days_left is None else result.cert_days_left
        )
    return CheckState(
        app_id=app_id,
        check_id=check_id,
        kind=kind,
        last_ok=ok,
        last_run_at=result.started_at,
        last_latency_s=result.latency_s,
        last_error_kind=error_kind_text(result),
        last_message=cap_message(result.message),
        last_status_code=result.status_code,
        cert_days_left=cert_days_left,
        consecutive_failures=0 if ok else failures + 1,
        consecutive_passes=passes + 1 if ok else 0,
        last_change_at=changed_at,
        runs_total=runs + 1,
        failures_total=failures_total + (0 if ok else 1),
    )


def _unknown(
    prev: CheckState | None, app_id: str, check_id: str, kind: str, result: ProbeResult
) -> CheckState:
    base = prev or CheckState(
        app_id=app_id, check_id=check_id, kind=kind, last_ok=None, last_run_at=None,
        last_latency_s=None, last_error_kind=None, last_message="", last_status_code=None,
        cert_days_left=None, consecutive_failures=0, consecutive_passes=0,
        last_change_at=None, runs_total=0, failures_total=0,
    )
    return dataclasses.replace(
        base, kind=kind, last_unknown=True, last_run_at=result.started_at,
        last_error_kind=error_kind_text(result), last_message=cap_message(result.message),
    )
