"""What happens after traffic is written, whoever wrote it (poller, push API, log import):
the optional `on_counts` callback (the lead's Influx export) hears each source's new totals,
and the gauges get the app's day totals, every source summed.

Never raises: a failing callback or gauge refresh is logged and does not undo or fail the
write. The store is the record; the callback's consumers and the gauges are copies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import structlog

from monitor.core.config.model import Config
from monitor.core.errors import StorageError
from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.store import SourceCounts, TrafficStore
from monitor.governance.traffic.types import OnCounts

log = structlog.get_logger("traffic")

ConfigGetter = Callable[[], Config]


class Publisher:
    def __init__(self, store: TrafficStore, config: ConfigGetter, *,
                 metrics: TrafficMetrics | None = None, on_counts: OnCounts | None = None) -> None:
        self.store = store
        self.config = config
        self.metrics = metrics
        self.on_counts = on_counts

    async def written(self, rows: Sequence[SourceCounts]) -> None:
        if self.on_counts is not None:
            for row in rows:
                try:
                    self.on_counts(row.app_id, row.day, row.pv, row.uv, row.source)
                except Exception:
                    log.exception("traffic_on_counts_failed", app=row.app_id, day=row.day)
        if self.metrics is None:
            return
        config = self.config()
        for app_id, day in sorted({(row.app_id, row.day) for row in rows}):
            app = config.app(app_id)
            if app is None:
                continue
            try:
                totals = await self.store.daily(app_id, day, day)
            except StorageError as exc:  # the gauge stays as it was until the next write
                log.warning("traffic_gauge_refresh_failed", app=app_id, error=str(exc))
                continue
            if totals:
                self.metrics.update(app, day, totals[0].pv, totals[0].uv)
