"""The composition root: builds every part once (ledger, metrics, probe resources, scheduler,
HTTP server) and passes it down. `run` / `demo` / `bench` all start the service through here.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from pathlib import Path

import structlog
from aiohttp import web

from monitor.api.server import build_app
from monitor.api.state import ServiceState
from monitor.config import ConfigError, load_config
from monitor.config.model import Config
from monitor.constants import DEFAULT_MAX_BODY_BYTES, USER_AGENT
from monitor.ledger import SqliteLedger
from monitor.ledger.types import Ledger
from monitor.metrics import Metrics
from monitor.scheduler import Scheduler
from probes.base import SYSTEM_CLOCK, Clock, ProbeResources
from probes.httppool import close_shared_pool

log = structlog.get_logger("service")

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
    ) -> None:
        self.config = config
        self.clock = clock
        self.metrics = Metrics()
        self.resources = ProbeResources(USER_AGENT, DEFAULT_MAX_BODY_BYTES)
        self._ledger = ledger
        self._serve_http = serve_http
        self._extra_routes = extra_routes
        self._runner: web.AppRunner | None = None
        self._scheduler: Scheduler | None = None
        self._state: ServiceState | None = None
        self.bound_port: int | None = None

    @property
    def ledger(self) -> Ledger:
        assert self._ledger is not None, "service not started"
        return self._ledger

    @property
    def scheduler(self) -> Scheduler:
        assert self._scheduler is not None, "service not started"
        return self._scheduler

    async def start(self) -> None:
        service = self.config.service
        if self._ledger is None:
            self._ledger = await SqliteLedger.open(
                Path(service.data_dir), raw_retention_s=service.raw_retention_s, clock=self.clock
            )
        self.metrics.add_ledger(self._ledger)
        self._scheduler = Scheduler(
            ledger=self._ledger, metrics=self.metrics, resources=self.resources,
            clock=self.clock, max_concurrency=service.max_concurrency,
        )
        self._scheduler.apply(self.config)
        self._mark_loaded(success=True)
        self._state = ServiceState(self.config, self._ledger, self.metrics, self.clock.now())
        if self._serve_http:
            await self._start_http()
        self._scheduler.start()
        log.info("service_started", checks=len(list(self._scheduler.checks())),
                 listen=service.listen, data_dir=service.data_dir)

    async def _start_http(self) -> None:
        assert self._state is not None
        self._runner = web.AppRunner(build_app(self._state, self._extra_routes),
                                     access_log=None, handle_signals=False)
        await self._runner.setup()
        host, port = split_listen(self.config.service.listen)
        site = web.TCPSite(self._runner, host, port)
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
        diff = self.scheduler.apply(new)
        if diff.removed:
            await self.ledger.forget(set(diff.removed))
        self.config = new
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
        if self._scheduler is not None:
            await self._scheduler.shutdown()
        close_shared_pool(self.resources)
        if self._runner is not None:
            await self._runner.cleanup()
        if self._ledger is not None:
            await self._ledger.close()
        log.info("service_stopped")


async def serve_until_signalled(
    service: Service,
    config_path: Path,
    *,
    on_ready: Callable[[], None] | None = None,
    duration_s: float | None = None,
) -> None:
    """Run until SIGTERM/SIGINT (or `duration_s`), then stop the service.

    SIGHUP reloads the config from `config_path`. `on_ready` runs once the signal handlers are
    in place, so whatever it announces can already be stopped with Ctrl-C.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    reloads: set[asyncio.Task[bool]] = set()

    def on_hup() -> None:
        task = loop.create_task(service.reload(config_path))
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP, on_hup)
    try:
        if on_ready is not None:
            on_ready()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), duration_s)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        log.info("service_stopping")
        await service.stop()
