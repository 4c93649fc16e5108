"""Running the service in the foreground until a signal (`run`, `demo`)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from pathlib import Path

import structlog

from monitor.service import Service

log = structlog.get_logger("service")


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
