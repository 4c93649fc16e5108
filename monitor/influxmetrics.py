"""InfluxDB sink metrics: points written, waiting (memory, spool), dropped by reason, failed
writes by kind, the last good write and how long writes take. Fed by monitor/influx/sink.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Why points are given up on; every reason is exported from the start (at 0) so alerts on
# `increase(...) > 0` work before the first drop.
DROP_REASONS: Final = ("budget", "rejected", "corrupt", "spool_error", "closed")
# Failed write requests, by what went wrong (monitor/influx/writer.py classifies).
ERROR_KINDS: Final = (
    "connection", "timeout", "server", "throttled", "auth", "not_found", "rejected", "http",
    "internal",
)
# A write of one batch: milliseconds on a LAN, seconds means InfluxDB is struggling; the
# request timeout (10 s by default) is the top.
WRITE_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class InfluxMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        r = registry
        self.written = Counter(
            "appmon_influx_points_written", "Points InfluxDB accepted", registry=r)
        self.dropped = Counter(
            "appmon_influx_points_dropped",
            "Points given up on: budget (spool full, oldest first), rejected (400, bad line "
            "protocol), corrupt (unreadable spool record), spool_error (disk write failed), "
            "closed (added after close)",
            ("reason",), registry=r)
        self.errors = Counter(
            "appmon_influx_write_errors", "Failed write requests (retried unless rejected)",
            ("kind",), registry=r)
        self.spool_points = Gauge(
            "appmon_influx_spool_points", "Points waiting in the on-disk spool", registry=r)
        self.spool_bytes = Gauge(
            "appmon_influx_spool_bytes", "Size of the spool's segment files", registry=r)
        self.buffered_points = Gauge(
            "appmon_influx_buffered_points", "Points waiting in memory to be sent", registry=r)
        self.last_success = Gauge(
            "appmon_influx_last_write_success_timestamp_seconds",
            "When InfluxDB last accepted a write (epoch)", registry=r)
        self.write_duration = Histogram(
            "appmon_influx_write_duration_seconds", "Duration of successful write requests",
            buckets=WRITE_BUCKETS, registry=r)
        for reason in DROP_REASONS:
            self.dropped.labels(reason)
        for kind in ERROR_KINDS:
            self.errors.labels(kind)

    def watch(self, *, buffered: Callable[[], float], spool_points: Callable[[], float],
              spool_bytes: Callable[[], float]) -> None:
        """Gauges read at scrape time: the sink's hot path never touches a metric lock."""
        self.buffered_points.set_function(buffered)
        self.spool_points.set_function(spool_points)
        self.spool_bytes.set_function(spool_bytes)
