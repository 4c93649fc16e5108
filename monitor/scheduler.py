"""Runs every check on its interval with APScheduler's asyncio scheduler.

One job per check. First runs are spread over the interval by a stable hash of the check's key
(no thundering herd after a start or reload). A run still going when the next is due makes
APScheduler skip that run (`max_instances=1`): we count it as missed, never queue it. A global
semaphore caps runs in flight. Lateness = start time minus the time the run was due.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

import structlog
from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from structlog.contextvars import bound_contextvars

from monitor.config.model import AppConfig, CheckConfig, Config
from monitor.ledger.types import Ledger
from monitor.metrics import CheckLabels, CheckSeries, Metrics
from probes.base import Clock, ProbeContext, ProbeResources, ProbeResult
from probes.registry import PROBE_KINDS, ProbeKind, run_probe

log = structlog.get_logger("scheduler")

CheckKey = tuple[str, str]
ResultHook = Callable[["ScheduledCheck", ProbeResult], None]
# Lateness samples kept for `stats()` (benchmarks, the console): bounded memory.
LATENESS_SAMPLES: Final = 100_000


@dataclass
class ScheduledCheck:
    """A check as the scheduler runs it: its config plus what it needs at run time."""

    app: AppConfig
    check: CheckConfig
    kind: ProbeKind
    series: CheckSeries
    first_run_at: float

    @property
    def key(self) -> CheckKey:
        return (self.app.id, self.check.id)

    @property
    def job_id(self) -> str:
        return f"{self.app.id}/{self.check.id}"

    def due_at(self, now: float) -> float:
        """The scheduled time of the run that should be starting at `now`."""
        if now <= self.first_run_at:
            return self.first_run_at
        interval = self.check.interval_s
        return self.first_run_at + ((now - self.first_run_at) // interval) * interval


@dataclass
class SchedulerStats:
    runs: int = 0
    missed: int = 0
    lateness_s: deque[float] = field(default_factory=lambda: deque(maxlen=LATENESS_SAMPLES))


@dataclass(frozen=True)
class ApplyDiff:
    added: tuple[CheckKey, ...]
    removed: tuple[CheckKey, ...]
    changed: tuple[CheckKey, ...]
    unchanged: int


def check_labels(app: AppConfig, check: CheckConfig) -> CheckLabels:
    return CheckLabels(app.id, check.id, check.kind, app.department, str(app.tier))


def spread_offset(key: CheckKey, interval_s: float) -> float:
    """A stable offset in [0, interval) from the check's key: same spread after a restart."""
    return (zlib.crc32(f"{key[0]}/{key[1]}".encode()) % 10_000) / 10_000 * interval_s


class Scheduler:
    def __init__(
        self,
        *,
        ledger: Ledger,
        metrics: Metrics,
        resources: ProbeResources,
        clock: Clock,
        max_concurrency: int,
    ) -> None:
        self._ledger = ledger
        self._metrics = metrics
        self._resources = resources
        self._clock = clock
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._checks: dict[CheckKey, ScheduledCheck] = {}
        self._hooks: list[ResultHook] = []
        self._aps: AsyncIOScheduler | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._stopping = False
        self.stats = SchedulerStats()

    # ---- configuration -------------------------------------------------------------------
    def add_result_hook(self, hook: ResultHook) -> None:
        """Called with every result after it is recorded (the incident engine subscribes)."""
        self._hooks.append(hook)

    def apply(self, config: Config) -> ApplyDiff:
        """Make the scheduled checks match `config`; unchanged checks keep their job and state."""
        wanted = {(app.id, check.id): (app, check) for app, check in config.iter_checks()}
        removed = [key for key in self._checks if key not in wanted]
        added: list[CheckKey] = []
        changed: list[CheckKey] = []
        for key in removed:
            self._unschedule(key)
        for key, (app, check) in wanted.items():
            current = self._checks.get(key)
            if current is not None and _same(current, app, check):
                current.app = app  # names and owners may change without touching the schedule
                continue
            (changed if current is not None else added).append(key)
            if current is not None:
                self._unschedule(key)
            self._schedule(app, check)
        self._metrics.checks.set(len(self._checks))
        return ApplyDiff(tuple(added), tuple(removed), tuple(changed),
                         len(wanted) - len(added) - len(changed))

    def checks(self) -> Iterable[ScheduledCheck]:
        return self._checks.values()

    def _schedule(self, app: AppConfig, check: CheckConfig) -> None:
        key = (app.id, check.id)
        first = self._clock.now() + spread_offset(key, check.interval_s)
        scheduled = ScheduledCheck(
            app=app, check=check, kind=PROBE_KINDS[check.kind],
            series=self._metrics.series(check_labels(app, check)), first_run_at=first,
        )
        self._checks[key] = scheduled
        if self._aps is not None:
            self._add_job(scheduled)

    def _unschedule(self, key: CheckKey) -> None:
        scheduled = self._checks.pop(key)
        scheduled.series.remove()
        if self._aps is not None and self._aps.get_job(scheduled.job_id) is not None:
            self._aps.remove_job(scheduled.job_id)

    def _add_job(self, scheduled: ScheduledCheck) -> None:
        assert self._aps is not None
        interval = scheduled.check.interval_s
        self._aps.add_job(
            self._run_job,
            IntervalTrigger(
                seconds=interval,
                start_date=dt.datetime.fromtimestamp(scheduled.first_run_at, dt.UTC),
            ),
            args=(scheduled.key,),
            id=scheduled.job_id,
            max_instances=1,  # never overlap a check with itself
            coalesce=True,  # after a stall, run once, not a burst of catch-up runs
            misfire_grace_time=max(1, int(interval)),
        )

    # ---- running -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the timed jobs (needs a running event loop)."""
        self._aps = AsyncIOScheduler(timezone=dt.UTC)
        self._aps.add_listener(self._on_skipped, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
        for scheduled in self._checks.values():
            self._add_job(scheduled)
        self._aps.start()

    async def shutdown(self) -> None:
        """Stop scheduling and wait for runs in flight, so their results are recorded."""
        self._stopping = True
        if self._aps is not None:
            self._aps.pause()  # no new runs; shutdown() would cancel the runs in flight
        # Jobs submitted just before the pause start on the next loop turns; let them
        # either register as running or see `_stopping` and return.
        for _ in range(2):
            await asyncio.sleep(0)
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None

    async def run_once(self, app_id: str | None = None) -> list[tuple[ScheduledCheck, ProbeResult]]:
        """Run every check (or one app's) once, concurrently within the cap."""
        chosen = [s for s in self._checks.values() if app_id is None or s.app.id == app_id]
        results = await asyncio.gather(*(self._run(s, measure_lateness=False) for s in chosen))
        return list(zip(chosen, results, strict=True))

    def _on_skipped(self, event: JobEvent) -> None:
        app_id, _, check_id = event.job_id.partition("/")
        scheduled = self._checks.get((app_id, check_id))
        if scheduled is not None:
            scheduled.series.missed.inc()
            self.stats.missed += 1
            log.warning("run_missed", app=app_id, check=check_id,
                        reason="still_running" if event.code == EVENT_JOB_MAX_INSTANCES
                        else "too_late")

    async def _run_job(self, key: CheckKey) -> None:
        scheduled = self._checks.get(key)
        task = asyncio.current_task()
        if scheduled is None or self._stopping or task is None:
            return
        self._running.add(task)
        try:
            await self._run(scheduled, measure_lateness=True)
        except Exception:  # a failing hook must not reach APScheduler's own logging
            log.exception("run_failed", app=key[0], check=key[1])
        finally:
            self._running.discard(task)

    async def _run(self, scheduled: ScheduledCheck, *, measure_lateness: bool) -> ProbeResult:
        # Everything logged during this run (probe, ledger, hooks) carries the app and check.
        with bound_contextvars(app=scheduled.app.id, check=scheduled.check.id):
            return await self._run_bound(scheduled, measure_lateness=measure_lateness)

    async def _run_bound(self, scheduled: ScheduledCheck, *, measure_lateness: bool
                         ) -> ProbeResult:
        async with self._semaphore:
            if measure_lateness:
                now = self._clock.now()
                lateness = max(0.0, now - scheduled.due_at(now))
                self._metrics.lateness.observe(lateness)
                self.stats.lateness_s.append(lateness)
            ctx = ProbeContext(scheduled.check.timeout_s, self._resources, self._clock)
            self._metrics.in_flight.inc()
            try:
                result = await run_probe(scheduled.kind, scheduled.check.spec, ctx)
            finally:
                self._metrics.in_flight.dec()
        self._handle(scheduled, result)
        return result

    def _handle(self, scheduled: ScheduledCheck, result: ProbeResult) -> None:
        """Everything a result feeds, in one place: metrics, ledger, state-change log, hooks."""
        self.stats.runs += 1
        previous = self._ledger.check_state(scheduled.app.id, scheduled.check.id)
        scheduled.series.observe(result)
        self._ledger.record(scheduled.app.id, scheduled.check.id, scheduled.check.kind, result)
        if previous is None or previous.last_ok != result.ok:
            log.info("check_up" if result.ok else "check_down",
                     error_kind=result.error_kind, message=result.message)
        for hook in self._hooks:
            hook(scheduled, result)


def _same(current: ScheduledCheck, app: AppConfig, check: CheckConfig) -> bool:
    return (current.check.fingerprint() == check.fingerprint()
            and check_labels(current.app, current.check) == check_labels(app, check))
