"""Where incident changes go besides the store: metrics and the InfluxDB series (a subscriber
of the alert runner, as the draft reports are: monitor.reports.incident.draft.DraftOnResolve)."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from alerting.model import Incident
from monitor.alertmetrics import AlertMetrics
from monitor.core.clock import Clock
from monitor.core.config.model import Config
from monitor.influx.points import incident_line
from monitor.influx.sink import InfluxSink

log = structlog.get_logger("incidents")

class IncidentFeed:
    def __init__(self, metrics: AlertMetrics, config: Callable[[], Config], clock: Clock,
                 sink: InfluxSink | None = None) -> None:
        self._metrics = metrics
        self._config = config
        self._clock = clock
        self._sink = sink

    def active_changed(self, active: dict[str, Incident]) -> None:
        self._metrics.active_changed(active)

    def incident_changed(self, before: Incident | None, after: Incident) -> None:
        self._metrics.incident_changed(before, after)
        config = self._config()
        if self._sink is not None:
            self._sink.add(incident_line(
                after, config.app(after.app_id), response_s=config.sla.response_s,
                resolution_s=config.sla.resolution_s, at=self._clock.now()))
