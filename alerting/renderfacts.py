"""The labelled rows every format shows (`facts`): what failed, since when, the deadlines,
who acknowledged and resolved, and the incident id. Each value is one line of plain text; a
format escapes it further for itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from alerting import rendergroup as group
from alerting.model import Event
from alerting.renderbase import (
    ACTIONABLE,
    check_title_of,
    event_of,
    format_duration,
    format_time,
    has_word,
    notice_of,
    t,
)
from alerting.rendertext import one_line
from monitor.core.i18n import ZH

_SLA_KINDS: Final = ("outage", "request", "correlated")  # the kinds whose deadlines are shown


def _sla(seconds: float | None, breached: bool, lang: str) -> str:
    return format_duration(seconds, lang) + t(lang, "breached" if breached else "within")


def _app_line(payload: Mapping[str, Any], lang: str) -> str:
    app, incident = payload.get("app") or {}, payload["incident"]
    tier = app.get("tier")
    tier_text = None
    if isinstance(tier, int):
        number = t(lang, f"tier.{tier}") if has_word(f"tier.{tier}") else str(tier)
        tier_text = t(lang, "tier", n=number)
    meta = [one_line(v) for v in (app.get("department"), app.get("category"), tier_text) if v]
    name = one_line(app.get("name") or incident["app_name"])
    if not meta:
        return name
    return f"{name}（{' · '.join(meta)}）" if lang == ZH else f"{name} ({' · '.join(meta)})"


def _subject_rows(payload: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """What the incident is about: the app and check, or for a parent its apps."""
    incident = payload["incident"]
    kind = incident.get("kind") or "outage"
    # A warning or the monitor's own outage is not an app outage of some severity: say what it
    # is (the title says it too), not 严重故障.
    level = t(lang, f"sev.{incident['severity']}") if kind in ("outage", "correlated") \
        else t(lang, f"kind.{kind}")
    severity = ("row.severity", level)
    summary = ("row.summary", one_line(incident.get("summary") or "—"))
    if group.is_parent(payload):
        count = t(lang, "row.apps.count", n=group.app_count(group.children(payload)))
        return [("row.apps", count), severity, summary,
                ("row.started", format_time(group.earliest_start(payload)))]
    if incident.get("source") == "reported":  # a person's report: who, how, when
        return [("row.app", _app_line(payload, lang)), severity, summary,
                *_reporter(incident, lang)]
    rows = [("row.app", _app_line(payload, lang)), ("row.check", one_line(check_title_of(payload))),
            severity, summary, ("row.started", format_time(incident.get("started_at")))]
    if (incident.get("reopen_count") or 0) > 0 and incident.get("reopened_at"):
        rows.append(("row.reopened", format_time(incident["reopened_at"])))
    return rows


def _reporter(incident: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """报告人 / 渠道 rows of a reported fault or request (the channel in words)."""
    channel = incident.get("channel")
    key = f"channel.{channel}"
    how = t(lang, key) if channel and has_word(key) else one_line(channel or "—")
    return [("row.reported_by", one_line(incident.get("reported_by") or "—")),
            ("row.channel", how)]


def facts(payload: Mapping[str, Any], event: str, lang: str) -> list[tuple[str, str]]:
    """(label, value) rows: what every format shows, in this order; each value one line."""
    if notice := notice_of(payload):
        return [(one_line(label), one_line(value)) for label, value in notice["facts"]]
    incident, ev = payload["incident"], event_of(event)
    deadlines = payload.get("deadlines") or {}
    rows = _subject_rows(payload, lang)
    opened = "row.reported_at" if incident.get("source") == "reported" else "row.opened"
    rows.append((opened, format_time(incident.get("opened_at"))))
    breach = {True: t(lang, "breached"), False: ""}
    if (incident.get("kind") or "outage") not in _SLA_KINDS:
        deadlines = {}  # warnings and the monitor's own outages carry no SLA clocks
    elif incident.get("kind") == "request":  # a service request has no resolution clock
        deadlines = {"response": deadlines.get("response")}
    if (ev in ACTIONABLE or ev is Event.JOINED) and deadlines.get("response"):
        rows.append(("row.respond_by", format_time(deadlines.get("response"))
                     + breach[bool(incident.get("response_breached"))]))
    if ev is not Event.RESOLVED and deadlines.get("resolution"):
        rows.append(("row.resolve_by", format_time(deadlines.get("resolution"))
                     + breach[bool(incident.get("resolution_breached"))]))
    if incident.get("acknowledged_at") and ev in (Event.ACKNOWLEDGED, Event.RESOLVED):
        who = one_line(incident.get("acknowledged_by") or "—")
        rows.append(("row.acked", f"{who} · {format_time(incident['acknowledged_at'])}"))
        rows.append(("row.response", _sla(incident.get("response_seconds"),
                                          bool(incident.get("response_breached")), lang)))
    if ev is Event.RESOLVED:
        by = t(lang, "auto") if incident.get("auto_resolved") else incident.get("resolved_by")
        rows += [
            ("row.resolved", format_time(incident.get("resolved_at"))),
            ("row.resolved_by", one_line(by or "—")),
            ("row.duration", _sla(incident.get("resolution_seconds"),
                                  bool(incident.get("resolution_breached")), lang)),
        ]
        if incident.get("cause"):
            rows.append(("row.cause", one_line(incident["cause"])))
    owner = (payload.get("app") or {}).get("owner_name")
    if owner:
        rows.append(("row.owner", one_line(owner)))
    on_duty = [one_line(name) for name in payload.get("on_duty") or () if name]
    if on_duty:
        rows.append(("row.on_duty", t(lang, "list.sep").join(on_duty)))
    rows.append(("row.incident", one_line(incident["id"])))
    return [(t(lang, key), value) for key, value in rows]
