"""The connectivity guard: is the monitor itself cut off from the network?

Every `service.connectivity.interval` the guard tries each target (`tcp://host:port`: a TCP
connect; an http(s) URL: any HTTP answer, whatever its status). When every target fails, the
monitor is cut off: from the start of that guard run until a guard run reaches a target again,
failed app runs are `unknown` (monitor.ownfaults), no app incident opens, and one incident of
kind `monitor` (监测服务网络中断) is opened and sent through every channel; the outbox keeps what
cannot be sent yet. Incidents already open keep their SLA clocks: a real outage stays real.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Final
from urllib.parse import urlsplit

import structlog

from monitor.core.clock import Clock
from monitor.core.config.model import ConnectivityConfig, Defaults
from monitor.core.i18n import error_label
from probes.base import ErrorKind, ProbeResult
from probes.context import ProbeContext, ProbeResources
from probes.http import HttpSpec
from probes.registry import PROBE_KINDS, ProbeKind, run_probe
from probes.specs_http import HttpExpect
from probes.tcp import TcpSpec

log = structlog.get_logger("connectivity")

# An HTTP target that answered at all is reachable: any status code will do.
ANY_STATUS: Final = HttpExpect(status=tuple(range(100, 600)))
# Blind periods remembered for judging runs that ended after the guard moved on.
PERIODS_KEPT: Final = 64

CutOff = Callable[[float, str], Awaitable[Any]]  # (since, summary)
Restored = Callable[[float], Awaitable[Any]]  # (at)


def _target(target: str, defaults: Defaults) -> tuple[ProbeKind, Any]:
    parts = urlsplit(target)
    if parts.scheme == "tcp":
        spec: Any = TcpSpec(host=parts.hostname or "", port=parts.port or 0,
                            ip_version=defaults.ip_version)
        return PROBE_KINDS["tcp"], spec
    spec = HttpSpec(url=target, expect=ANY_STATUS, tls_verify=False, max_redirects=0,
                    follow_redirects=False, proxy=defaults.proxy, ip_version=defaults.ip_version)
    return PROBE_KINDS["http"], spec


class ConnectivityGuard:
    def __init__(
        self,
        config: ConnectivityConfig,
        defaults: Defaults,
        resources: ProbeResources,
        clock: Clock,
        *,
        language: str,
        on_cut_off: CutOff,
        on_restored: Restored,
    ) -> None:
        self.config = config
        self._targets = [(target, *_target(target, defaults)) for target in config.targets]
        self._resources = resources
        self._clock = clock
        self._language = language
        self._on_cut_off = on_cut_off
        self._on_restored = on_restored
        # (start, end) of each blind period, newest last; end None while it lasts.
        self._periods: deque[tuple[float, float | None]] = deque(maxlen=PERIODS_KEPT)
        self._task: asyncio.Task[None] | None = None

    @property
    def cut_off(self) -> bool:
        return bool(self._periods) and self._periods[-1][1] is None

    def cut_off_at(self, when: float) -> bool:
        """Whether the monitor was cut off at wall-clock time `when`."""
        return any(start <= when and (end is None or when < end) for start, end in self._periods)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="connectivity-guard")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # the guard must outlive any one failed round
                log.exception("connectivity_guard_failed")
            await asyncio.sleep(self.config.interval_s)

    async def run_once(self) -> bool:
        """One round over the targets; True when the monitor reached at least one."""
        started = self._clock.now()
        ctx = ProbeContext(self.config.timeout_s, self._resources, self._clock)
        results = await asyncio.gather(
            *(run_probe(kind, spec, ctx) for _, kind, spec in self._targets)
        )
        if any(_reached(result) for result in results):
            if self.cut_off:
                now = self._clock.now()
                self._periods[-1] = (self._periods[-1][0], now)
                log.warning("connectivity_restored", since=self._periods[-1][0])
                await self._on_restored(now)
            return True
        if not self.cut_off:
            self._periods.append((started, None))
            summary = "; ".join(
                f"{target}: {error_label(self._language, r.error_kind) or r.message}"
                for (target, _, _), r in zip(self._targets, results, strict=True)
            )
            log.error("connectivity_lost", targets=len(self._targets), summary=summary)
            await self._on_cut_off(started, summary)
        return False


def _reached(result: ProbeResult) -> bool:
    """A target answered. A monitor-side failure (descriptors...) proves nothing either way;
    it counts as reached, so that it is not taken for a cut-off network."""
    return result.ok or result.error_kind is ErrorKind.MONITOR
