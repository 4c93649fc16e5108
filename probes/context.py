"""What a probe run is given: its timeout and the long-lived resources probes share."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.core.clock import SYSTEM_CLOCK, Clock
from probes.base import ErrorKind
from probes.errors import ProbeError
from probes.httptransport import HttpTransport

SslKey = tuple[bool, str | None]  # (verify the peer, extra CA file)


class ProbeResources:
    """Long-lived things probes share, built once by the composition root.

    SSL contexts are cached because building one (loading the CA store) costs tens of
    milliseconds of CPU, far more than a probe run; `prepare_ssl` builds the ones a config
    needs when it is loaded, so no run ever builds one on the event loop.
    """

    def __init__(self, user_agent: str, max_body_bytes: int) -> None:
        self.user_agent = user_agent
        self.max_body_bytes = max_body_bytes
        self.http = HttpTransport(user_agent)
        self._ssl: dict[SslKey, ssl.SSLContext] = {}

    def ssl_context(self, verify: bool = True, ca_file: str | None = None) -> ssl.SSLContext:
        key = (verify, ca_file)
        ctx = self._ssl.get(key)
        if ctx is None:
            ctx = self._ssl[key] = _build_ssl_context(verify, ca_file)
        return ctx

    def ssl_context_for_run(self, verify: bool = True, ca_file: str | None = None
                            ) -> ssl.SSLContext:
        """ssl_context() inside a probe run: a CA file that cannot be loaded (removed or
        broken since the config was loaded) is this monitor's fault, not the app's, so the run
        ends `unknown` instead of blaming the app."""
        try:
            return self.ssl_context(verify, ca_file)
        except (ssl.SSLError, OSError) as exc:
            raise ProbeError.because(ErrorKind.MONITOR, "monitor.ca_file", path=ca_file or "",
                                     detail=getattr(exc, "reason", None) or exc) from exc

    async def prepare_ssl(self, keys: Iterable[SslKey]) -> None:
        """Build the contexts for `keys` in a worker thread, so that no probe run builds one
        on the event loop (a config load or reload calls this before scheduling)."""
        missing = sorted({key for key in keys if key not in self._ssl}, key=str)
        if not missing:
            return
        built = await asyncio.to_thread(lambda: [_try_build(*key) for key in missing])
        for key, ctx in zip(missing, built, strict=True):
            if ctx is not None:  # else the runs report it (ssl_context_for_run)
                self._ssl.setdefault(key, ctx)

    async def close(self) -> None:
        """Close the HTTP sessions (service shutdown, end of a command)."""
        await self.http.close()


def _try_build(verify: bool, ca_file: str | None) -> ssl.SSLContext | None:
    try:
        return _build_ssl_context(verify, ca_file)
    except (ssl.SSLError, OSError):
        return None


def _build_ssl_context(verify: bool, ca_file: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context()  # the system store...
    if ca_file:
        ctx.load_verify_locations(cafile=ca_file)  # ...plus a private CA, not instead
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


@dataclass(frozen=True, slots=True)
class ProbeContext:
    """Per-run context: the run's timeout and the shared resources."""

    timeout_s: float
    resources: ProbeResources
    clock: Clock = field(default_factory=lambda: SYSTEM_CLOCK)

    def deadline(self) -> float:
        """Monotonic time by which the run must end."""
        return time.monotonic() + self.timeout_s
