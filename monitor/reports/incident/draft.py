"""The draft analysis report written when an incident resolves.

    paths = await write_incident_draft(config, ledger, store, incident.id, data_dir)
    # -> (data_dir/reports/incident-<id>.html, data_dir/reports/incident-<id>.json)

The on-call engineer gets a report with the machine-known sections filled (timeline, SLA,
symptoms, impact) and the human ones marked "待填写" with the note to add through the API;
after adding notes, `report incident --id ...` (or another call here) regenerates it. The
service calls this after the resolve is committed, off the alerting lock: it reads the store
like any other reader. A later call overwrites the files (a reopened and re-resolved incident
gets a fresh draft).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import structlog

from alerting.model import Incident
from alerting.store import AlertStore
from monitor.core.clock import Clock
from monitor.core.config.model import Config
from monitor.ledger.types import Ledger
from monitor.reports.files import incident_path, json_bytes, write_atomic
from monitor.reports.incident.build import build_incident_report
from monitor.reports.incident.jsonview import incident_report_json
from monitor.reports.incident.model import IncidentReport
from monitor.reports.render import render_incident_html

log = structlog.get_logger("reports")


async def write_incident_draft(
    config: Config,
    ledger: Ledger,
    store: AlertStore,
    incident_id: str,
    data_dir: Path | str,
    *,
    now: float | None = None,
) -> tuple[Path, Path] | None:
    """Write the draft (HTML and JSON) of one incident; None if the id is unknown.

    Raises what reading (StorageError) or writing (OSError) raises: the caller decides whether
    a failed draft matters (the service should log it and carry on)."""
    at = time.time() if now is None else now
    report = await build_incident_report(config, ledger, store, incident_id, at)
    if report is None:
        return None
    html_path = incident_path(data_dir, incident_id, "html")
    json_path = incident_path(data_dir, incident_id, "json")
    # Rendering and fsync are blocking: off the event loop (an incident page is milliseconds
    # of CPU, unlike a thousand-app PDF, so a thread is enough).
    await asyncio.to_thread(_write, report, html_path, json_path)
    log.info("incident_draft_written", incident=incident_id, path=str(html_path))
    return html_path, json_path


def _write(report: IncidentReport, html_path: Path, json_path: Path) -> None:
    write_atomic(json_path, json_bytes(incident_report_json(report)))
    write_atomic(html_path, render_incident_html(report, draft=True).encode("utf-8"))


class DraftOnResolve:
    """A subscriber to incident changes: a resolved incident gets its draft analysis report.
    Writing happens in a task of its own; a report must never hold up or break alerting."""

    def __init__(self, config: Callable[[], Config], ledger: Ledger, store: AlertStore,
                 clock: Clock) -> None:
        self._config = config
        self._ledger = ledger
        self._store = store
        self._clock = clock
        self._tasks: set[asyncio.Task[None]] = set()

    def active_changed(self, active: dict[str, Incident]) -> None:
        """Not needed here (the subscriber protocol has it)."""

    def incident_changed(self, before: Incident | None, after: Incident) -> None:
        resolved_now = before is not None and before.resolved_at is None \
            and after.resolved_at is not None
        if resolved_now:
            task = asyncio.get_running_loop().create_task(self._write(after.id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _write(self, incident_id: str) -> None:
        config = self._config()
        try:
            await write_incident_draft(config, self._ledger, self._store, incident_id,
                                       config.service.data_dir, now=self._clock.now())
        except Exception:  # a report must never break alerting
            log.exception("incident_draft_failed", incident=incident_id)

    async def drain(self) -> None:
        """Wait for drafts being written (service stop)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
