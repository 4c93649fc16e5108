"""What a check's raw results say around an incident: errors, and per-minute chart data.

The window is [first failure - EVIDENCE_MARGIN_S, resolved (or report time) + margin), so the
charts show the check healthy before and after. Raw results are kept for
service.raw_retention (7 days by default); an older incident has none, which the report says
(`IncidentReport.raw_available`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Final

from monitor.ledger.types import Ledger, StoredResult
from monitor.reports.incident.model import CheckEvidence, MinuteBucket
from monitor.reports.monthly.model import Count
from monitor.reports.period import to_ms
from probes.base import ErrorKind

# Ten minutes either side: two confirm/recover cycles of a 60 s check, enough to see the
# check healthy before and after.
EVIDENCE_MARGIN_S: Final = 600.0
# Raw results read per check: a day of 5 s runs; beyond it the evidence says it is truncated.
INCIDENT_RAW_LIMIT: Final = 20_000
MINUTE_S: Final = 60


async def check_evidence(
    ledger: Ledger, app_id: str, check_id: str, kind: str | None, *, start: float, end: float,
    name: str | None = None,
) -> CheckEvidence:
    results = await ledger.raw_results(app_id, check_id, start, end, INCIDENT_RAW_LIMIT)
    return summarise(check_id, kind, start, end, results,
                     truncated=len(results) >= INCIDENT_RAW_LIMIT, name=name)


def summarise(check_id: str, kind: str | None, start: float, end: float,
              results: Sequence[StoredResult], *, truncated: bool,
              name: str | None = None) -> CheckEvidence:
    """The evidence of one check from its raw results (oldest first)."""
    failures = [r for r in results if not r.ok]
    kinds = Counter(r.error_kind or "unknown" for r in failures)
    first = failures[0] if failures else None
    last = failures[-1] if failures else None
    return CheckEvidence(
        check_id=check_id, kind=kind or (results[0].kind if results else None), name=name,
        window_start=start, window_end=end, results=len(results), failures=len(failures),
        error_kinds=tuple(Count(k, n) for k, n in
                          sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
        first_error_at=first.ts if first else None, first_error=_error(first),
        last_error_at=last.ts if last else None, last_error=_error(last),
        truncated=truncated, minutes=minute_buckets(results),
    )  # fmt: skip


def _error(result: StoredResult | None) -> str | None:
    if result is None:
        return None
    return f"{result.error_kind}: {result.message}" if result.error_kind else result.message


def minute_buckets(results: Sequence[StoredResult]) -> tuple[MinuteBucket, ...]:
    """Runs, failures and latency per minute that had results, oldest first."""
    minutes: dict[int, list[StoredResult]] = {}
    for result in results:
        minutes.setdefault(int(result.ts // MINUTE_S) * MINUTE_S, []).append(result)
    buckets = []
    for minute in sorted(minutes):
        runs = minutes[minute]
        # The rollups' rule: only passing and slow runs measure the app's answer.
        measured = [r.latency_s for r in runs if r.ok or r.error_kind == ErrorKind.SLOW]
        buckets.append(MinuteBucket(
            at=float(minute), runs=len(runs), failures=sum(1 for r in runs if not r.ok),
            latency_mean_ms=to_ms(sum(measured) / len(measured)) if measured else None,
            latency_max_ms=to_ms(max(measured)) if measured else None,
        ))
    return tuple(buckets)
