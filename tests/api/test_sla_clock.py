"""SLA clocks are driven by the timer, not by the next probe: with no further probe runs,
ticking past 15 minutes flags the response breach (and reminders go out), past 1 hour the
resolution breach; both stay true and show in the API and metrics."""

from __future__ import annotations

from monitor.service import Service
from tests.api.conftest import Api, SetClock, open_incident
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target


async def test_breaches_flip_on_the_timer(
    service: Service, api: Api, target: Target, hook: WebhookReceiver, clock: SetClock,
) -> None:
    incident_id = await open_incident(service, target, clock)
    clock.advance(899)
    await service.alerts.tick_all()
    _, body = await api.get(f"/api/v1/incidents/{incident_id}")
    assert body["response_breached"] is False

    clock.advance(1)  # exactly 15 minutes after opening; no probe has run since
    await service.alerts.tick_all()
    _, body = await api.get(f"/api/v1/incidents/{incident_id}")
    assert body["response_breached"] is True
    assert body["resolution_breached"] is False
    breach = next(e for e in body["timeline"] if e["type"] == "response_breached")
    assert breach["at"] == "2025-11-25T00:16:00+08:00"

    clock.advance(3600 - 900)
    await service.alerts.tick_all()
    _, body = await api.get(f"/api/v1/incidents/{incident_id}")
    assert body["resolution_breached"] is True
    assert body["state"] == "open"
    await service.outbox.run_once()
    events = [r.body["event"] for r in hook.received]
    assert events[0] == "incident.opened"
    assert "incident.reminder" in events  # every 30 min by default while unresolved
    metrics = service.metrics.exposition().decode()
    assert 'appmon_sla_breaches_total{severity="critical",sla="response"} 1.0' in metrics
    assert 'appmon_sla_breaches_total{severity="critical",sla="resolution"} 1.0' in metrics
