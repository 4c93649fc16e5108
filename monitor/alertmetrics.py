"""Alerting metrics: open incidents by severity, response and resolution seconds, SLA breaches,
deliveries and failed deliveries by channel. Fed by the alert runner and the outbox."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from alerting.delivery import Delivery, DeliveryOutcome
from alerting.model import Incident, Severity

# SLA-sized buckets: the response limit is 15 min and the resolution limit 1 h.
SLA_BUCKETS: Final = (30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 14400, 86400)


class AlertMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        r = registry
        self.open = Gauge("appmon_incidents_open", "Incidents open or acknowledged",
                          ("severity",), registry=r)
        self.opened = Counter("appmon_incidents_opened", "Incidents opened (reopens included)",
                              ("severity",), registry=r)
        self.response = Histogram(
            "appmon_incident_response_seconds", "Opened to acknowledged",
            ("severity",), buckets=SLA_BUCKETS, registry=r)
        self.resolution = Histogram(
            "appmon_incident_resolution_seconds", "Opened to resolved",
            ("severity",), buckets=SLA_BUCKETS, registry=r)
        self.breaches = Counter("appmon_sla_breaches", "SLA limits passed (response, resolution)",
                                ("sla", "severity"), registry=r)
        self.deliveries = Counter("appmon_notification_deliveries",
                                  "Notifications delivered", ("notifier", "channel"), registry=r)
        self.failures = Counter("appmon_notification_failures",
                                "Failed delivery attempts (retried later)",
                                ("notifier", "channel"), registry=r)
        self.alertmanager_skipped = Counter(
            "appmon_alertmanager_alerts_skipped",
            "Alerts from Alertmanager that opened nothing (reason: unknown_app, no_label, "
            "malformed)", ("reason",), registry=r)
        for severity in Severity:
            self.open.labels(severity.value).set(0)
        self._channel_of: Callable[[str], str] = lambda notifier_id: "unknown"

    def set_channel_lookup(self, lookup: Callable[[str], str]) -> None:
        self._channel_of = lookup

    def active_changed(self, active: dict[str, Incident]) -> None:
        counts = Tally(incident.severity.value for incident in active.values())
        for severity in Severity:
            self.open.labels(severity.value).set(counts.get(severity.value, 0))

    def incident_changed(self, before: Incident | None, after: Incident) -> None:
        if before is None and not after.is_active:
            return  # a note on a resolved incident: nothing measured changes
        severity = after.severity.value
        if before is None or (not before.is_active and after.is_active):
            self.opened.labels(severity).inc()
        if after.response_seconds is not None and (before is None
                                                   or before.acknowledged_at is None):
            self.response.labels(severity).observe(after.response_seconds)
        if after.resolution_seconds is not None and (before is None or before.resolved_at is None):
            self.resolution.labels(severity).observe(after.resolution_seconds)
        if after.response_breached and not (before and before.response_breached):
            self.breaches.labels("response", severity).inc()
        if after.resolution_breached and not (before and before.resolution_breached):
            self.breaches.labels("resolution", severity).inc()

    def delivery_outcome(self, delivery: Delivery, outcome: DeliveryOutcome) -> None:
        channel = self._channel_of(delivery.notifier_id)
        counter = self.deliveries if outcome.ok else self.failures
        counter.labels(delivery.notifier_id, channel).inc()
