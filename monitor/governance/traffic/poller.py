"""Pulls traffic from every app that has a `traffic:` source, each on its own interval.

    poller = TrafficPoller(config, store, clock, metrics=traffic_metrics, on_counts=...)
    await poller.start()            # one task per app; the first pull runs at once
    poller.apply_config(new)        # on reload: changed or new sources restart, others go on
    await poller.stop()
    outcomes = await poller.poll_once(now)   # tests and the CLI: every pull source once

A pull never raises: a failure is logged (`traffic_pull_failed`), counted in
`appmon_traffic_pull_failures_total` and retried at the next interval; a Prometheus source
keeps its baseline meanwhile, so the increase over the gap is counted when it answers again.
Pulls of one app are serialised (a lock), so poll_once beside the loop cannot count twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

import aiohttp
import structlog

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import AppConfig, Config
from monitor.core.config.traffic import TrafficSource
from monitor.core.constants import USER_AGENT
from monitor.core.errors import StorageError
from monitor.core.fields import mask_url
from monitor.governance.traffic import jsonstat, prometheus
from monitor.governance.traffic.days import day_of
from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.publish import Publisher
from monitor.governance.traffic.store import CountsUpdate, ScrapeState, SourceCounts, TrafficStore
from monitor.governance.traffic.types import JSON, PROMETHEUS, OnCounts
from probes.errors import classify

log = structlog.get_logger("traffic.poller")

# A gateway's exposition with per-path series can be a few MB; more is a misconfigured URL.
MAX_BODY_BYTES: Final = 16 * 1024 * 1024
# Pulls in flight at once: they are few and slow-paced; this only bounds a reload's burst.
MAX_CONCURRENT_PULLS: Final = 8


class PullError(Exception):
    """The endpoint could not be read (connection, status, size)."""


@dataclass(frozen=True, slots=True)
class PullOutcome:
    app_id: str
    source: str
    ok: bool
    message: str
    counts: SourceCounts | None = None  # the source's row after the pull, if it wrote one


class TrafficPoller:
    def __init__(
        self,
        config: Config,
        store: TrafficStore,
        clock: Clock = SYSTEM_CLOCK,
        *,
        metrics: TrafficMetrics | None = None,
        on_counts: OnCounts | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._config = config
        self._store = store
        self._clock = clock
        self._metrics = metrics
        self._publish = Publisher(store, lambda: self._config, metrics=metrics,
                                  on_counts=on_counts)
        self._session = session
        self._own_session = session is None
        self._tasks: dict[str, tuple[TrafficSource, asyncio.Task[None]]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._scrapes: dict[str, ScrapeState | None] = {}
        self._gate = asyncio.Semaphore(MAX_CONCURRENT_PULLS)
        self._running = False

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Fill today's gauges from the store, then start one pull loop per app."""
        if self._metrics is not None:
            await self._metrics.load_today(self._store, self._config)
        self._running = True
        self._sync_tasks()

    async def stop(self) -> None:
        self._running = False
        tasks = [task for _, task in self._tasks.values()]
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    def apply_config(self, config: Config) -> None:
        """Swap in a reloaded config: apps whose source changed restart, removed ones stop."""
        self._config = config
        if self._metrics is not None:
            self._metrics.set_timezone(config.service.timezone)
            self._metrics.forget(app.id for app in config.apps)
        if self._running:
            self._sync_tasks()

    def _sync_tasks(self) -> None:
        wanted = {app.id: app.traffic for app in self._config.apps if app.traffic is not None}
        for app_id, (source, task) in list(self._tasks.items()):
            if wanted.get(app_id) != source:
                task.cancel()
                del self._tasks[app_id]
                self._scrapes.pop(app_id, None)  # re-read: the fingerprint may have changed
        for app_id, source in wanted.items():
            if app_id not in self._tasks:
                task = asyncio.create_task(self._loop(app_id, source.interval_s),
                                           name=f"traffic-{app_id}")
                self._tasks[app_id] = (source, task)

    async def _loop(self, app_id: str, interval_s: float) -> None:
        while True:
            app = self._config.app(app_id)
            if app is None or app.traffic is None:
                return
            await self.poll_app(app, self._clock.now())
            await asyncio.sleep(interval_s)

    # --- pulls -------------------------------------------------------------------------------

    async def poll_once(self, now: float | None = None) -> dict[str, PullOutcome]:
        """Pull every app with a source once, concurrently; outcomes by app id."""
        at = self._clock.now() if now is None else now
        apps = [app for app in self._config.apps if app.traffic is not None]
        outcomes = await asyncio.gather(*(self.poll_app(app, at) for app in apps))
        return {outcome.app_id: outcome for outcome in outcomes}

    async def poll_app(self, app: AppConfig, now: float) -> PullOutcome:
        source = app.traffic
        assert source is not None
        kind = PROMETHEUS if source.prometheus is not None else JSON
        lock = self._locks.setdefault(app.id, asyncio.Lock())
        async with lock, self._gate:
            try:
                outcome = await (self._prometheus(app, source, now) if kind == PROMETHEUS
                                 else self._json(app, source, now))
            except (PullError, ValueError, StorageError) as exc:
                return self._failed(app, kind, str(exc))
            except Exception as exc:  # a pull must never take the loop down
                log.exception("traffic_pull_crashed", app=app.id, source=kind)
                return self._failed(app, kind, f"internal error: {exc}")
        if outcome.counts is not None:
            await self._publish.written([outcome.counts])
        return outcome

    async def _prometheus(self, app: AppConfig, source: TrafficSource, now: float
                          ) -> PullOutcome:
        spec = source.prometheus
        assert spec is not None
        text = (await self._fetch(spec.url, source)).decode("utf-8", errors="replace")
        pv = prometheus.read_metric(text, spec.pv_metric, spec.labels)
        uv = None if spec.uv_metric is None else prometheus.read_metric(
            text, spec.uv_metric, spec.labels)
        if app.id not in self._scrapes:
            self._scrapes[app.id] = await self._store.load_scrape(app.id)
        result = prometheus.apply_scrape(app.id, self._scrapes[app.id],
                                         prometheus.fingerprint(spec), pv, uv,
                                         now=now, tz=self._tz)
        updates = [] if result.update is None else [result.update]
        rows = await self._store.save_scrape(app.id, result.state, updates)
        self._scrapes[app.id] = result.state
        message = "baseline set" if result.baseline_only else "ok"
        return PullOutcome(app.id, PROMETHEUS, True, message, rows[0] if rows else None)

    async def _json(self, app: AppConfig, source: TrafficSource, now: float) -> PullOutcome:
        spec = source.json
        assert spec is not None
        body = await self._fetch(spec.url, source)
        day, pv, uv = jsonstat.read_stats(body, spec, day_of(now, self._tz))
        [row] = await self._store.record([CountsUpdate(app.id, day, JSON, pv, uv)])
        return PullOutcome(app.id, JSON, True, "ok", row)

    async def _fetch(self, url: str, source: TrafficSource) -> bytes:
        session = self._session_for_pulls()
        headers = {"User-Agent": USER_AGENT, **source.headers}
        timeout = aiohttp.ClientTimeout(total=source.timeout_s)
        try:
            async with session.get(url, headers=headers, timeout=timeout) as resp:
                if resp.status != 200:
                    raise PullError(f"HTTP status {resp.status} from {mask_url(url)}")
                body = await resp.content.read(MAX_BODY_BYTES + 1)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            _, message = classify(exc)
            raise PullError(f"{mask_url(url)}: {message}") from None
        if len(body) > MAX_BODY_BYTES:
            raise PullError(f"answer of {mask_url(url)} is larger than {MAX_BODY_BYTES} bytes")
        return body

    def _session_for_pulls(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    def _failed(self, app: AppConfig, kind: str, message: str) -> PullOutcome:
        log.warning("traffic_pull_failed", app=app.id, source=kind, error=message)
        if self._metrics is not None:
            self._metrics.pull_failures.labels(app.id, kind).inc()
        return PullOutcome(app.id, kind, False, message)

    @property
    def _tz(self) -> ZoneInfo:
        return ZoneInfo(self._config.service.timezone)
