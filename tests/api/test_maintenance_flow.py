"""Maintenance end to end: probes keep running, no incident opens, nothing is sent, and the
window is recorded; once it ends, the still-failing app opens an incident."""

from __future__ import annotations

import dataclasses
import datetime as dt

from monitor.core.config.model import MaintenanceWindow
from monitor.service import Service
from tests.api.conftest import SetClock, run_checks
from tests.support.clocks import T0
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat()


async def test_no_incident_and_nothing_sent_during_a_window(
    service: Service, target: Target, hook: WebhookReceiver, clock: SetClock,
) -> None:
    window = MaintenanceWindow(id="kq-oa-upgrade", apps=("kq-oa",), start=iso(T0 - 60),
                               end=iso(T0 + 600), reason="系统升级")
    service.alerts.apply_config(dataclasses.replace(service.config, maintenance=(window,)))
    target.status = 503
    for _ in range(4):
        await run_checks(service)
        await service.alerts.tick_all()
        clock.advance(60)
    await service.outbox.run_once()
    assert await service.alerts.list_incidents() == []
    assert hook.received == []
    state = service.ledger.check_state("kq-oa", "home")
    assert state is not None
    assert state.runs_total == 4  # the probes kept running
    [recorded] = await service.alerts._store.maintenance_between(T0 - 3600, T0 + 3600)
    assert (recorded.window_id, recorded.start, recorded.end) == ("kq-oa-upgrade", T0 - 60,
                                                                  T0 + 600)

    clock.advance(600 - 240)  # the window is over and the app is still down
    await run_checks(service)
    await service.outbox.run_once()
    [incident] = await service.alerts.list_incidents()
    assert incident.started_at == T0  # the streak began inside the window
    assert [r.body["event"] for r in hook.received] == ["incident.opened"]
