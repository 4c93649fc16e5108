"""Availability and latency over the trial: from the ledger when the app has been watched,
otherwise from a burst of probes now.

Ledger: the last `trial_days` of hourly rollups of every check of the app, summed as the monthly
report does (availability is probe-weighted; p50/p95 come from the merged latency histograms,
within about ±5%). Burst: `burst` runs of the `http` probe, `burst_interval_s` apart
(start to start), exact nearest-rank percentiles of the passing runs. Both count latency only
for runs that got an answer, as the rollups do: a refused connect says nothing about speed.

The burst does not verify the certificate: `cert_valid` judges it, and an untrusted certificate
should not also read as an outage.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

from monitor.core.config.model import AppConfig
from monitor.core.durations import took
from monitor.core.fields import format_duration
from monitor.core.i18n import error_label
from monitor.governance.evaluate.model import (
    FAIL,
    PASS,
    UNKNOWN,
    WARN,
    CheckOutcome,
    EvaluationOptions,
)
from monitor.governance.evaluate.texts import t
from monitor.ledger import LatencyHistogram, Ledger
from probes.base import ProbeResult
from probes.context import ProbeContext, ProbeResources
from probes.http import HttpSpec
from probes.registry import PROBE_KINDS, run_probe

AVAILABILITY_MIN_PCT: Final = 99.0  # DOMAIN.md: monthly availability < 99% is low-availability
P95_WARN_S: Final = 3.0  # users notice; common practice for a government web app
P95_FAIL_S: Final = 15.0  # DOMAIN.md: a probe slower than 15 s counts as failed
COVERAGE_MIN: Final = 0.9  # share of the trial's hours that must hold probe data
_HOUR_S: Final = 3600


@dataclass(frozen=True, slots=True)
class TrialFigures:
    runs: int
    failures: int
    p50_s: float | None
    p95_s: float | None
    source: str  # one line for people
    from_ledger: bool
    hours_with_data: int | None = None  # ledger only
    errors: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def availability_pct(self) -> float:
        return 100.0 * (self.runs - self.failures) / self.runs if self.runs else 0.0


async def burst(url: str, opts: EvaluationOptions, resources: ProbeResources) -> TrialFigures:
    spec = HttpSpec(url=url, tls_verify=False)
    ctx = ProbeContext(timeout_s=opts.timeout_s, resources=resources)
    loop = asyncio.get_running_loop()
    started = loop.time()
    results: list[ProbeResult] = []
    for n in range(opts.burst):
        # Start-to-start spacing: a slow answer does not push the rest of the burst back.
        pause = started + n * opts.burst_interval_s - loop.time()
        if pause > 0:
            await asyncio.sleep(pause)
        results.append(await run_probe(PROBE_KINDS["http"], spec, ctx))
    latencies = sorted(r.latency_s for r in results if r.ok)
    errors = Counter(error_label(opts.lang, r.error_kind) for r in results if not r.ok)
    source = t(opts.lang, "source.burst", runs=opts.burst,
               interval=format_duration(opts.burst_interval_s),
               timeout=format_duration(opts.timeout_s))
    return TrialFigures(
        runs=len(results), failures=sum(1 for r in results if not r.ok),
        p50_s=_nearest_rank(latencies, 0.5), p95_s=_nearest_rank(latencies, 0.95),
        source=source, from_ledger=False, errors=MappingProxyType(dict(errors)),
    )


def _nearest_rank(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


async def from_ledger(
    ledger: Ledger, app: AppConfig, start: float, end: float, opts: EvaluationOptions
) -> TrialFigures | None:
    """The app's figures over [start, end), or None when the ledger holds no run of it."""
    check_ids = [check.id for check in app.checks]
    # Checks dropped from the config during the trial still speak for the app's availability.
    check_ids += sorted(c for a, c in ledger.check_states() if a == app.id and c not in check_ids)
    runs = failures = 0
    histogram = LatencyHistogram()
    hours: set[int] = set()
    for check_id in check_ids:
        for rollup in await ledger.hourly(app.id, check_id, start, end):
            runs += rollup.runs
            failures += rollup.failures
            histogram.add(rollup.histogram)
            if rollup.runs:
                hours.add(rollup.hour_start)
    if runs == 0:
        return None
    zone = ZoneInfo(opts.timezone)
    source = t(opts.lang, "source.ledger", start=_local(start, zone), end=_local(end, zone),
               checks=len(check_ids))
    return TrialFigures(
        runs=runs, failures=failures, p50_s=histogram.quantile(0.5),
        p95_s=histogram.quantile(0.95), source=source, from_ledger=True,
        hours_with_data=len(hours),
    )


def _local(epoch: float, zone: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(epoch, zone).strftime("%Y-%m-%d %H:%M")


def availability_items(figures: TrialFigures, opts: EvaluationOptions) -> list[CheckOutcome]:
    lang = opts.lang
    pct = figures.availability_pct
    data: dict[str, object] = {"runs": figures.runs, "failures": figures.failures,
                               "availability_pct": round(pct, 3)}
    values = {"runs": figures.runs, "failures": figures.failures, "pct": f"{pct:.2f}",
              "min": f"{AVAILABILITY_MIN_PCT:g}"}
    if pct < AVAILABILITY_MIN_PCT:
        listed = "、".join(f"{k} ×{n}" for k, n in sorted(figures.errors.items()))
        errors = t(lang, "availability.errors", errors=listed) if listed else ""
        items = [CheckOutcome("availability", FAIL, t(lang, "availability.low", errors=errors,
                                                      **values), blocking=True, data=data)]
    else:
        items = [CheckOutcome("availability", PASS, t(lang, "availability.ok", **values),
                              blocking=True, data=data)]
    if figures.hours_with_data is not None:
        items.append(_coverage(figures.hours_with_data, opts))
    return items


def _coverage(hours_with_data: int, opts: EvaluationOptions) -> CheckOutcome:
    trial_hours = opts.trial_days * 24
    share = min(1.0, hours_with_data / trial_hours)
    values = {"days": opts.trial_days, "hours": hours_with_data, "pct": f"{100 * share:.0f}"}
    data = {"hours_with_data": hours_with_data, "trial_hours": trial_hours}
    if share < COVERAGE_MIN:
        return CheckOutcome("trial_coverage", WARN, t(opts.lang, "coverage.short", **values),
                            data=data)
    return CheckOutcome("trial_coverage", PASS, t(opts.lang, "coverage.ok", **values), data=data)


def performance_items(figures: TrialFigures, lang: str) -> list[CheckOutcome]:
    p50, p95 = figures.p50_s, figures.p95_s
    if p50 is None or p95 is None:
        return [CheckOutcome("latency_p95", UNKNOWN, t(lang, "latency.none"), blocking=True)]
    data = {"p50_ms": round(p50 * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "approximate": figures.from_ledger}
    values = {"p50": took(p50, lang), "p95": took(p95, lang)}
    suffix = t(lang, "latency.histogram") if figures.from_ledger else ""
    if p95 > P95_FAIL_S:
        detail = t(lang, "latency.slow", limit=format_duration(P95_FAIL_S), **values)
        return [CheckOutcome("latency_p95", FAIL, detail + suffix, blocking=True, data=data)]
    if p95 > P95_WARN_S:
        detail = t(lang, "latency.slow", limit=format_duration(P95_WARN_S), **values)
        return [CheckOutcome("latency_p95", WARN, detail + suffix, blocking=True, data=data)]
    detail = t(lang, "latency.ok", warn=format_duration(P95_WARN_S), **values)
    return [CheckOutcome("latency_p95", PASS, detail + suffix, blocking=True, data=data)]


def trial_window(now: float, trial_days: int) -> tuple[float, float]:
    """[start, end) in whole hours covering the last `trial_days` up to now: rollups are
    hourly, so the hours at both ends, partly inside the period, count whole."""
    start = math.floor((now - trial_days * 86400) / _HOUR_S) * _HOUR_S
    end = (math.floor(now / _HOUR_S) + 1) * _HOUR_S
    return start, end
