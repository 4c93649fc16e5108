"""The incident lifecycle as pure functions: state and input in, new state and actions out.

`evaluate` handles one probe result, `tick` the passing of time (escalation, reminders, SLA
breaches), and `acknowledge` / `resolve` / `add_note` what people do. None of them performs I/O
or reads a clock: the caller (alerting.runner) persists, notifies and records metrics.
"""

from __future__ import annotations

import dataclasses

from alerting import warningincidents as warnings
from alerting.engineio import (
    Action,
    CheckRef,
    CheckSituation,
    IncidentResolvedError,
    Notify,
    Observation,
    Policy,
    SaveIncident,
    Step,
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

__all__ = [  # the engine's vocabulary lives in alerting.engineio; callers import it from here
    "Action", "CheckRef", "CheckSituation", "IncidentResolvedError", "Notify", "Observation",
    "Policy", "SaveIncident", "Step", "incident_id",
]


def evaluate(
    situation: CheckSituation, result: Observation, ref: CheckRef, policy: Policy, now: float
) -> tuple[CheckSituation, list[Action]]:
    """One probe result: count it, open / reopen / auto-resolve as the policy says."""
    active = situation.active
    if result.ok:
        if result.warning and (active is None or active.kind == IncidentKind.WARNING):
            return warnings.on_warning(situation, result, ref, policy, now)
        if active is not None and active.kind == IncidentKind.WARNING:
            return _close_warning(situation, policy, now)  # renewed: the warning is over
        return _on_pass(situation, policy, now)
    return _on_failure(situation, result, ref, policy, now)


def _on_pass(
    situation: CheckSituation, policy: Policy, now: float
) -> tuple[CheckSituation, list[Action]]:
    check = dataclasses.replace(
        situation.check, consecutive_passes=situation.check.consecutive_passes + 1,
        consecutive_failures=0, first_failure_at=None,
    )
    active = situation.active
    if active is None or active.source != "probe" or check.consecutive_passes < policy.recover:
        return dataclasses.replace(situation, check=check), []
    if _held_by_flapping(active, check, policy, now):
        if active.flapping:
            return dataclasses.replace(situation, check=check), []
        held = active.with_entry(TimelineEntry(now, Entry.FLAPPING), flapping=True)
        return CheckSituation(check, held, situation.last_resolved), [SaveIncident(held)]
    resolved, actions = resolve(active, by=None, cause=None, note=None, now=now, auto=True,
                                policy=policy)
    check = dataclasses.replace(check, incident_id=None, last_resolved_id=resolved.id,
                                last_resolved_at=now,
                                transitions=_transition(check, policy, now))
    return CheckSituation(check, None, resolved), actions


def _on_failure(
    situation: CheckSituation, result: Observation, ref: CheckRef, policy: Policy, now: float
) -> tuple[CheckSituation, list[Action]]:
    old = situation.check
    check = dataclasses.replace(
        old, consecutive_failures=old.consecutive_failures + 1, consecutive_passes=0,
        first_failure_at=old.first_failure_at if old.first_failure_at is not None else result.at,
        last_failure=result.summary, last_failure_at=result.at,
    )
    situation = dataclasses.replace(situation, check=check)
    active = situation.active
    if (active is not None and active.kind == IncidentKind.WARNING
            and check.consecutive_failures >= policy.confirm and not policy.in_maintenance):
        return _upgrade(situation, result, policy, now)
    if (active is not None or policy.in_maintenance
            or check.consecutive_failures < policy.confirm):
        return situation, []
    previous = situation.last_resolved
    if (previous is not None and previous.resolved_at is not None
            and now - previous.resolved_at <= policy.flap_window_s):
        incident, actions = _reopen(previous, result, policy, now)
    else:
        incident, actions = _open(check, result, ref, policy, now)
    check = dataclasses.replace(check, incident_id=incident.id,
                                transitions=_transition(check, policy, now))
    return CheckSituation(check, incident, None), actions


def _close_warning(
    situation: CheckSituation, policy: Policy, now: float
) -> tuple[CheckSituation, list[Action]]:
    assert situation.active is not None
    _, actions = resolve(situation.active, by=None, cause=None, note=None, now=now, auto=True,
                         policy=policy)
    check = dataclasses.replace(warnings.counted_pass(situation.check), incident_id=None)
    return CheckSituation(check, None, situation.last_resolved), actions


def _upgrade(
    situation: CheckSituation, result: Observation, policy: Policy, now: float
) -> tuple[CheckSituation, list[Action]]:
    """A warning whose check now fails for real becomes an outage, its clocks starting now."""
    assert situation.active is not None
    incident = situation.active.with_entry(
        TimelineEntry(now, Entry.UPGRADED, note=result.summary),
        kind=IncidentKind.OUTAGE, state=IncidentState.OPEN, opened_at=now,
        started_at=situation.check.first_failure_at or result.at, summary=result.summary,
        address=result.address or situation.active.address, escalation_step=0,
        acknowledged_at=None, acknowledged_by=None, last_notified_at=None,
    )
    ticked, actions = tick(incident, policy, now)
    return dataclasses.replace(situation, active=ticked), _with_save(ticked, actions)


def _open(
    check: CheckAlertState, result: Observation, ref: CheckRef, policy: Policy, now: float
) -> tuple[Incident, list[Action]]:
    started = check.first_failure_at if check.first_failure_at is not None else result.at
    incident = Incident(
        id=incident_id(ref, now), app_id=ref.app_id, app_name=ref.app_name,
        check_id=ref.check_id, severity=policy.severity, state=IncidentState.OPEN,
        summary=result.summary, address=result.address, started_at=started, opened_at=now,
        source=ref.source, check_name=ref.check_name, check_kind=ref.check_kind,
        timeline=(TimelineEntry(started, Entry.FIRST_FAILURE, note=result.summary),
                  TimelineEntry(now, Entry.OPENED, note=result.summary)),
    )
    ticked, actions = tick(incident, policy, now)
    return ticked, _with_save(ticked, actions)


def report(
    ref: CheckRef, policy: Policy, *, ident: str, kind: IncidentKind, summary: str,
    reported_by: str, channel: str, now: float,
) -> tuple[Incident, list[Action]]:
    """A fault or a service request reported by a person: its own incident from `now` (every
    report is one, however many name the app), told like any other (the first escalation
    step at once); a request's clocks are the policy's request ones."""
    incident = Incident(
        id=ident, app_id=ref.app_id, app_name=ref.app_name, check_id=ref.check_id,
        severity=policy.severity, state=IncidentState.OPEN, summary=summary, started_at=now,
        opened_at=now, source=ref.source, kind=kind, check_kind=ref.check_kind,
        reported_by=reported_by, channel=channel,
        timeline=(TimelineEntry(now, Entry.OPENED, by=reported_by, note=summary),),
    )
    ticked, actions = tick(incident, policy, now)
    return ticked, _with_save(ticked, actions)


def _reopen(
    previous: Incident, result: Observation, policy: Policy, now: float
) -> tuple[Incident, list[Action]]:
    count = previous.reopen_count + 1
    incident = previous.with_entry(
        TimelineEntry(now, Entry.REOPENED, note=result.summary),
        state=(IncidentState.OPEN if previous.acknowledged_at is None
               else IncidentState.ACKNOWLEDGED),
        resolved_at=None, resolved_by=None, auto_resolved=False, reopen_count=count,
        summary=result.summary, address=result.address or previous.address,
        last_notified_at=now,
    )
    actions: list[Action] = [SaveIncident(incident)]
    if not policy.in_maintenance:
        actions.append(Notify(incident, Event.OPENED, f"reopen-{count}",
                              notified_targets(incident, policy)))
    return incident, actions


def _transition(check: CheckAlertState, policy: Policy, now: float) -> tuple[float, ...]:
    """The check's recent transitions (opens, resolves, reopens), with one more at `now`."""
    return (*(t for t in check.transitions if now - t < policy.flap_window_s), now)


def _held_by_flapping(
    active: Incident, check: CheckAlertState, policy: Policy, now: float
) -> bool:
    """Whether recovery must wait: the check keeps flapping (or has not been stable for a
    whole flap window since it started to)."""
    if active.flapping:
        last = check.last_failure_at
        return last is not None and now - last < policy.flap_window_s
    recent = [t for t in check.transitions if now - t < policy.flap_window_s]
    return len(recent) >= policy.flap_threshold


def tick(incident: Incident, policy: Policy, now: float) -> tuple[Incident, list[Action]]:
    """Time passes: fire due escalation steps, reminders and SLA breach flags."""
    if incident.state is IncidentState.RESOLVED:
        return incident, []
    if incident.kind == IncidentKind.WARNING:
        return warnings.tick(incident, policy, now)
    before = incident
    notes: list[Action] = []
    incident = _breaches(incident, policy, now)
    if not policy.in_maintenance:
        if incident.kind != IncidentKind.MONITOR:  # the monitor's own: all told at once
            incident, notes = _escalate(incident, policy, now)
        if not notes:
            incident, notes = _remind(incident, policy, now)
    if incident == before:
        return incident, []
    return incident, [SaveIncident(incident), *notes]


def _breaches(incident: Incident, policy: Policy, now: float) -> Incident:
    if not incident.has_sla:
        return incident  # warnings and the monitor's own outages carry no SLA clocks
    response_due = policy.response_due(incident)  # a service request's is its own
    if (not incident.response_breached and incident.acknowledged_at is None
            and now >= response_due):
        incident = incident.with_entry(TimelineEntry(response_due, Entry.RESPONSE_BREACHED),
                                       response_breached=True)
    resolution_due = policy.resolution_due(incident)  # None: a request has no such clock
    if (resolution_due is not None and not incident.resolution_breached
            and now >= resolution_due):
        incident = incident.with_entry(TimelineEntry(resolution_due, Entry.RESOLUTION_BREACHED),
                                       resolution_breached=True)
    return incident


def _escalate(incident: Incident, policy: Policy, now: float) -> tuple[Incident, list[Action]]:
    """Fire every step now due, in order, while nobody has acknowledged."""
    actions: list[Action] = []
    steps = policy.escalation
    while (incident.state is IncidentState.OPEN and incident.escalation_step < len(steps)
           and now >= incident.opened_at + steps[incident.escalation_step].after_s):
        index = incident.escalation_step
        step = steps[index]
        event = Event.OPENED if index == 0 else Event.ESCALATED
        if index > 0:
            incident = incident.with_entry(
                TimelineEntry(now, Entry.ESCALATED, note=", ".join(step.notify)))
        incident = dataclasses.replace(incident, escalation_step=index + 1, last_notified_at=now)
        actions.append(Notify(incident, event, str(index), step.notify))
    return incident, actions


def _remind(incident: Incident, policy: Policy, now: float) -> tuple[Incident, list[Action]]:
    last = incident.last_notified_at
    if policy.reminder_s is None or last is None or now < last + policy.reminder_s:
        return incident, []
    number = sum(1 for e in incident.timeline if e.type == Entry.REMINDER) + 1
    incident = incident.with_entry(TimelineEntry(now, Entry.REMINDER), last_notified_at=now)
    return incident, [Notify(incident, Event.REMINDER, f"reminder-{number}",
                             notified_targets(incident, policy))]


def notified_targets(incident: Incident, policy: Policy) -> tuple[str, ...]:
    """Everyone told so far (the steps already fired); at least the first step's targets."""
    if incident.kind == IncidentKind.WARNING:
        return policy.warning_targets
    if incident.kind == IncidentKind.MONITOR:
        return policy.monitor_targets
    fired = policy.escalation[: max(1, incident.escalation_step)]
    targets: list[str] = []
    for step in fired:
        targets.extend(t for t in step.notify if t not in targets)
    return tuple(targets)


def acknowledge(
    incident: Incident, by: str, note: str | None, now: float, policy: Policy
) -> tuple[Incident, list[Action]]:
    """Stop escalation. Acknowledging twice keeps the first acknowledgement."""
    if incident.state is IncidentState.RESOLVED:
        raise IncidentResolvedError(incident.id)
    if incident.acknowledged_at is not None:
        return incident, []
    incident = incident.with_entry(
        TimelineEntry(now, Entry.ACKNOWLEDGED, by=by, note=note),
        state=IncidentState.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by,
    )
    return incident, [SaveIncident(incident),
                      Notify(incident, Event.ACKNOWLEDGED, "ack",
                             notified_targets(incident, policy))]


def resolve(
    incident: Incident, *, by: str | None, cause: str | None, note: str | None, now: float,
    auto: bool = False, policy: Policy | None = None,
) -> tuple[Incident, list[Action]]:
    """Resolve (automatically on recovery, or by a person). Resolving twice changes nothing."""
    if incident.state is IncidentState.RESOLVED:
        return incident, []
    incident = incident.with_entry(
        TimelineEntry(now, Entry.RESOLVED, by=by, note=note or cause),
        state=IncidentState.RESOLVED, resolved_at=now, resolved_by=by, auto_resolved=auto,
        cause=cause if cause is not None else incident.cause,
    )
    targets = notified_targets(incident, policy) if policy else ("app",)
    return incident, [SaveIncident(incident),
                      Notify(incident, Event.RESOLVED, f"resolved-{incident.reopen_count}",
                             targets)]


def add_note(incident: Incident, by: str, note: str, now: float) -> tuple[Incident, list[Action]]:
    incident = incident.with_entry(TimelineEntry(now, Entry.NOTE, by=by, note=note))
    return incident, [SaveIncident(incident)]


def _with_save(incident: Incident, actions: list[Action]) -> list[Action]:
    """Exactly one SaveIncident, first, with the final incident."""
    rest = [a for a in actions if not isinstance(a, SaveIncident)]
    return [SaveIncident(incident), *rest]
