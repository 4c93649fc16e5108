"""The incident lifecycle as a table of cases with a fake clock (the engine is pure)."""

from __future__ import annotations

import dataclasses

import pytest

from alerting.engine import (
    CheckRef,
    CheckSituation,
    IncidentResolvedError,
    Notify,
    Observation,
    Policy,
    SaveIncident,
    Step,
    acknowledge,
    add_note,
    evaluate,
    resolve,
    tick,
)
from alerting.model import CheckAlertState, Entry, Event, Incident, IncidentState, Severity

REF = CheckRef("kq-oa", "柯桥区协同办公", "home")
T0 = 1_790_000_000.0  # a fixed start; each step of a case is one run later
POLICY = Policy(
    confirm=2, recover=2, severity=Severity.CRITICAL,
    escalation=(Step(0, ("app", "owner")), Step(600, ("ops-mail",)), Step(1200, ("boss",))),
    response_s=900, resolution_s=3600, reminder_s=300, flap_window_s=600,
)


def run(results: str, policy: Policy = POLICY, interval: float = 60.0,
        situation: CheckSituation | None = None, start: float = T0,
        ) -> tuple[CheckSituation, list[list[object]]]:
    """Feed a pattern like 'FFP.' (F fail, P pass) one run per interval; collect actions."""
    situation = situation or CheckSituation(CheckAlertState())
    per_run: list[list[object]] = []
    for i, mark in enumerate(results):
        now = start + i * interval
        obs = Observation(ok=mark == "P", at=now, summary="" if mark == "P" else "status 503")
        situation, actions = evaluate(situation, obs, REF, policy, now)
        per_run.append(list(actions))
    return situation, per_run


def kinds(actions: list[object]) -> list[str]:
    return [a.event.value if isinstance(a, Notify) else "save" for a in actions]


@pytest.mark.parametrize(("pattern", "confirm", "opened_at_run"), [
    ("FF", 2, 1), ("F", 1, 0), ("FFF", 3, 2), ("FPFF", 2, 3), ("FPF", 2, None), ("PPPP", 2, None),
])
def test_confirm(pattern: str, confirm: int, opened_at_run: int | None) -> None:
    policy = dataclasses.replace(POLICY, confirm=confirm)
    situation, per_run = run(pattern, policy)
    opened = [i for i, actions in enumerate(per_run) if "incident.opened" in kinds(actions)]
    assert opened == ([] if opened_at_run is None else [opened_at_run])
    if opened_at_run is not None:
        incident = situation.active
        assert incident is not None
        assert incident.state is IncidentState.OPEN
        assert incident.opened_at == T0 + opened_at_run * 60
        # started_at is the first failed run of the streak that opened it
        first_fail = pattern.rfind("P", 0, opened_at_run) + 1
        assert incident.started_at == T0 + first_fail * 60
        assert [e.type for e in incident.timeline] == [Entry.FIRST_FAILURE, Entry.OPENED]


def test_one_incident_per_check_while_it_keeps_failing() -> None:
    situation, per_run = run("FFFFFFFF")
    opened = sum("incident.opened" in kinds(a) for a in per_run)
    assert opened == 1
    assert situation.check.consecutive_failures == 8


@pytest.mark.parametrize(("pattern", "resolved_run"), [
    ("FFPP", 3), ("FFPFPP", 5), ("FFP", None), ("FFPPP", 3),
])
def test_recover(pattern: str, resolved_run: int | None) -> None:
    situation, per_run = run(pattern)
    resolved = [i for i, a in enumerate(per_run) if "incident.resolved" in kinds(a)]
    assert resolved == ([] if resolved_run is None else [resolved_run])
    if resolved_run is not None:
        incident = situation.last_resolved
        assert incident is not None
        assert incident.auto_resolved
        assert incident.resolved_at == T0 + resolved_run * 60
        assert incident.resolution_seconds == (resolved_run - 1) * 60
        assert situation.active is None


def test_flapping_reopens_the_same_incident() -> None:
    situation, per_run = run("FFPPFF")  # fails again 2 min after resolving (window 10 min)
    assert kinds(per_run[5]) == ["save", "incident.opened"]
    reopened = situation.active
    assert reopened is not None
    assert reopened.id == situation.check.incident_id
    first = run("FF")[0].active
    assert first is not None
    assert reopened.id == first.id
    assert reopened.reopen_count == 1
    assert reopened.state is IncidentState.OPEN
    assert reopened.resolved_at is None
    assert [e.type for e in reopened.timeline][-2:] == [Entry.RESOLVED, Entry.REOPENED]
    notify = per_run[5][1]
    assert isinstance(notify, Notify)
    assert notify.step == "reopen-1"  # a new delivery id, not the original "opened"


def test_failing_after_the_flap_window_opens_a_new_incident() -> None:
    policy = dataclasses.replace(POLICY, flap_window_s=60)
    situation, _ = run("FFPP" + "P" * 5 + "FF", policy)
    first = run("FF")[0].active
    assert situation.active is not None
    assert first is not None
    assert situation.active.id != first.id
    assert situation.active.reopen_count == 0


def test_maintenance_opens_nothing_but_keeps_counting() -> None:
    policy = dataclasses.replace(POLICY, in_maintenance=True)
    situation, per_run = run("FFFF", policy)
    assert all(actions == [] for actions in per_run)
    assert situation.active is None
    assert situation.check.consecutive_failures == 4
    # the window ends while the app is still down: the next failure opens, started_at kept
    situation, per_run = run("F", POLICY, situation=situation, start=T0 + 240)
    assert situation.active is not None
    assert situation.active.started_at == T0


def opened_incident() -> tuple[CheckSituation, Incident]:
    situation, _ = run("FF")
    assert situation.active is not None
    return situation, situation.active


@pytest.mark.parametrize(("elapsed", "steps_fired", "events"), [
    (0, 1, []),
    (599, 1, []),
    (600, 2, ["incident.escalated"]),
    (1250, 3, ["incident.escalated", "incident.escalated"]),  # both due at once, in order
])
def test_escalation_timing(elapsed: float, steps_fired: int, events: list[str]) -> None:
    policy = dataclasses.replace(POLICY, reminder_s=None)
    _, incident = opened_incident()
    ticked, actions = tick(incident, policy, incident.opened_at + elapsed)
    assert ticked.escalation_step == steps_fired
    assert [a.event.value for a in actions if isinstance(a, Notify)] == events
    targets = [a.targets for a in actions if isinstance(a, Notify)]
    assert targets == [("ops-mail",), ("boss",)][: len(events)]


def test_opening_fires_the_first_step_to_app_and_owner_at_once() -> None:
    _, per_run = run("FF")
    notify = [a for a in per_run[1] if isinstance(a, Notify)]
    assert [(n.event, n.step, n.targets) for n in notify] == [
        (Event.OPENED, "0", ("app", "owner"))]


def test_acknowledging_stops_escalation_and_keeps_the_first_ack() -> None:
    _, incident = opened_incident()
    acked, actions = acknowledge(incident, "张三", "在处理", incident.opened_at + 120, POLICY)
    assert acked.state is IncidentState.ACKNOWLEDGED
    assert acked.response_seconds == 120
    assert [a.event for a in actions if isinstance(a, Notify)] == [Event.ACKNOWLEDGED]
    again, actions = acknowledge(acked, "李四", None, incident.opened_at + 300, POLICY)
    assert again.acknowledged_by == "张三"
    assert actions == []
    ticked, actions = tick(acked, dataclasses.replace(POLICY, reminder_s=None),
                           incident.opened_at + 5000)
    assert not [a for a in actions if isinstance(a, Notify)]
    assert ticked.escalation_step == 1


def test_breach_flags_turn_true_at_the_limit_and_stay() -> None:
    policy = dataclasses.replace(POLICY, reminder_s=None, escalation=(Step(0, ("app",)),))
    _, incident = opened_incident()
    t = incident.opened_at
    assert not tick(incident, policy, t + 899)[0].response_breached
    breached, actions = tick(incident, policy, t + 900)
    assert breached.response_breached
    assert not breached.resolution_breached
    assert isinstance(actions[0], SaveIncident)
    entry = breached.timeline[-1]
    assert (entry.type, entry.at) == (Entry.RESPONSE_BREACHED, t + 900)
    acked, _ = acknowledge(breached, "张三", None, t + 1000, policy)
    assert acked.response_breached  # stays true after a late ack
    late, _ = tick(acked, policy, t + 3600)
    assert late.resolution_breached
    done, _ = resolve(late, by="张三", cause="磁盘满", note=None, now=t + 4000, policy=policy)
    assert done.resolution_breached
    assert done.response_seconds == 1000
    assert done.resolution_seconds == 4000


def test_ack_in_time_never_breaches_response() -> None:
    _, incident = opened_incident()
    acked, _ = acknowledge(incident, "张三", None, incident.opened_at + 60, POLICY)
    assert not tick(acked, POLICY, incident.opened_at + 10_000)[0].response_breached


def test_reminders_repeat_until_resolved_and_resolving_stops_everything() -> None:
    policy = dataclasses.replace(POLICY, escalation=(Step(0, ("app",)),), reminder_s=300)
    _, incident = opened_incident()
    t = incident.opened_at
    reminders = []
    for minute in range(1, 16):
        incident, actions = tick(incident, policy, t + minute * 60)
        reminders += [a.step for a in actions if isinstance(a, Notify)]
    assert reminders == ["reminder-1", "reminder-2", "reminder-3"]
    resolved, _ = resolve(incident, by="张三", cause=None, note=None, now=t + 960, policy=policy)
    assert tick(resolved, policy, t + 100_000) == (resolved, [])


def test_resolved_incidents_cannot_be_acknowledged_and_resolve_is_idempotent() -> None:
    _, incident = opened_incident()
    done, _ = resolve(incident, by="张三", cause="配置错误", note="已回滚",
                      now=incident.opened_at + 5, policy=POLICY)
    assert done.cause == "配置错误"
    assert not done.auto_resolved
    with pytest.raises(IncidentResolvedError):
        acknowledge(done, "李四", None, incident.opened_at + 10, POLICY)
    assert resolve(done, by="x", cause=None, note=None, now=incident.opened_at + 20) == (done, [])


def test_notes_are_kept_even_after_resolution() -> None:
    _, incident = opened_incident()
    done, _ = resolve(incident, by="张三", cause=None, note=None, now=incident.opened_at + 5)
    noted, actions = add_note(done, "张三", "根因：证书过期", incident.opened_at + 100)
    assert noted.timeline[-1].note == "根因：证书过期"
    assert actions == [SaveIncident(noted)]


def test_events_are_stable_contract_strings() -> None:
    assert {e.value for e in Event} == {
        "incident.opened", "incident.reminder", "incident.escalated",
        "incident.acknowledged", "incident.resolved", "incident.joined"}


def test_the_address_the_probe_reached_is_kept_on_the_incident() -> None:
    situation = CheckSituation(CheckAlertState())
    for i, address in enumerate(("::1", "127.0.0.1")):
        obs = Observation(ok=False, at=T0 + i * 60, summary="status 503", address=address)
        situation, _ = evaluate(situation, obs, REF, POLICY, T0 + i * 60)
    assert situation.active is not None
    assert situation.active.address == "127.0.0.1"  # the run that confirmed it


# --- warnings: not outages ------------------------------------------------------------------

DAY = 86400.0


def warn(at: float, days_left: float) -> Observation:
    return Observation(ok=True, at=at, summary="certificate expires soon", warning=True,
                       expires_at=at + days_left * DAY)


def test_a_certificate_warning_opens_a_warning_without_clocks_and_reminds_by_days_left() -> None:
    situation, actions = evaluate(CheckSituation(CheckAlertState()), warn(T0, 10), REF, POLICY, T0)
    incident = situation.active
    assert incident is not None
    assert (incident.kind, incident.state) == ("warning", IncidentState.OPEN)
    assert [(a.event.value, a.targets) for a in actions if isinstance(a, Notify)] == [
        ("incident.opened", ("app", "owner"))]  # the app's robots and owner, not the on-call
    # The 30- and 14-day thresholds were already passed when it opened: the next is 7 days.
    assert incident.warnings_sent == 2
    later = incident
    reminders = []
    for day in range(1, 11):
        later, acts = tick(later, POLICY, T0 + day * DAY)
        reminders += [a.step for a in acts if isinstance(a, Notify)]
    assert reminders == ["warning-7d", "warning-3d", "warning-1d"]
    # Far past every SLA limit, and never breached: warnings carry no clocks.
    assert not later.response_breached
    assert not later.resolution_breached
    assert not any(e.type in (Entry.RESPONSE_BREACHED, Entry.RESOLUTION_BREACHED)
                   for e in later.timeline)


def test_a_renewed_certificate_resolves_the_warning() -> None:
    situation, _ = evaluate(CheckSituation(CheckAlertState()), warn(T0, 10), REF, POLICY, T0)
    situation, actions = evaluate(situation, Observation(ok=True, at=T0 + 60, summary=""),
                                  REF, POLICY, T0 + 60)
    assert situation.active is None
    assert kinds(actions) == ["save", "incident.resolved"]
    assert [a.targets for a in actions if isinstance(a, Notify)] == [("app", "owner")]


def test_an_expired_certificate_turns_the_warning_into_an_outage_with_clocks_from_then() -> None:
    situation, _ = evaluate(CheckSituation(CheckAlertState()), warn(T0, 1), REF, POLICY, T0)
    warning_id = situation.active.id if situation.active else None
    now = T0 + DAY
    for i in range(2):  # confirm = 2
        failed = Observation(ok=False, at=now + i * 60, summary="certificate expired")
        situation, actions = evaluate(situation, failed, REF, POLICY, now + i * 60)
    incident = situation.active
    assert incident is not None
    assert (incident.id, incident.kind, incident.opened_at) == (warning_id, "outage", now + 60)
    assert Entry.UPGRADED in [e.type for e in incident.timeline]
    assert "incident.opened" in kinds(actions)  # the on-call chain is told now
    breached, _ = tick(incident, POLICY, now + 60 + POLICY.resolution_s)
    assert breached.resolution_breached  # an outage's clocks run


def test_a_warning_does_not_hold_a_failing_streak_back() -> None:
    situation, _ = run("FF")
    assert situation.active is not None
    assert situation.active.kind == "outage"
    situation, _actions = evaluate(situation, warn(T0 + 120, 10), REF, POLICY, T0 + 120)
    assert situation.active is not None  # one pass of two needed to recover
    assert situation.check.consecutive_passes == 1


# --- flapping -------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "notified"), [
    # opened, resolved, reopened; then held open as flapping, silently.
    ("FFPPFFPPFFPPFFPPFFPP", ["incident.opened", "incident.resolved", "incident.opened"]),
    # Two outages far apart are two ordinary episodes.
    ("FFPP" + "P" * 12 + "FFPP", ["incident.opened", "incident.resolved", "incident.opened",
                                  "incident.resolved"]),
])
def test_a_flapping_check_keeps_one_incident_and_stays_quiet(pattern: str,
                                                              notified: list[str]) -> None:
    policy = dataclasses.replace(POLICY, flap_window_s=600, reminder_s=None)
    _, per_run = run(pattern, policy)  # one run a minute
    events = [k for actions in per_run for k in kinds(actions) if k != "save"]
    assert events == notified


def test_flapping_resolves_only_after_a_whole_stable_window() -> None:
    policy = dataclasses.replace(POLICY, flap_window_s=600, reminder_s=None)
    situation, _ = run("FFPPFFPPFF", policy)  # held as flapping at its 8th run
    assert situation.active is not None
    assert situation.active.flapping
    situation, per_run = run("P" * 12, policy, situation=situation, start=T0 + 600)
    # Nothing is said while it settles; it resolves once the last failure is 10 min old.
    changes = [(i, kinds(a)) for i, a in enumerate(per_run) if a]
    last_failure = T0 + 9 * 60
    assert changes == [(9, ["save", "incident.resolved"])]
    assert (T0 + 600 + 9 * 60) - last_failure == 600
    assert situation.active is None


def test_reminders_of_a_flapping_incident_say_it_is_unstable() -> None:
    policy = dataclasses.replace(POLICY, flap_window_s=600)
    situation, _ = run("FFPPFFPP", policy)
    incident = situation.active
    assert incident is not None
    assert incident.flapping
    assert Entry.FLAPPING in [e.type for e in incident.timeline]
