"""Reachability now, from the checks' current state in the ledger, with the API's words
(monitor.api.views): an app is down if any check is down, up only when every check passed its
last run, unknown otherwise."""

from __future__ import annotations

from collections.abc import Mapping

from monitor.api.views import app_status, check_status
from monitor.core.config.model import AppConfig
from monitor.governance.inventory.model import CheckReach, Reachability
from monitor.ledger.types import CheckKey, CheckState


def reachability(app: AppConfig, states: Mapping[CheckKey, CheckState]) -> Reachability:
    checks = []
    for check in app.checks:
        state = states.get((app.id, check.id))
        checks.append(CheckReach(
            check.id, check.kind, check_status(state),
            state.last_change_at if state else None,
            state.last_run_at if state else None,
            (state.last_message or None) if state else None,
        ))  # fmt: skip
    status = app_status([c.status for c in checks])
    changes = [c.since for c in checks if c.since is not None and c.status == status]
    since = None
    if status == "down" and changes:
        since = min(changes)  # down since its first check went down
    elif status == "up" and changes:
        since = max(changes)  # every check up since the last one came back
    return Reachability(status, since, tuple(checks))
