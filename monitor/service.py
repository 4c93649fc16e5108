"""The composition root: builds every part once, in dependency order, and stops them in reverse.

`start()` reads top to bottom as the list of parts in the order they start; each part's stop is
pushed on an AsyncExitStack as it is built, so `stop()` is the reverse by construction. Data
flows one way: results -> ledger, metrics, alerting -> store -> outbox; incident changes go to
subscribers (metrics, the InfluxDB series, draft reports). `run`, `demo` and `bench` all start
the service through here.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Final

import aiohttp
import structlog
from aiohttp import web

from alerting.delivery import SendContext
from alerting.grouping import grouping_for
from alerting.links import LinkSigner, load_or_create_key
from alerting.notifiers.email import EmailSpec
from alerting.notifiers.registry import build_channels
from alerting.oncall import OncallBoard, OverrideStore
from alerting.outbox import Outbox
from alerting.runner import AlertRunner
from alerting.store import AlertStore
from monitor.api.state import ServiceState
from monitor.config import ConfigError, load_config
from monitor.connectivity import ConnectivityGuard
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import Config
from monitor.core.constants import DEFAULT_MAX_BODY_BYTES, USER_AGENT
from monitor.core.i18n import text
from monitor.core.listening import listen_url
from monitor.core.private import private_dir
from monitor.descriptors import connection_budget, raise_nofile_limit
from monitor.governance.listing.component import ListingPart
from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.poller import TrafficPoller
from monitor.governance.traffic.store import TrafficStore
from monitor.incidentfeed import IncidentFeed
from monitor.influx.sink import InfluxSink
from monitor.ledger import SqliteLedger
from monitor.ledger.types import Ledger
from monitor.metrics import Metrics
from monitor.ownfaults import LoopWatch, OwnFaults
from monitor.reports.incident.draft import DraftOnResolve
from monitor.reports.monthly.schedule import MonthlyReportJob
from monitor.reports.quarterly.schedule import QuarterlyReportJob
from monitor.scheduler import Scheduler
from monitor.wiring import HttpParts, HttpServer, ResultFeeds
from probes.context import ProbeResources

log = structlog.get_logger("service")

# A notification call taking longer than this fails and is retried (per delivery).
NOTIFY_TIMEOUT_S: Final = 10.0


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
        self._given_ledger = ledger
        self._serve_http = serve_http
        self._extra_routes = extra_routes
        self._background = background
        self._stack = AsyncExitStack()
        self.metrics = Metrics()
        self.bound_port: int | None = None
        self._listening: str | None = None  # service.listen in effect (set at start)
        self._derived_url: str | None = None  # public_url when derived from the address
        self.guard: ConnectivityGuard | None = None
        self.sink: InfluxSink | None = None

    async def start(self) -> None:  # noqa: PLR0915  # the parts, in order: one list to read
        # Without service.public_url, links and the start line name the address listened on:
        # the configured port now, the port actually bound once the server is up (port 0).
        self.config = self._with_public_url(self.config)
        config, clock, stack, background = self.config, self.clock, self._stack, self._background
        service, data_dir = config.service, Path(config.service.data_dir)
        private_dir(data_dir)  # 0700: ledger, link key, spools and reports are ours alone
        connections, streams = connection_budget(
            raise_nofile_limit(), service.max_concurrency, service.max_connections,
            config.console.max_streams)
        self.loop_watch = LoopWatch()
        self.loop_watch.start()
        stack.push_async_callback(self.loop_watch.stop)
        self.resources = ProbeResources(USER_AGENT, DEFAULT_MAX_BODY_BYTES)
        stack.push_async_callback(self.resources.close)
        self.ledger = self._given_ledger or await SqliteLedger.open(
            data_dir, raw_retention_s=service.raw_retention_s, clock=clock)
        stack.push_async_callback(self.ledger.close)
        self.metrics.add_ledger(self.ledger)
        self.http = aiohttp.ClientSession()  # every client call that is not a probe
        stack.push_async_callback(self.http.close)
        if config.influxdb is not None:  # closed after the scheduler and alerting: last lines
            self.sink = InfluxSink(config.influxdb, data_dir=data_dir, clock=clock,
                                   metrics=self.metrics.influx)
            await self.sink.start()
            stack.push_async_callback(self.sink.close)
        self.traffic = await TrafficStore.open(data_dir, clock=clock)
        stack.push_async_callback(self.traffic.close)
        self.alert_store = await AlertStore.open(data_dir, clock=clock)
        stack.push_async_callback(self.alert_store.close)
        secret = service.link_secret.reveal() if service.link_secret else None
        self.link_key = load_or_create_key(data_dir, secret)
        self.links = _Links(self.link_key, str(service.public_url))
        self.feeds = ResultFeeds(lambda: self.config, self.sink, occurrences=lambda a, b: (
            (o.scope, o.start, o.end) for o in self.alerts.calendar.occurrences(a, b)))
        self.traffic_metrics = TrafficMetrics(self.metrics.registry, timezone=service.timezone,
                                              clock=clock)
        self.traffic_poller = TrafficPoller(config, self.traffic, clock, session=self.http,
                                            metrics=self.traffic_metrics,
                                            on_counts=self.feeds.traffic_counts)
        if background:
            await self.traffic_poller.start()
            stack.push_async_callback(self.traffic_poller.stop)
        self.outbox = Outbox(self.alert_store, build_channels(config.notifiers),
                             SendContext(self.http, clock, service.language, NOTIFY_TIMEOUT_S),
                             clock=clock, on_outcome=self.metrics.alerts.delivery_outcome,
                             grouping=grouping_for(config.notifiers, config.alerting))
        await self._drop_orphan_deliveries(config)
        self.alert_store.on_deliveries(self.outbox.wake)
        if background:
            self.outbox.start()
        stack.push_async_callback(self.outbox.stop)
        self.drafts = DraftOnResolve(lambda: self.config, self.ledger, self.alert_store, clock)
        stack.push_async_callback(self.drafts.drain)
        self.incident_feed = IncidentFeed(self.metrics.alerts, lambda: self.config, clock,
                                          sink=self.sink)
        self.oncall = OncallBoard(config, OverrideStore(data_dir))
        self.alerts = AlertRunner(store=self.alert_store, config=config, clock=clock,
                                  oncall=self.oncall,
                                  links=self.links, observers=(self.incident_feed, self.drafts))
        await self.alerts.start(background=background)
        stack.push_async_callback(self.alerts.stop)
        self.listing = ListingPart(lambda: self.config, clock)
        await self.listing.start(self.ledger, self.alert_store, self.traffic,
                                 background=background)
        stack.push_async_callback(self.listing.stop)
        self.own_faults = OwnFaults(self.loop_watch, self._cut_off_at)
        self.scheduler = Scheduler(
            ledger=self.ledger, metrics=self.metrics, resources=self.resources, clock=clock,
            max_concurrency=service.max_concurrency, own_faults=self.own_faults)
        await self.scheduler.prepare(config)
        self.scheduler.apply(config)
        self.scheduler.add_result_hook(self.feeds.to_alerting(self.alerts))
        if self.sink is not None:
            self.scheduler.add_result_hook(self.feeds.to_influx)
        stack.push_async_callback(self.scheduler.shutdown)  # runs in flight finish first
        self.state = ServiceState(config, self.ledger, self.metrics, clock.now(),
                                  alerts=self.alerts, store=self.alert_store, links=self.links)
        self._mark_loaded(success=True)
        if self._serve_http:
            server = HttpServer(HttpParts(
                self.state, self.traffic, self.traffic_metrics, self.listing, self.link_key,
                clock, self.feeds), self._extra_routes, connections, streams)
            self.web_app, self.bound_port = await server.start()
            stack.push_async_callback(server.stop)
            self.config = self.state.config = self._with_public_url(self.config)
            self.links.rebase(str(self.config.service.public_url))
        await self._start_guard()
        stack.push_async_callback(self._stop_guard)
        if background:
            self.scheduler.start()
        self.monthly = MonthlyReportJob(
            config, self.ledger, self.alert_store, service.data_dir, clock=clock,
            recipients=config.reports.recipients, listing=self.listing.store,
            traffic=self.traffic, email_spec=self._mailer_spec(config))
        if background and config.reports.monthly:
            task = asyncio.create_task(self.monthly.run_forever(), name="monthly-report")
            stack.push_async_callback(_cancelled, task)
        self.quarterly = QuarterlyReportJob(
            config, self.ledger, service.data_dir, alerts=self.alert_store, traffic=self.traffic,
            listing=self.listing.store, clock=clock, recipients=config.reports.recipients,
            email_spec=self._mailer_spec(config))
        if background and config.reports.quarterly:
            task = asyncio.create_task(self.quarterly.run_forever(), name="quarterly-report")
            stack.push_async_callback(_cancelled, task)
        log.info("service_started", checks=len(list(self.scheduler.checks())),
                 listen=service.listen, data_dir=service.data_dir)

    async def stop(self) -> None:
        """Stop every part in the reverse order of starting (runs in flight finish, the ledger
        and the InfluxDB spool are flushed, pending deliveries stay for the next start)."""
        await self._stack.aclose()
        log.info("service_stopped")

    async def reload(self, path: Path) -> bool:
        """Load `path` aside; swap it in only if valid. Unchanged checks keep their schedule."""
        try:
            new = await asyncio.to_thread(load_config, path)
        except ConfigError as exc:
            for issue in exc.issues:
                log.error("config_invalid", issue=str(issue))  # noqa: TRY400  # expected, no traceback
            self._mark_loaded(success=False)
            return False
        old = self.config
        new = self._with_public_url(new)
        for what, before, after in (("service.listen or data_dir", (
                old.service.listen, old.service.data_dir), (new.service.listen,
                                                            new.service.data_dir)),
                                    ("influxdb", old.influxdb, new.influxdb)):
            if before != after:
                log.warning("config_restart_needed", reason=f"{what} changed")
        await self.scheduler.prepare(new)
        diff = self.scheduler.apply(new)
        if diff.removed:
            await self.ledger.forget(set(diff.removed))
        self.config = self.state.config = new
        self.state.sessions.retain(new.service.api_tokens)  # a removed/changed token's sessions end
        self.feeds.forget_series()  # names, departments and tiers may have changed
        for part in (self.traffic_poller, self.alerts, self.monthly, self.quarterly):
            part.apply_config(new)
        if new.notifiers != old.notifiers or new.alerting != old.alerting:
            await self._drop_orphan_deliveries(new)
            await self.outbox.reconfigure(build_channels(new.notifiers),
                                          grouping_for(new.notifiers, new.alerting))
        if new.service.connectivity != old.service.connectivity:
            await self._start_guard()
        self._mark_loaded(success=True)
        log.info("config_reloaded", added=len(diff.added), removed=len(diff.removed),
                 changed=len(diff.changed), unchanged=diff.unchanged)
        return True

    # --- helpers of the parts above -----------------------------------------------------------

    def _with_public_url(self, config: Config) -> Config:
        """`config` with service.public_url filled in when it was left out: the address the
        service listens on (the port bound, once known; a changed listen needs a restart, so
        the address in effect is the first config's)."""
        if config.service.public_url not in (None, self._derived_url):
            return config
        listen = self._listening = self._listening or config.service.listen
        self._derived_url = listen_url(listen, self.bound_port)
        return dataclasses.replace(config, service=dataclasses.replace(
            config.service, public_url=self._derived_url))

    async def _drop_orphan_deliveries(self, config: Config) -> None:
        """A removed notifier gets no worker: its pending deliveries would wait forever."""
        dropped = await self.alert_store.drop_orphans(config.notifiers, self.clock.now())
        for notifier_id, count in dropped.items():
            log.warning("outbox_orphans_dropped", notifier=notifier_id, deliveries=count)
        self.metrics.alerts.set_channel_lookup(
            lambda nid: config.notifiers[nid].kind if nid in config.notifiers else "unknown")

    async def _start_guard(self) -> None:
        """The connectivity guard, when configured (restarted when its settings change)."""
        if self.guard is not None:
            await self.guard.stop()
            self.guard = None
        settings = self.config.service.connectivity
        if settings is None:
            return
        alerts, lang = self.alerts, self.config.service.language
        self.guard = ConnectivityGuard(
            settings, self.config.defaults, self.resources, self.clock, language=lang,
            on_cut_off=lambda since, summary: alerts.monitor_cut_off(
                since, summary, text(lang, "monitor.service_name")),
            on_restored=lambda _at: alerts.monitor_restored(),
        )
        if self._background:
            self.guard.start()

    async def _stop_guard(self) -> None:
        if self.guard is not None:
            await self.guard.stop()

    def _cut_off_at(self, when: float) -> bool:
        return self.guard is not None and self.guard.cut_off_at(when)

    @staticmethod
    def _mailer_spec(config: Config) -> EmailSpec | None:
        """The email notifier that mails the monthly report (reports.email_via), if any."""
        mailer = config.notifiers.get(config.reports.email_via or "")
        return mailer.spec if mailer else None

    def _mark_loaded(self, *, success: bool) -> None:
        self.metrics.reload_success.set(1.0 if success else 0.0)
        self.metrics.reloads.labels("success" if success else "failure").inc()
        if success:
            self.metrics.reload_time.set(self.clock.now())


class _Links(LinkSigner):
    """The link signer, its base set again once the server has bound (a derived public_url
    with port 0 is known only then); the parts built before hold this one object."""

    def rebase(self, public_url: str) -> None:
        self._base = public_url.rstrip("/")


async def _cancelled(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
