"""Warnings (预警): a check that passes but warns, such as a certificate close to expiry.

Nothing is broken and nobody can renew a certificate within the hour, so a warning is not an
outage: one incident of kind `warning` with no SLA clocks, told to the app's robots and owner
(not the on-call chain) when it opens, and again each time the time left falls under one of
`Policy.warning_reminders_s` (30, 14, 7, 3 and 1 days by default). It is resolved when the
warning goes away (a renewed certificate) and becomes an outage when the check fails for real
(the certificate expired); alerting.engine does those two.
"""

from __future__ import annotations

import dataclasses

from alerting.engineio import (
    Action,
    CheckRef,
    CheckSituation,
    Notify,
    Observation,
    Policy,
    SaveIncident,
    incident_id,
)
from alerting.model import (
    CheckAlertState,
    Entry,
    Event,
    Incident,
    IncidentKind,
    IncidentState,
    TimelineEntry,
)


def counted_pass(check: CheckAlertState) -> CheckAlertState:
    """A warning is a pass as far as the up/down counters go."""
    return dataclasses.replace(
        check, consecutive_passes=check.consecutive_passes + 1, consecutive_failures=0,
        first_failure_at=None,
    )


def on_warning(
    situation: CheckSituation, result: Observation, ref: CheckRef, policy: Policy, now: float
) -> tuple[CheckSituation, list[Action]]:
    check = counted_pass(situation.check)
    active = situation.active
    if active is not None:  # already warned: keep its facts current, say nothing new
        expires_at = result.expires_at if result.expires_at is not None else active.expires_at
        updated = dataclasses.replace(active, summary=result.summary, expires_at=expires_at)
        if updated == active:
            return dataclasses.replace(situation, check=check), []
        return CheckSituation(check, updated, situation.last_resolved), [SaveIncident(updated)]
    if policy.in_maintenance:
        return dataclasses.replace(situation, check=check), []
    incident = Incident(
        id=incident_id(ref, now), app_id=ref.app_id, app_name=ref.app_name,
        check_id=ref.check_id, severity=policy.severity, state=IncidentState.OPEN,
        summary=result.summary, started_at=result.at, opened_at=now, source=ref.source,
        check_name=ref.check_name, check_kind=ref.check_kind,
        address=result.address, kind=IncidentKind.WARNING, expires_at=result.expires_at,
        # Thresholds already passed when it opens are not reminded of afterwards.
        warnings_sent=_thresholds_passed(result.expires_at, policy, now),
        timeline=(TimelineEntry(now, Entry.OPENED, note=result.summary),),
        last_notified_at=now,
    )
    check = dataclasses.replace(check, incident_id=incident.id)
    return CheckSituation(check, incident, None), [
        SaveIncident(incident), Notify(incident, Event.OPENED, "warning", policy.warning_targets)
    ]


def tick(incident: Incident, policy: Policy, now: float) -> tuple[Incident, list[Action]]:
    """Remind once for each threshold the time left has fallen under since the last reminder."""
    if policy.in_maintenance:
        return incident, []
    passed = _thresholds_passed(incident.expires_at, policy, now)
    if passed <= incident.warnings_sent:
        return incident, []
    days = round(policy.warning_reminders_s[passed - 1] / 86400)
    reminded = incident.with_entry(
        TimelineEntry(now, Entry.REMINDER, note=f"{days}d"), warnings_sent=passed,
        last_notified_at=now,
    )
    return reminded, [SaveIncident(reminded), Notify(reminded, Event.REMINDER,
                                                     f"warning-{days}d", policy.warning_targets)]


def _thresholds_passed(expires_at: float | None, policy: Policy, now: float) -> int:
    if expires_at is None:
        return 0
    left = expires_at - now
    return sum(1 for threshold in policy.warning_reminders_s if left <= threshold)
