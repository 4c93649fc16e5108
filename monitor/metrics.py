"""Prometheus metrics from an app-owned registry. Results become metrics in one place:
`Metrics.observe`. Per-check label children are resolved once per check (`CheckSeries`), not
per run, because label lookup would otherwise be a noticeable share of a probe's CPU.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from monitor.alertmetrics import AlertMetrics
from monitor.influxmetrics import InfluxMetrics
from monitor.ledger.types import LedgerStats
from probes.base import ProbeResult

CHECK_LABELS: Final = ("app", "check", "kind", "department", "tier")
PHASES: Final = ("dns", "connect", "tls", "first_byte")
# Probe latency buckets: 5 ms to 30 s covers LAN health checks through slow government portals.
DURATION_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30)
# Scheduler lateness: healthy is milliseconds; seconds means the process is overloaded.
LATENESS_BUCKETS: Final = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class CheckLabels:
    app: str
    check: str
    kind: str
    department: str
    tier: str

    def values(self) -> tuple[str, str, str, str, str]:
        return (self.app, self.check, self.kind, self.department, self.tier)


class CheckSeries:
    """The label children of one check, bound once."""

    def __init__(self, metrics: Metrics, labels: CheckLabels) -> None:
        values = labels.values()
        self.labels = labels
        self.success = metrics.probe_success.labels(*values)
        self.duration = metrics.probe_duration.labels(*values)
        self.last_run = metrics.probe_last_run.labels(*values)
        self.phases = {phase: metrics.probe_phase.labels(*values, phase) for phase in PHASES}
        self.runs_up = metrics.probe_runs.labels(*values, "up")
        self.runs_down = metrics.probe_runs.labels(*values, "down")
        self.runs_unknown = metrics.probe_runs.labels(*values, "unknown")
        self.missed = metrics.missed_runs.labels(*values)
        self._metrics = metrics

    def observe(self, result: ProbeResult) -> None:
        if result.unknown:  # the monitor could not tell: the last verdict stands
            self.runs_unknown.inc()
            self.last_run.set(result.started_at)
            return
        self.success.set(1.0 if result.ok else 0.0)
        self.duration.observe(result.timings.total_s)
        self.last_run.set(result.started_at)
        timings = result.timings
        for phase, value in zip(
            PHASES, (timings.dns_s, timings.connect_s, timings.tls_s, timings.first_byte_s),
            strict=True,
        ):
            if value is not None:
                self.phases[phase].set(value)
        (self.runs_up if result.ok else self.runs_down).inc()
        if result.cert_days_left is not None:
            self._metrics.cert_expiry.labels(*self.labels.values()).set(
                result.started_at + result.cert_days_left * 86400.0
            )

    def remove(self) -> None:
        """Drop every series of this check (it left the config)."""
        values = self.labels.values()
        m = self._metrics
        for metric in (m.probe_success, m.probe_duration, m.probe_last_run, m.missed_runs,
                       m.cert_expiry):
            _remove(metric, values)
        for phase in PHASES:
            _remove(m.probe_phase, (*values, phase))
        for outcome in ("up", "down", "unknown"):
            _remove(m.probe_runs, (*values, outcome))


def _remove(metric: Gauge | Counter | Histogram, values: tuple[str, ...]) -> None:
    with contextlib.suppress(KeyError):  # never observed: nothing to remove
        metric.remove(*values)


class Metrics:
    """Every metric of the service, on one registry owned by the composition root."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.probe_success = Gauge(
            "appmon_probe_success", "1 if the last run of the check passed, 0 if it failed",
            CHECK_LABELS, registry=r)
        self.probe_duration = Histogram(
            "appmon_probe_duration_seconds", "Total duration of probe runs",
            CHECK_LABELS, buckets=DURATION_BUCKETS, registry=r)
        self.probe_phase = Gauge(
            "appmon_probe_phase_seconds",
            "Duration of each phase of the last run: dns (name resolution), connect (TCP, or "
            "TCP and CONNECT through a proxy), tls (the handshake alone), first_byte (request "
            "sent to response headers); a phase that did not happen is not exported",
            (*CHECK_LABELS, "phase"), registry=r)
        self.probe_last_run = Gauge(
            "appmon_probe_last_run_timestamp_seconds", "When the last run started (epoch)",
            CHECK_LABELS, registry=r)
        self.probe_runs = Counter(
            "appmon_probe_runs",
            "Probe runs by outcome: up, down, or unknown (the monitor could not tell: its own "
            "descriptors, memory, event loop or network; not counted against the app)",
            (*CHECK_LABELS, "outcome"), registry=r)
        self.cert_expiry = Gauge(
            "appmon_cert_expiry_timestamp_seconds", "When the leaf certificate expires (epoch)",
            CHECK_LABELS, registry=r)
        self.missed_runs = Counter(
            "appmon_scheduler_missed_runs",
            "Runs skipped because the previous run of the check was still going",
            CHECK_LABELS, registry=r)
        self.lateness = Histogram(
            "appmon_scheduler_lateness_seconds", "How late runs started after they were due",
            buckets=LATENESS_BUCKETS, registry=r)
        self.in_flight = Gauge(
            "appmon_probes_in_flight", "Probe runs in progress", registry=r)
        self.checks = Gauge("appmon_checks", "Checks scheduled", registry=r)
        self.reload_success = Gauge(
            "appmon_config_last_reload_successful", "1 if the last config (re)load was valid",
            registry=r)
        self.reload_time = Gauge(
            "appmon_config_last_reload_success_timestamp_seconds",
            "When the config was last loaded successfully (epoch)", registry=r)
        self.reloads = Counter(
            "appmon_config_reloads", "Config reload attempts by result", ("result",), registry=r)
        self.alerts = AlertMetrics(r)
        self.influx = InfluxMetrics(r)

    def series(self, labels: CheckLabels) -> CheckSeries:
        return CheckSeries(self, labels)

    def add_ledger(self, stats: LedgerStatsSource) -> None:
        self.registry.register(_LedgerCollector(stats))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class LedgerStatsSource(Protocol):
    """Anything with `stats() -> LedgerStats` (the ledger)."""

    def stats(self) -> LedgerStats: ...


class _LedgerCollector(Collector):
    def __init__(self, source: LedgerStatsSource) -> None:
        self._source = source

    def collect(self) -> Iterator[Metric]:
        stats = self._source.stats()
        yield GaugeMetricFamily(
            "appmon_ledger_pending_results", "Results waiting to be written", stats.pending)
        yield GaugeMetricFamily(
            "appmon_ledger_database_bytes", "Size of the ledger database files", stats.db_bytes)
        yield CounterMetricFamily(
            "appmon_ledger_written_results", "Results written to the ledger", stats.written_total)
        yield CounterMetricFamily(
            "appmon_ledger_dropped_results", "Results dropped because the writer backlog was full",
            stats.dropped_total)
        yield CounterMetricFamily(
            "appmon_ledger_batches", "Write batches committed", stats.batches_total)
