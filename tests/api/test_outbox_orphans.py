"""A notifier removed from the config: its pending deliveries are dropped with the reason (a
worker for it will never run again), not left pending forever; the others are untouched."""

from __future__ import annotations

import re
from pathlib import Path

from monitor.service import Service
from tests.api.conftest import SetClock, config_yaml, open_incident
from tests.support.receivers import WebhookReceiver
from tests.support.target import Target, write_config


async def test_pending_deliveries_of_a_removed_notifier_are_dropped(
        service: Service, target: Target, hook: WebhookReceiver, clock: SetClock,
        tmp_path: Path) -> None:
    incident_id = await open_incident(service, target, clock)  # queued for "hook", not sent
    (pending,) = await service.alert_store.deliveries_for(incident_id)
    assert pending.state.value == "pending"

    text = config_yaml(tmp_path, target, hook)
    text = re.sub(r"\nnotifiers:\n(?:  .*\n)+", "\n", text)
    text = text.replace('notify: ["hook"]', "notify: []")
    assert "kind: \"webhook\"" not in text
    assert await service.reload(write_config(tmp_path, text, name="without-hook.yaml"))

    (dropped,) = await service.alert_store.deliveries_for(incident_id)
    assert dropped.state.value == "dropped"
    assert dropped.last_error == "notifier removed from the config"
    assert dropped.finished_at == clock.now()
    assert await service.alert_store.pending_counts() == {}
    assert hook.hits == 0
