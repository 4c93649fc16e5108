"""What the scheduled reports share (monthly, quarterly): the wait for the next run, the
catch-up after a start, a failing run that does not end the schedule, and the mail retried
from the files already written.

    class MonthlyReportJob(ReportJob[MonthlyRun]):
        kind = "monthly"                       # log events monthly_report_written, ...
        def next_run(self, now) -> float: ...
        def missed(self, now) -> bool: ...
        async def _run(self, now, *, catch_up) -> MonthlyRun: ...
        def _fields(self, run) -> dict: ...    # {"month": run.month} for the log lines
"""

from __future__ import annotations

import abc
import asyncio
import time
from dataclasses import replace
from email.message import EmailMessage
from typing import Any, Final, Generic, Protocol, TypeVar

import structlog

from alerting.notifiers.email import EmailSpec
from monitor.core.clock import Clock
from monitor.reports.monthly.mail import send_message

log = structlog.get_logger("reports")

MAIL_ATTEMPTS: Final = 4
MAIL_RETRY_S: Final = 600.0  # a mail relay restart or a full queue passes within minutes
# Sleep in slices so a wall-clock jump (NTP step, suspended VM) delays a run by at most this.
MAX_SLEEP_S: Final = 300.0


class MailedRun(Protocol):
    """A run's outcome as far as mailing goes (a frozen dataclass)."""

    @property
    def recipients(self) -> tuple[str, ...]: ...
    @property
    def mail_error(self) -> str | None: ...
    @property
    def message(self) -> EmailMessage | None: ...


RunT = TypeVar("RunT", bound=MailedRun)


class ReportJob(abc.ABC, Generic[RunT]):
    kind: str  # "monthly", "quarterly": the prefix of the log events

    def __init__(self, *, clock: Clock, email_spec: EmailSpec | None,
                 mail_retry_s: float) -> None:
        self._clock = clock
        self._spec = email_spec
        self._mail_retry_s = mail_retry_s

    @abc.abstractmethod
    def next_run(self, now: float) -> float: ...

    @abc.abstractmethod
    def missed(self, now: float) -> bool:
        """Whether the last scheduled run is recent and its report was never written."""

    @abc.abstractmethod
    async def _run(self, now: float, *, catch_up: bool) -> RunT:
        """Build, write and mail one report (`catch_up`: the run missed while down)."""

    @abc.abstractmethod
    def _fields(self, run: RunT | None, now: float) -> dict[str, Any]:
        """What the log lines say of the run (or of the run due at `now`, when it failed)."""

    async def send(self, run: RunT) -> RunT:
        """(Re)send a run's message; the result says whether it went."""
        if self._spec is None or run.message is None:
            return run
        error = await send_message(run.message, self._spec, run.recipients)
        if error is None:
            log.info(f"{self.kind}_report_mailed", **self._fields(run, 0.0),
                     recipients=len(run.recipients))
        else:
            log.warning(f"{self.kind}_report_mail_failed", **self._fields(run, 0.0),
                        error=error)
        return replace(run, mail_error=error)  # type: ignore[type-var]  # a dataclass

    async def run_forever(self) -> None:
        """Catch up a missed run, then run at every scheduled time until cancelled. A failing
        run is logged and does not stop later ones."""
        if self.missed(self._clock.now()):
            await self._run_logged(self._clock.now(), catch_up=True)
        while True:
            stop_if_cancelled()
            due = self.next_run(self._clock.now())
            await self._sleep_until(due)
            await self._run_logged(due, catch_up=False)

    async def _sleep_until(self, due: float) -> None:
        while True:
            left = due - self._clock.now()
            if left <= 0:
                return
            await asyncio.sleep(min(left, MAX_SLEEP_S))

    async def _run_logged(self, now: float, *, catch_up: bool) -> None:
        started = time.monotonic()
        try:
            run = await self._run(now, catch_up=catch_up)
        except Exception:  # a bad period must not end the schedule: log it, try the next
            log.exception(f"{self.kind}_report_failed", **self._fields(None, now))
            return
        log.info(f"{self.kind}_report_done", **self._fields(run, now),
                 seconds=round(time.monotonic() - started, 2))
        for _ in range(MAIL_ATTEMPTS - 1):
            stop_if_cancelled()
            if run.mail_error is None:
                break
            await asyncio.sleep(self._mail_retry_s)
            run = await self.send(run)


def stop_if_cancelled() -> None:
    """Raise CancelledError if this task was cancelled and the cancel got lost on the way.

    Python 3.11's asyncio.wait_for (which aiosmtplib awaits each SMTP reply with) drops a
    cancel that arrives just as the reply does; the job would then go on to sleep until the
    next period and hold up the service's shutdown. The request is still counted on the task."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
