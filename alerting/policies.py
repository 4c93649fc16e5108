"""Config -> engine policies, computed once per config (not per result)."""

from __future__ import annotations

import dataclasses

from alerting.engine import CheckRef, Policy, Step
from alerting.model import REPORTED, Incident, IncidentKind, Severity
from monitor.core.config.model import AppConfig, CheckConfig, Config, SlaConfig

CheckKey = tuple[str, str]


def escalation_steps(config: Config) -> tuple[Step, ...]:
    return tuple(Step(step.after_s, step.notify) for step in config.escalation)


def check_policy(config: Config, app: AppConfig, check: CheckConfig) -> Policy:
    return Policy(
        confirm=check.confirm,
        recover=check.recover,
        severity=Severity(config.alerting.severity.for_tier(app.tier)),
        escalation=escalation_steps(config),
        response_s=config.sla.response_s,
        resolution_s=config.sla.resolution_s,
        reminder_s=config.alerting.reminder_interval_s,
        flap_window_s=config.alerting.flap_window_s,
        flap_threshold=config.alerting.flap_threshold,
        warning_reminders_s=tuple(sorted(config.alerting.warning_reminders_s, reverse=True)),
        monitor_targets=tuple(config.notifiers),
        request_response_s=config.sla.request_response_s,
    )


def external_policy(config: Config, app: AppConfig | None) -> Policy:
    """Alerts from Alertmanager (or checks no longer configured): confirmed at once."""
    tier = app.tier if app else 3
    return Policy(
        confirm=1, recover=1, severity=Severity(config.alerting.severity.for_tier(tier)),
        escalation=escalation_steps(config), response_s=config.sla.response_s,
        resolution_s=config.sla.resolution_s, reminder_s=config.alerting.reminder_interval_s,
        flap_window_s=config.alerting.flap_window_s, monitor_targets=tuple(config.notifiers),
        request_response_s=config.sla.request_response_s,
    )


def sla_deadlines(incident: Incident, sla: SlaConfig) -> tuple[float, float | None]:
    """(respond by, resolve by) of an incident under `sla`, as the engine's clocks run them:
    a service request answers within sla.request_response and has no resolution clock."""
    if incident.kind == IncidentKind.REQUEST:
        return incident.opened_at + sla.request_response_s, None
    return incident.opened_at + sla.response_s, incident.opened_at + sla.resolution_s


class Policies:
    """Every configured check's policy and reference, by (app_id, check_id)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.apps = {app.id: app for app in config.apps}
        self.by_check: dict[CheckKey, tuple[CheckRef, Policy]] = {
            (app.id, check.id): (CheckRef(app.id, app.name, check.id, check_name=check.name,
                                          check_kind=check.kind),
                                 check_policy(config, app, check))
            for app, check in config.iter_checks()
        }

    def reported(self, app_id: str) -> tuple[CheckRef, Policy] | None:
        """The reference and policy of faults and requests people report for an app (None:
        no such app). Never in maintenance: a person asked for help."""
        app = self.apps.get(app_id)
        if app is None:
            return None
        ref = CheckRef(app.id, app.name, REPORTED, source=REPORTED, check_kind=REPORTED)
        return ref, external_policy(self.config, app)

    def for_key(self, key: CheckKey, *, in_maintenance: bool = False) -> tuple[CheckRef, Policy]:
        found = self.by_check.get(key)
        if found is None:
            app = self.apps.get(key[0])
            found = (CheckRef(key[0], app.name if app else key[0], key[1]),
                     external_policy(self.config, app))
        ref, policy = found
        if in_maintenance:
            policy = dataclasses.replace(policy, in_maintenance=True)
        return ref, policy
