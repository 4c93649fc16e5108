"""Page views and visitors from a Prometheus text exposition: parsing and counter arithmetic.

A metric declared `# TYPE ... gauge` is taken as TODAY's total (replaces today's figure); any
other type (counter, untyped) as a counter, whose increase between two scrapes is added to the
day of the later scrape. Pure functions: the poller fetches and stores.

Counter rules, per series (label set), as Prometheus' own increase() reasons:
- the first scrape of an app (or after its url, metrics or labels changed) only sets a baseline;
- a value lower than the previous one means the counter restarted: the increase is the value;
- a series first seen after the baseline started since the last scrape: the increase is its
  value (client libraries create labelled series lazily, on their first request);
- a series missing from one scrape keeps its last value for a day, so its return is not
  counted twice;
- an increase spanning midnight counts for the new day (at most one interval's worth); after a
  gap longer than MAX_CARRY_S across a day boundary (the service was down overnight) the
  increase cannot be placed on a day, and the scrape is a new baseline instead.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal
from zoneinfo import ZoneInfo

from prometheus_client.parser import text_string_to_metric_families

from monitor.core.config.traffic import PrometheusTraffic
from monitor.governance.traffic.days import day_of
from monitor.governance.traffic.types import PROMETHEUS, CountsUpdate, ScrapeState

MAX_CARRY_S: Final = 3600.0  # see the module doc: longer gaps across midnight re-baseline
FORGET_S: Final = 86400.0  # a series unseen this long is dropped from the baseline

Kind = Literal["counter", "gauge"]


@dataclass(frozen=True, slots=True)
class Reading:
    """One configured metric in one scrape: its kind and each matching series' value."""

    kind: Kind
    series: Mapping[str, float]  # series key (metric + labels) -> value

    @property
    def total(self) -> float:
        return math.fsum(self.series.values())


class ExpositionError(ValueError):
    """The answer is not a usable exposition, or lacks the configured metric."""


def read_metric(text: str, metric: str, labels: Mapping[str, str]) -> Reading:
    """The series of `metric` (its name, or the name without `_total`) whose labels include
    `labels`; ExpositionError when the text does not parse or no series matches."""
    wanted = {metric, f"{metric}_total"}
    kind: Kind | None = None
    series: dict[str, float] = {}
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name not in wanted:
                    continue
                if kind is None:
                    kind = "gauge" if family.type == "gauge" else "counter"
                if all(sample.labels.get(k) == v for k, v in labels.items()):
                    series[series_key(sample.name, sample.labels)] = float(sample.value)
    except ValueError as exc:  # the parser's word for any malformed line
        raise ExpositionError(f"not a Prometheus text exposition: {exc}") from None
    if kind is None:
        raise ExpositionError(f"metric {metric!r} not found in the exposition")
    if not series:
        raise ExpositionError(f"no series of {metric!r} has labels {dict(labels)}")
    bad = [key for key, value in series.items() if not math.isfinite(value) or value < 0]
    if bad:
        raise ExpositionError(f"series {bad[0]} is negative or not a number")
    return Reading(kind, series)


def series_key(name: str, labels: Mapping[str, str]) -> str:
    inner = ",".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}"


def fingerprint(spec: PrometheusTraffic) -> str:
    """Changes when what is counted changes (url, metrics, labels): then a new baseline."""
    parts = [spec.url, spec.pv_metric, spec.uv_metric or "", sorted(spec.labels.items())]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ScrapeOutcome:
    update: CountsUpdate | None  # None: nothing known yet about today (a first scrape)
    state: ScrapeState  # the new baseline
    baseline_only: bool  # counters were (re)baselined, see the module doc


def apply_scrape(
    app_id: str,
    previous: ScrapeState | None,
    fp: str,
    pv: Reading,
    uv: Reading | None,
    *,
    now: float,
    tz: ZoneInfo,
) -> ScrapeOutcome:
    """What one scrape adds (or sets) for today, and the baseline to keep."""
    today = day_of(now, tz)
    usable = previous is not None and previous.fingerprint == fp and (
        day_of(previous.at, tz) == today or now - previous.at <= MAX_CARRY_S)
    before = previous.series if previous is not None and previous.fingerprint == fp else {}
    pv_value = _figure("pv", pv, before, usable)
    uv_value = 0 if uv is None else _figure("uv", uv, before, usable)
    counters = [r for r in (pv, uv) if r is not None and r.kind == "counter"]
    state = ScrapeState(fp, now, _merge(before, pv, uv, now))
    if pv_value is None and (uv is None or uv_value is None):
        return ScrapeOutcome(None, state, baseline_only=bool(counters))
    update = CountsUpdate(
        app_id, today, PROMETHEUS, pv_value or 0, uv_value or 0,
        add_pv=pv.kind == "counter", add_uv=uv is None or uv.kind == "counter",
    )
    return ScrapeOutcome(update, state, baseline_only=bool(counters) and not usable)


def _figure(prefix: str, reading: Reading, before: Mapping[str, tuple[float, float]],
            usable: bool) -> int | None:
    """Today's total (gauge) or the increase since the baseline (counter); None for a counter
    without a usable baseline."""
    if reading.kind == "gauge":
        return round(reading.total)
    if not usable:
        return None
    increase = 0.0
    for key, value in reading.series.items():
        last = before.get(f"{prefix}|{key}")
        if last is None or value < last[0]:  # new series, or a reset: all of it is new
            increase += value
        else:
            increase += value - last[0]
    return round(increase)


def _merge(before: Mapping[str, tuple[float, float]], pv: Reading, uv: Reading | None,
           now: float) -> dict[str, tuple[float, float]]:
    merged = {key: pair for key, pair in before.items() if now - pair[1] < FORGET_S}
    for prefix, reading in (("pv", pv), ("uv", uv)):
        if reading is not None and reading.kind == "counter":
            merged.update({f"{prefix}|{key}": (value, now)
                           for key, value in reading.series.items()})
    return merged
