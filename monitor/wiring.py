"""Pieces of the composition root that connect parts: where results and counts go, and the
HTTP server with the API, the console and the push endpoints. monitor.service builds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web

from alerting.runner import AlertRunner
from monitor.api.server import build_app
from monitor.api.state import ServiceState
from monitor.console import ConsoleContext, install_console
from monitor.console.auth import derive_key
from monitor.core.clock import Clock
from monitor.core.config.model import Config
from monitor.core.listening import split_listen
from monitor.descriptors import CappedSite
from monitor.governance.listing.api import install_listing_routes
from monitor.governance.listing.component import ListingPart
from monitor.governance.traffic.api import install_traffic_routes
from monitor.governance.traffic.days import day_start
from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.store import TrafficStore
from monitor.governance.traffic.types import OnCounts
from monitor.influx.lines import Series
from monitor.influx.maintenance import MaintenanceMarks, Occurrences
from monitor.influx.points import probe_line, probe_series, traffic_line
from monitor.influx.sink import InfluxSink
from monitor.scheduler import ResultHook, ScheduledCheck
from monitor.verdicts import observation_of
from probes.base import ProbeResult


class ResultFeeds:
    """Where each probe result and traffic count goes besides the ledger and metrics."""

    def __init__(self, config: Callable[[], Config], sink: InfluxSink | None,
                 occurrences: Occurrences | None = None) -> None:
        self._config = config
        self._sink = sink
        # Points in hours the monthly report leaves out are tagged, so Grafana agrees with it.
        self._marks = MaintenanceMarks(occurrences) if occurrences else None
        # Each check's escaped series key, built on its first result; forgotten on reload.
        self._series: dict[tuple[str, str], Series] = {}
        self.traffic_counts: OnCounts | None = self._traffic_to_influx if sink else None

    def to_alerting(self, alerts: AlertRunner) -> ResultHook:
        def hook(scheduled: ScheduledCheck, result: ProbeResult) -> None:
            obs = observation_of(result, self._config().service.language)
            if obs is not None:  # a run the monitor could not judge says nothing of the app
                alerts.on_result(scheduled.app.id, scheduled.check.id, obs)

        return hook

    def to_influx(self, scheduled: ScheduledCheck, result: ProbeResult) -> None:
        assert self._sink is not None
        series = self._series.get(scheduled.key)
        if series is None:
            series = self._series[scheduled.key] = probe_series(scheduled.app, scheduled.check)
        marked = self._marks is not None and self._marks.marked(scheduled.app.id,
                                                                result.started_at)
        self._sink.add(probe_line(series, result, maintenance=marked))

    def forget_series(self) -> None:
        self._series.clear()

    def _traffic_to_influx(self, app_id: str, day: str, pv: int, uv: int, source: str) -> None:
        assert self._sink is not None
        config = self._config()
        tz = ZoneInfo(config.service.timezone)
        self._sink.add(traffic_line(config.app(app_id), app_id, day_start=day_start(day, tz),
                                    pv=pv, uv=uv, source=source))


@dataclass
class HttpParts:
    """What the HTTP server serves."""

    state: ServiceState  # config (swapped on reload), ledger, metrics, alerts, links
    traffic: TrafficStore
    traffic_metrics: TrafficMetrics
    listing: ListingPart
    link_key: bytes
    clock: Clock
    feeds: ResultFeeds


class HttpServer:
    """The API, the console, /metrics and the push endpoints on `service.listen`, taking at
    most `connections` connections and `streams` live wall streams (monitor.descriptors)."""

    def __init__(self, parts: HttpParts, extra_routes: list[web.RouteDef] | None,
                 connections: int, streams: int) -> None:
        self._parts = parts
        self._extra_routes = extra_routes
        self._limits = (connections, streams)
        self._runner: web.AppRunner | None = None

    async def start(self) -> tuple[web.Application, int]:
        """Serve; returns the application and the port bound."""
        parts = self._parts
        state = parts.state
        app = build_app(state, self._extra_routes)
        install_traffic_routes(app, parts.traffic, lambda: state.config,
                               metrics=parts.traffic_metrics,
                               on_counts=parts.feeds.traffic_counts, clock=parts.clock)
        install_listing_routes(app, parts.listing)
        install_console(app, ConsoleContext(
            state=state, listing=parts.listing, traffic=parts.traffic, clock=parts.clock,
            session_key=derive_key(parts.link_key), data_dir=Path(state.config.service.data_dir),
        ), max_streams=self._limits[1])
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        host, port = split_listen(state.config.service.listen)
        await CappedSite(self._runner, host, port, limit=self._limits[0]).start()
        address = self._runner.addresses[0] if self._runner.addresses else (host, port)
        return app, int(address[1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
