"""What the sink tells operators about its writes: metrics for every outcome, and logs that
summarise rather than flood (an outage of a day is a line a minute, not one per retry).

Every message here is already masked by the writer (monitor/influx/writer.py); nothing in this
module sees the token.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog

from monitor.core.clock import Clock
from monitor.influx.writer import Action, Failure
from monitor.influxmetrics import InfluxMetrics

log = structlog.get_logger("influx")


class Throttle:
    """True at most once per `every_s`: repeated warnings are summarised, not repeated."""

    def __init__(self, every_s: float, clock: Clock) -> None:
        self._every_s, self._clock, self._next = every_s, clock, float("-inf")

    def ready(self) -> bool:
        now = self._clock.monotonic()
        if now < self._next:
            return False
        self._next = now + self._every_s
        return True


class SinkHealth:
    def __init__(self, metrics: InfluxMetrics, clock: Clock, *, log_every_s: float,
                 spooled: Callable[[], int], spool_max: int) -> None:
        self.metrics = metrics
        self._clock = clock
        self._spooled = spooled
        self._spool_max = spool_max
        self.failures = 0  # consecutive failed attempts; drives the backoff
        self._outage_since: float | None = None
        self._held_drops: dict[str, int] = {}
        self._rejected_unlogged = 0
        self._warn = {key: Throttle(log_every_s, clock)
                      for key in ("fail", "drop", "reject", "error")}

    @property
    def in_outage(self) -> bool:
        return self._outage_since is not None

    def written(self, lines: int, duration_s: float) -> None:
        self.metrics.write_duration.observe(duration_s)
        self.metrics.written.inc(lines)
        self.metrics.last_success.set(self._clock.now())
        self._recovered()

    def rejected(self, failure: Failure, lines: int) -> None:
        """A 400-like answer: the server is up, the batch is bad; resending cannot help."""
        self.metrics.errors.labels(failure.kind).inc()
        self.metrics.dropped.labels("rejected").inc(lines)
        self._rejected_unlogged += lines
        if self._warn["reject"].ready():  # one line per batch, summarised when many
            log.warning("influx_batch_rejected", points=lines, status=failure.status,
                        error=failure.message, dropped_since_last_log=self._rejected_unlogged)
            self._rejected_unlogged = 0
        self._recovered()

    def failed(self, failure: Failure) -> None:
        """A write to retry. Bad tokens and unknown buckets are errors (an operator must act);
        unreachable or overloaded servers are warnings (they come back by themselves)."""
        self.metrics.errors.labels(failure.kind).inc()
        first = self._outage_since is None
        if first:
            self._outage_since = self._clock.monotonic()
        self.failures += 1
        if first or self._warn["fail"].ready():
            hold = failure.action is Action.HOLD
            (log.error if hold else log.warning)(
                "influx_write_failed", kind=failure.kind, status=failure.status,
                error=failure.message, attempts=self.failures, spooled_points=self._spooled(),
                hint="check the token, org and bucket; points are kept in the spool" if hold
                else "points are spooled to disk and sent when InfluxDB is back")

    def internal_error(self, masked: str) -> None:
        """Something other than a write failed (the spool's disk): retried like a write."""
        self.failures += 1
        if self._warn["error"].ready():
            log.exception("influx_sink_error", error=masked)

    def _recovered(self) -> None:
        if self._outage_since is not None:
            log.info("influx_write_recovered", attempts=self.failures,
                     outage_s=round(self._clock.monotonic() - self._outage_since, 1),
                     spooled_points=self._spooled())
        self._outage_since, self.failures = None, 0

    def dropped(self, reason: str, lines: int, **details: object) -> None:
        """Count dropped points; log a summary at most once per log_every_s."""
        self.metrics.dropped.labels(reason).inc(lines)
        self._held_drops[reason] = self._held_drops.get(reason, 0) + lines
        if self._warn["drop"].ready():
            log.warning("influx_points_dropped", dropped=dict(self._held_drops),
                        spool_max=self._spool_max, **details)
            self._held_drops.clear()
