"""The synthetic month's incidents, deliveries and maintenance log, through the alert store.

Ack and resolve times are known offsets from opened_at; the SLA flags are set by the engine's
own clock (`tick`) where a case says so, and left unset where a case models a service that
was down when the limit passed. Expected figures are in test_monthly.py.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from alerting.delivery import Delivery, DeliveryOutcome, Recipients, delivery_id
from alerting.engine import Policy, Step, acknowledge, add_note, resolve, tick
from alerting.model import Entry, Incident, IncidentState, Severity, TimelineEntry
from alerting.store import AlertStore, Changes
from tests.ledger.helpers import FakeClock
from tests.reports.synthetic import MAINTENANCE, NOW, RESOLUTION_S, RESPONSE_S, local

POLICY = Policy(
    confirm=2, recover=2, severity=Severity.CRITICAL,
    escalation=(Step(0.0, ("app", "owner")), Step(600.0, ("ops-mail",))),
    response_s=RESPONSE_S, resolution_s=RESOLUTION_S, reminder_s=None, flap_window_s=600.0,
)  # fmt: skip
A_OPENED = local(11, 5, 10, 5)  # the analysed incident: kq-oa/home's outage
A_ID = "20261105020500-kq-oa-home"


def _incident(ident: str, app: str, check: str, severity: Severity, opened: float,
              started: float | None = None, name: str = "") -> Incident:
    first = started if started is not None else opened - 300
    return Incident(
        id=ident, app_id=app, app_name=name or app, check_id=check, severity=severity,
        state=IncidentState.OPEN, summary="HTTP 503 from /health", started_at=first,
        opened_at=opened,
        timeline=(TimelineEntry(first, Entry.FIRST_FAILURE, note="HTTP 503"),
                  TimelineEntry(opened, Entry.OPENED, note="HTTP 503")),
    )


def _lifecycle(incident: Incident, ack_after: float | None, resolve_after: float | None,
               *, tick_at: tuple[float, ...] = (), cause: str | None = None) -> Incident:
    """Ack / resolve at known offsets from opened_at, ticking the SLA clock where told."""
    events: list[tuple[float, str]] = [(incident.opened_at + t, "tick") for t in tick_at]
    if ack_after is not None:
        events.append((incident.opened_at + ack_after, "ack"))
    if resolve_after is not None:
        events.append((incident.opened_at + resolve_after, "resolve"))
    for at, what in sorted(events):
        if what == "tick":
            incident, _ = tick(incident, POLICY, at)
        elif what == "ack":
            incident, _ = acknowledge(incident, "值班员", None, at, POLICY)
        else:
            incident, _ = resolve(incident, by=None, cause=cause, note=None, now=at,
                                  auto=True, policy=POLICY)
    return incident


def incident_a() -> Incident:
    """kq-oa/home: acked in 5 min, notes in every section, resolved after 118 min."""
    opened = A_OPENED
    inc = _incident(A_ID, "kq-oa", "home", Severity.CRITICAL, opened, started=local(11, 5, 10),
                    name="柯桥区协同办公")
    inc = dataclasses.replace(inc, address="10.8.0.21")  # where the failing probe went
    inc, _ = tick(inc, POLICY, opened)  # step 0 fires
    inc, _ = acknowledge(inc, "李四", "收到，处理中", opened + 300, POLICY)
    inc, _ = add_note(inc, "李四", "已重启应用服务器，观察中", opened + 600)
    inc, _ = add_note(inc, "李四", "直接原因: 数据库连接池耗尽\n根本原因：连接泄漏未释放\n"
                      "未关闭的游标导致", opened + 1800)
    inc, _ = tick(inc, POLICY, opened + 3600)  # resolution breached
    inc, _ = add_note(inc, "王五", "整改: 修复连接泄漏; 负责人: 张三; 期限: 2026-12-15",
                      opened + 3700)
    inc, _ = add_note(inc, "王五", "action: add pool metrics; owner: Li Si; deadline: 2026-13-01\n"
                      "lessons: watch the pool", opened + 3800)
    inc, _ = add_note(inc, "赵六", "经验: 连接池需要监控", opened + 3900)
    inc, _ = resolve(inc, by="李四", cause="数据库连接池耗尽，重启后恢复", note="重启后恢复",
                     now=opened + 7080, policy=POLICY)
    return inc


def incidents() -> list[Incident]:
    """Every incident of the fixture; see the expected figures in test_monthly.py."""
    zw, jc, oa = "kq-zwfw", "kq-jczz", "kq-oa"
    return [
        incident_a(),
        # Acked exactly at the limit, resolved exactly at the limit: both within (<=).
        _lifecycle(_incident("h", oa, "home", Severity.CRITICAL, local(11, 25, 10)), 900, 3600),
        # Acked after 1 min; resolved late (4000 s) with no flag (service down): breached.
        _lifecycle(_incident("i", oa, "port", Severity.CRITICAL, local(11, 8, 8)), 60, 4000),
        # Acked late (flag set by the clock at 15 min), resolved in 28 min.
        _lifecycle(_incident("b", zw, "home", Severity.MAJOR, local(11, 12, 2, 5)), 1200, 1680,
                   tick_at=(900,)),
        # Never acked; auto-resolved after 16 h; both flags set.
        _lifecycle(_incident("c", zw, "home", Severity.MAJOR, local(11, 20, 14, 5)), None,
                   57600, tick_at=(900, 3600)),
        _lifecycle(_incident("d", jc, "home", Severity.MINOR, local(11, 15, 9, 5)), 600, 3000,
                   cause="慢查询"),
        # Opened 5 min before the month ends, still open at NOW, no flags: breached by rule.
        _lifecycle(_incident("g", jc, "home", Severity.MINOR, local(11, 30, 23, 55)), None,
                   None),
        # Previous month: not counted.
        _lifecycle(_incident("e", oa, "port", Severity.CRITICAL, local(10, 31, 23, 50)), 60, 120),
        # An app no longer configured: counted apart; it overlaps A in time (A's impact).
        _lifecycle(_incident("f", "old-app", "home", Severity.MINOR, local(11, 5, 10, 30)), 60,
                   120),
    ]


def deliveries_a() -> list[tuple[Delivery, str, float | None, list[tuple[float, bool, str]]]]:
    """(delivery, final state, sent_at, attempts) of incident A."""
    opened = A_OPENED

    def make(event: str, step: str, notifier: str, target: str, created: float,
             recipients: Recipients) -> Delivery:
        return Delivery(delivery_id(A_ID, event, step, target), A_ID, event, step, notifier,
                        target, {"event": event}, created, recipients)

    robot = Recipients(at_mobiles=("13800000001",))
    mail = Recipients(emails=("owner@example.org",))
    return [
        (make("incident.opened", "0", "oncall-robot", "oncall-robot", opened, robot), "sent",
         opened + 2, [(opened + 2, True, "0")]),
        (make("incident.opened", "0", "ops-mail", "ops-mail:owner", opened, mail), "sent",
         opened + 5, [(opened + 5, True, "250")]),
        (make("incident.opened", "0", "ops-hook", "ops-hook", opened, Recipients()), "expired",
         None, [(opened + 1, False, "503"), (opened + 30, False, "503")]),
        (make("incident.acknowledged", "ack", "oncall-robot", "oncall-robot", opened + 300,
              robot), "sent", opened + 302, [(opened + 302, True, "0")]),
        (make("incident.resolved", "resolved-0", "oncall-robot", "oncall-robot", opened + 7080,
              robot), "sent", opened + 7082, [(opened + 7082, True, "0")]),
    ]


async def write_alerts(data_dir: Path) -> None:
    store = await AlertStore.open(data_dir, clock=FakeClock(NOW))
    try:
        deliveries = deliveries_a()
        await store.apply(Changes(incidents=incidents(),
                                  deliveries=[d for d, *_ in deliveries]))
        outcomes: list[Any] = []
        for delivery, state, _sent, attempts in deliveries:
            for n, (at, ok, status) in enumerate(attempts):
                last = n == len(attempts) - 1
                final = state if last else "pending"
                outcome = DeliveryOutcome(delivery.id, ok, status, "" if ok else "HTTP 503")
                outcomes.append((delivery, outcome, at, None if last else at + 30, final))
        for item in outcomes:  # one call each: attempts of one delivery in order
            await store.record_outcomes([item])
        for window_id, scope, start, end in MAINTENANCE:
            await store.record_maintenance(window_id, scope, start, end)
    finally:
        await store.close()
