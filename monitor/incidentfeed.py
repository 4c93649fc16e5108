"""Where incident changes go besides the store: metrics, the InfluxDB series and (after a
resolve) the draft analysis report. The alert runner takes one observer; this fans out."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from alerting.model import Incident
from monitor.alertmetrics import AlertMetrics
from monitor.core.clock import Clock
from monitor.core.config.model import Config
from monitor.influx.points import incident_line
from monitor.influx.sink import InfluxSink

log = structlog.get_logger("incidents")

DraftWriter = Callable[[str], Awaitable[None]]


class IncidentFeed:
    def __init__(self, metrics: AlertMetrics, config: Callable[[], Config], clock: Clock,
                 sink: InfluxSink | None = None, draft: DraftWriter | None = None) -> None:
        self._metrics = metrics
        self._config = config
        self._clock = clock
        self._sink = sink
        self._draft = draft
        self._tasks: set[asyncio.Task[None]] = set()

    def active_changed(self, active: dict[str, Incident]) -> None:
        self._metrics.active_changed(active)

    def incident_changed(self, before: Incident | None, after: Incident) -> None:
        self._metrics.incident_changed(before, after)
        config = self._config()
        if self._sink is not None:
            self._sink.add(incident_line(
                after, config.app(after.app_id), response_s=config.sla.response_s,
                resolution_s=config.sla.resolution_s, at=self._clock.now()))
        resolved_now = after.resolved_at is not None and (before is None
                                                          or before.resolved_at is None)
        if self._draft is not None and resolved_now and before is not None:
            task = asyncio.get_running_loop().create_task(self._write_draft(after.id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _write_draft(self, incident_id: str) -> None:
        assert self._draft is not None
        try:
            await self._draft(incident_id)
        except Exception:  # a report must never break alerting
            log.exception("incident_draft_failed", incident=incident_id)

    async def drain(self) -> None:
        """Wait for drafts being written (service stop)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
