"""View models: config + ledger state -> the JSON and page shapes of CONTRACT.md §3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from monitor.core.config.model import CheckConfig, Config
from monitor.ledger.types import CheckState

CheckKey = tuple[str, str]


def iso(ts: float | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 with offset in the service's time zone, as the contract asks."""
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


def check_status(state: CheckState | None) -> str:
    """up, down, or unknown: never run yet, or the monitor could not tell on the last run."""
    if state is None or state.last_ok is None or state.last_unknown:
        return "unknown"
    return "up" if state.last_ok else "down"


def app_status(check_statuses: list[str]) -> str:
    """Down if any check is down; up only when every check has run and passed."""
    if "down" in check_statuses:
        return "down"
    if not check_statuses or "unknown" in check_statuses:
        return "unknown"
    return "up"


def check_view(check: CheckConfig, state: CheckState | None, tz: ZoneInfo,
               lang: str) -> dict[str, Any]:
    return {
        "id": check.id,
        "kind": check.kind,
        "name": check.name,  # as configured (None when unnamed)
        "title": check.title(lang),  # what people read: the name, else the kind's name
        "status": check_status(state),
        "last_run_at": iso(state.last_run_at, tz) if state else None,
        "latency_ms": (round(state.last_latency_s * 1000, 1)
                       if state and state.last_latency_s is not None else None),
        "error_kind": state.last_error_kind if state else None,
        "message": state.last_message if state else None,
        "status_code": state.last_status_code if state else None,
        "cert_days_left": (round(state.cert_days_left, 1)
                           if state and state.cert_days_left is not None else None),
        "consecutive_failures": state.consecutive_failures if state else 0,
        "since": iso(state.last_change_at, tz) if state else None,
    }


def apps_view(config: Config, states: Mapping[CheckKey, CheckState]) -> list[dict[str, Any]]:
    tz, lang = ZoneInfo(config.service.timezone), config.service.language
    apps = []
    for app in config.apps:
        checks = [check_view(c, states.get((app.id, c.id)), tz, lang) for c in app.checks]
        apps.append({
            "id": app.id,
            "name": app.name,
            "department": app.department,
            "category": app.category,
            "tier": app.tier,
            "status": app_status([c["status"] for c in checks]),
            "checks": checks,
        })
    return apps
