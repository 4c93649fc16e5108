"""The composition root: builds every part once (ledger, metrics, probe resources, scheduler,
HTTP server) and passes it down. `run` / `demo` / `bench` all start the service through here.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import aiohttp
import structlog
from aiohttp import web

from alerting.delivery import SendContext
from alerting.links import LinkSigner, load_or_create_key
from alerting.notifiers.registry import build_channels
from alerting.outbox import Outbox
from alerting.runner import AlertRunner
from alerting.store import AlertStore
from monitor.api.server import build_app
from monitor.api.state import ServiceState
from monitor.config import ConfigError, load_config
from monitor.connectivity import ConnectivityGuard
from monitor.console import ConsoleContext, install_console
from monitor.console.auth import derive_key
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import Config
from monitor.core.constants import DEFAULT_MAX_BODY_BYTES, USER_AGENT
from monitor.core.i18n import text
from monitor.descriptors import CappedSite, connection_budget, raise_nofile_limit
from monitor.incidentfeed import IncidentFeed
from monitor.influx.lines import Series
from monitor.influx.points import probe_line, probe_series, traffic_line
from monitor.influx.sink import InfluxSink
from monitor.ledger import SqliteLedger
from monitor.ledger.types import Ledger
from monitor.listing.api import install_listing_routes
from monitor.listing.component import ListingPart
from monitor.metrics import Metrics
from monitor.ownfaults import LoopWatch, OwnFaults
from monitor.reports.draft import write_incident_draft
from monitor.reports.schedule import MonthlyReportJob
from monitor.scheduler import ScheduledCheck, Scheduler
from monitor.traffic.api import install_traffic_routes
from monitor.traffic.days import day_start
from monitor.traffic.metrics import TrafficMetrics
from monitor.traffic.poller import TrafficPoller
from monitor.traffic.store import TrafficStore
from monitor.verdicts import observation_of
from probes.base import ProbeResult
from probes.context import ProbeResources

log = structlog.get_logger("service")

# A notification call taking longer than this fails and is retried (per delivery).
NOTIFY_TIMEOUT_S: Final = 10.0

def split_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


class Service:
    def __init__(
        self,
        config: Config,
        *,
        clock: Clock = SYSTEM_CLOCK,
        ledger: Ledger | None = None,
        serve_http: bool = True,
        extra_routes: list[web.RouteDef] | None = None,
        background: bool = True,
    ) -> None:
        """`background=False` runs no timers of its own (tests drive the scheduler, the alert
        clock and the outbox by hand with a fake clock)."""
        self.config = config
        self.clock = clock
        self.metrics = Metrics()
        self.resources = ProbeResources(USER_AGENT, DEFAULT_MAX_BODY_BYTES)
        self._ledger = ledger
        self._serve_http = serve_http
        self._background = background
        self._extra_routes = extra_routes
        self._runner: web.AppRunner | None = None
        self._scheduler: Scheduler | None = None
        self._state: ServiceState | None = None
        self._store: AlertStore | None = None
        self._alerts: AlertRunner | None = None
        self._outbox: Outbox | None = None
        self._http: aiohttp.ClientSession | None = None
        self._sink: InfluxSink | None = None
        self._traffic: TrafficStore | None = None
        self._monthly: MonthlyReportJob | None = None
        self._monthly_task: asyncio.Task[None] | None = None
        self._traffic_poller: TrafficPoller | None = None
        self.listing = ListingPart(lambda: self.config, clock)
        # Each check's escaped series key, built on its first result; cleared on reload.
        self._influx_series: dict[tuple[str, str], Series] = {}
        self.bound_port: int | None = None
        self.loop_watch = LoopWatch()
        self.guard: ConnectivityGuard | None = None
        self.own_faults = OwnFaults(self.loop_watch, self._cut_off_at)
        self._limits = (config.service.max_connections, config.console.max_streams)

    @property
    def ledger(self) -> Ledger:
        assert self._ledger is not None, "service not started"
        return self._ledger

    @property
    def sink(self) -> InfluxSink | None:
        """The InfluxDB sink when `influxdb` is configured: `sink.add(line)` takes any line."""
        return self._sink

    @property
    def scheduler(self) -> Scheduler:
        assert self._scheduler is not None, "service not started"
        return self._scheduler

    @property
    def alerts(self) -> AlertRunner:
        assert self._alerts is not None, "service not started"
        return self._alerts

    @property
    def web_app(self) -> web.Application:
        """The aiohttp application (API and console), once the HTTP server runs."""
        assert self._runner is not None, "HTTP not started"
        return self._runner.app

    @property
    def alert_store(self) -> AlertStore:
        assert self._store is not None, "service not started"
        return self._store

    @property
    def outbox(self) -> Outbox:
        assert self._outbox is not None, "service not started"
        return self._outbox

    async def start(self) -> None:
        service = self.config.service
        self._limits = connection_budget(raise_nofile_limit(), service.max_concurrency,
                                         service.max_connections, self.config.console.max_streams)
        self.loop_watch.start()
        if self._ledger is None:
            self._ledger = await SqliteLedger.open(
                Path(service.data_dir), raw_retention_s=service.raw_retention_s, clock=self.clock
            )
        self.metrics.add_ledger(self._ledger)
        if self.config.influxdb is not None:
            self._sink = InfluxSink(self.config.influxdb, data_dir=Path(service.data_dir),
                                    clock=self.clock, metrics=self.metrics.influx)
            await self._sink.start()
        await self._start_traffic()
        await self._start_alerting()
        assert self._alerts is not None
        assert self._store is not None
        await self.listing.start(self._ledger, self._store, self._traffic,
                                 wake_outbox=self._wake_outbox,
                                 background=self._background)
        self._scheduler = Scheduler(
            ledger=self._ledger, metrics=self.metrics, resources=self.resources,
            clock=self.clock, max_concurrency=service.max_concurrency, own_faults=self.own_faults,
        )
        await self._scheduler.prepare(self.config)
        self._scheduler.apply(self.config)
        self._scheduler.add_result_hook(self._to_alerting)
        if self._sink is not None:
            self._scheduler.add_result_hook(self._to_influx)
        self._mark_loaded(success=True)
        self._state = ServiceState(self.config, self._ledger, self.metrics, self.clock.now(),
                                   alerts=self._alerts, store=self._store, links=self.links)
        if self._serve_http:
            await self._start_http()
        self._start_guard()
        if self._background:
            self._scheduler.start()
        self._start_monthly_reports()
        log.info("service_started", checks=len(list(self._scheduler.checks())),
                 listen=service.listen, data_dir=service.data_dir)

    def _to_alerting(self, scheduled: ScheduledCheck, result: ProbeResult) -> None:
        obs = observation_of(result, self.config.service.language)
        if obs is not None:
            self.alerts.on_result(scheduled.app.id, scheduled.check.id, obs)

    def _cut_off_at(self, when: float) -> bool:
        return self.guard is not None and self.guard.cut_off_at(when)

    def _start_guard(self) -> None:
        """The connectivity guard, when configured (it needs the alert runner)."""
        settings = self.config.service.connectivity
        if settings is None:
            self.guard = None
            return
        alerts = self.alerts
        lang = self.config.service.language
        self.guard = ConnectivityGuard(
            settings, self.config.defaults, self.resources, self.clock, language=lang,
            on_cut_off=lambda since, summary: alerts.monitor_cut_off(
                since, summary, text(lang, "monitor.service_name")),
            on_restored=lambda _at: alerts.monitor_restored(),
        )
        if self._background:
            self.guard.start()

    def _wake_outbox(self) -> None:
        if self._outbox is not None:  # replaced on a reload that changes notifiers
            self._outbox.wake()

    def _to_influx(self, scheduled: ScheduledCheck, result: ProbeResult) -> None:
        assert self._sink is not None
        series = self._influx_series.get(scheduled.key)
        if series is None:
            series = self._influx_series[scheduled.key] = probe_series(scheduled.app,
                                                                       scheduled.check)
        self._sink.add(probe_line(series, result))

    async def _start_alerting(self) -> None:
        """Alert store, runner and outbox: incidents and notifications survive restarts."""
        service = self.config.service
        data_dir = Path(service.data_dir)
        self._store = await AlertStore.open(data_dir, clock=self.clock)
        secret = service.link_secret.reveal() if service.link_secret else None
        self._link_key = load_or_create_key(data_dir, secret)
        self.links = LinkSigner(self._link_key, service.public_url)
        self._http = aiohttp.ClientSession()
        self.incident_feed = IncidentFeed(self.metrics.alerts, lambda: self.config, self.clock,
                                          sink=self._sink, draft=self._write_draft)
        self._alerts = AlertRunner(store=self._store, config=self.config, clock=self.clock,
                                   links=self.links, observer=self.incident_feed)
        await self._alerts.start(background=self._background)
        await self._start_outbox()

    async def _start_outbox(self) -> None:
        assert self._store is not None
        assert self._http is not None
        assert self._alerts is not None
        config = self.config
        # A removed notifier gets no worker: its pending deliveries would wait forever.
        for notifier_id, count in (await self._store.drop_orphans(
                config.notifiers, self.clock.now())).items():
            log.warning("outbox_orphans_dropped", notifier=notifier_id, deliveries=count)
        self.metrics.alerts.set_channel_lookup(
            lambda nid: config.notifiers[nid].kind if nid in config.notifiers else "unknown")
        ctx = SendContext(self._http, self.clock, config.service.language, NOTIFY_TIMEOUT_S)
        self._outbox = Outbox(self._store, build_channels(config.notifiers), ctx,
                              clock=self.clock, on_outcome=self.metrics.alerts.delivery_outcome)
        self._alerts.attach_outbox(self._outbox)
        if self._background:
            self._outbox.start()

    async def _write_draft(self, incident_id: str) -> None:
        """A resolved incident gets its draft analysis report in data_dir/reports/."""
        assert self._store is not None
        await write_incident_draft(self.config, self.ledger, self._store, incident_id,
                                   self.config.service.data_dir, now=self.clock.now())

    def _start_monthly_reports(self) -> None:
        """On the 1st, last month's report is written to data_dir/reports/ (and mailed)."""
        reports = self.config.reports
        if not reports.monthly or not self._background:
            return
        assert self._store is not None
        mailer = self.config.notifiers.get(reports.email_via or "")
        self._monthly = MonthlyReportJob(
            self.config, self.ledger, self._store, self.config.service.data_dir,
            recipients=reports.recipients, email_spec=mailer.spec if mailer else None,
            clock=self.clock, listing=self.listing.store)
        self._monthly_task = asyncio.create_task(self._monthly.run_forever(),
                                                 name="monthly-report")

    async def _start_traffic(self) -> None:
        """Traffic (访问量): the store, today's gauges, the pull poller; Influx when configured."""
        service = self.config.service
        self._traffic = await TrafficStore.open(Path(service.data_dir), clock=self.clock)
        self.traffic_metrics = TrafficMetrics(self.metrics.registry, timezone=service.timezone,
                                              clock=self.clock)
        self._on_traffic = self._traffic_to_influx if self._sink is not None else None
        self._traffic_poller = TrafficPoller(self.config, self._traffic, self.clock,
                                             metrics=self.traffic_metrics,
                                             on_counts=self._on_traffic)
        if self._background:
            await self._traffic_poller.start()

    def _traffic_to_influx(self, app_id: str, day: str, pv: int, uv: int, source: str) -> None:
        assert self._sink is not None
        tz = ZoneInfo(self.config.service.timezone)
        self._sink.add(traffic_line(self.config.app(app_id), app_id,
                                    day_start=day_start(day, tz), pv=pv, uv=uv, source=source))

    async def _start_http(self) -> None:
        assert self._state is not None
        assert self._traffic is not None
        app = build_app(self._state, self._extra_routes)
        install_traffic_routes(app, self._traffic, lambda: self.config,
                               metrics=self.traffic_metrics, on_counts=self._on_traffic,
                               clock=self.clock)
        install_listing_routes(app, self.listing)
        install_console(app, ConsoleContext(
            state=self._state, listing=self.listing, traffic=self._traffic, clock=self.clock,
            session_key=derive_key(self._link_key),
            data_dir=Path(self.config.service.data_dir)), max_streams=self._limits[1])
        self._runner = web.AppRunner(app,
                                     access_log=None, handle_signals=False)
        await self._runner.setup()
        host, port = split_listen(self.config.service.listen)
        site = CappedSite(self._runner, host, port, limit=self._limits[0])
        await site.start()
        address = self._runner.addresses[0] if self._runner.addresses else (host, port)
        self.bound_port = int(address[1])

    async def reload(self, path: Path) -> bool:
        """Load `path` aside; swap it in only if valid. Unchanged checks keep their schedule."""
        try:
            new = await asyncio.to_thread(load_config, path)
        except ConfigError as exc:
            for issue in exc.issues:
                log.error("config_invalid", issue=str(issue))  # noqa: TRY400  # expected, no traceback
            self._mark_loaded(success=False)
            return False
        if (new.service.listen, new.service.data_dir) != (
            self.config.service.listen, self.config.service.data_dir
        ):
            log.warning("config_restart_needed", reason="service.listen or data_dir changed")
        if new.influxdb != self.config.influxdb:
            log.warning("config_restart_needed", reason="influxdb changed")
        await self.scheduler.prepare(new)
        diff = self.scheduler.apply(new)
        if new.service.connectivity != self.config.service.connectivity:
            if self.guard is not None:
                await self.guard.stop()
            self.config = new  # the guard reads the new settings
            self._start_guard()
        self._influx_series.clear()  # names, departments and tiers may have changed
        if diff.removed:
            await self.ledger.forget(set(diff.removed))
        notifiers_changed = new.notifiers != self.config.notifiers
        self.config = new
        if self._traffic_poller is not None:
            self._traffic_poller.apply_config(new)
        self.alerts.apply_config(new)
        if self._monthly is not None:
            self._monthly.apply_config(new)
        if notifiers_changed:
            await self.outbox.stop()
            await self._start_outbox()
        if self._state is not None:
            self._state.config = new
        self._mark_loaded(success=True)
        log.info("config_reloaded", added=len(diff.added), removed=len(diff.removed),
                 changed=len(diff.changed), unchanged=diff.unchanged)
        return True

    def _mark_loaded(self, *, success: bool) -> None:
        self.metrics.reload_success.set(1.0 if success else 0.0)
        self.metrics.reloads.labels("success" if success else "failure").inc()
        if success:
            self.metrics.reload_time.set(self.clock.now())

    async def stop(self) -> None:
        """Stop scheduling, let runs in flight finish, flush the ledger, close the server."""
        if self._monthly_task is not None:
            self._monthly_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monthly_task
        if self.guard is not None:
            await self.guard.stop()
        if self._scheduler is not None:
            await self._scheduler.shutdown()
        await self.loop_watch.stop()
        await self.resources.close()
        if self._alerts is not None:
            await self._alerts.stop()
            await self.incident_feed.drain()
        if self._traffic_poller is not None:
            await self._traffic_poller.stop()
        await self.listing.stop()
        if self._sink is not None:  # after the scheduler and alerts: their last lines go too
            await self._sink.close()
        if self._outbox is not None:
            await self._outbox.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()
        if self._store is not None:
            await self._store.close()
        if self._ledger is not None:
            if self._traffic is not None:
                await self._traffic.close()
            await self._ledger.close()
        log.info("service_stopped")
