"""Message texts for the notification channels: pure functions of a delivery's payload snapshot.

zh-CN by default, English for "en". Every format is built from the same rows (`facts`), so the
DingTalk message on a phone and the email say the same thing. Short labelled lines, one fact per
line, because most of these are read on a phone in a group chat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import jinja2

from alerting.model import Event
from monitor.core.catalog.notify import WORDS as NOTIFY_WORDS
from monitor.core.i18n import ZH, pick

ACTIONABLE: Final = frozenset({Event.OPENED, Event.ESCALATED, Event.REMINDER})

_T = NOTIFY_WORDS  # the words live in the catalog (monitor/core/catalog)
_UNIT_KEYS: Final = ("unit.day", "unit.hour", "unit.minute", "unit.second")
_MARK: Final = {"critical": "🔴", "major": "🟠", "minor": "🟡"}
_EVENT_MARK: Final = {Event.ACKNOWLEDGED: "🔵", Event.RESOLVED: "✅"}
_COLOR: Final = {"critical": "#d83931", "major": "#de7802", "minor": "#dc9b04"}
_EVENT_COLOR: Final = {Event.ACKNOWLEDGED: "#3370ff", Event.RESOLVED: "#2ea121"}
MAX_TITLE_CHARS: Final = 120  # a title is a chat preview line and a mail subject


def t(lang: str, key: str, **values: object) -> str:
    return pick(_T, lang, key, **values)


def _event(event: str) -> Event:
    try:
        return Event(event)
    except ValueError:
        return Event.OPENED  # an unknown event still gets a readable alert, not a crash


def check_title_of(payload: Mapping[str, Any]) -> str:
    """What people call the incident's check (a delivery stored before checks had titles
    carries only the id)."""
    incident = payload["incident"]
    return str(incident.get("check_title") or incident["check_id"])


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def format_time(value: str | None) -> str:
    """ISO 8601 -> '2026-11-24 10:00:00' in the snapshot's own offset (the service's zone)."""
    if not value:
        return "—"
    try:
        return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return value


def format_duration(seconds: float | None, lang: str) -> str:
    """The two largest units: '1小时5分' / '1h 5m'; '0秒' / '0s' for nothing."""
    if seconds is None:
        return "—"
    rest = max(0, round(seconds))
    parts: list[str] = []
    for unit, size in zip(_UNIT_KEYS, (86400, 3600, 60, 1), strict=True):
        if rest >= size or (size == 1 and not parts):
            parts.append(t(lang, unit, n=rest // size))
            rest %= size
    return ("" if lang == ZH else " ").join(parts[:2])


def notice_of(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A delivery that is not about an incident (a rectification notice) carries its texts
    ready-made, in its language, under "notice": title, lead, facts, at, and optionally mark,
    color and link. Every format below shows those instead of incident fields."""
    notice = payload.get("notice")
    return notice if isinstance(notice, Mapping) else None


def title(payload: Mapping[str, Any], event: str, lang: str) -> str:
    """'【严重故障】柯桥区协同办公 / home：状态码异常' — chat title and mail subject."""
    if notice := notice_of(payload):
        return str(notice["title"])[:MAX_TITLE_CHARS]
    incident = payload["incident"]
    ev = _event(event)
    kind = incident.get("kind") or "outage"
    severity = t(lang, f"sev.{incident['severity']}") if kind == "outage" else (
        t(lang, f"kind.{kind}"))
    if ev in (Event.ACKNOWLEDGED, Event.RESOLVED):
        head = t(lang, f"tag.{ev.value}")
    elif ev is Event.OPENED:
        head = severity
    else:
        head = f"{severity}·{t(lang, f'tag.{ev.value}')}" if lang == ZH else (
            f"{severity} · {t(lang, f'tag.{ev.value}')}")
    name = f"{incident['app_name']} / {check_title_of(payload)}"
    summary = _one_line(incident.get("summary") or "")
    text = f"【{head}】{name}：{summary}" if lang == ZH else f"[{head}] {name}: {summary}"
    return text if len(text) <= MAX_TITLE_CHARS else text[: MAX_TITLE_CHARS - 1] + "…"


def mark(payload: Mapping[str, Any], event: str) -> str:
    if notice := notice_of(payload):
        return str(notice.get("mark") or "📋")
    return _EVENT_MARK.get(_event(event)) or _MARK.get(payload["incident"]["severity"], "🔴")


def lead(payload: Mapping[str, Any], event: str, lang: str) -> str:
    if notice := notice_of(payload):
        return str(notice["lead"])
    incident, ev = payload["incident"], _event(event)
    kind = incident.get("kind") or "outage"
    special = f"lead.{kind}.{ev.value}"
    if special in _T:
        return t(lang, special)
    if incident.get("flapping") and ev in (Event.REMINDER, Event.ESCALATED):
        return t(lang, "lead.flapping")
    if ev is Event.RESOLVED and incident.get("auto_resolved"):
        return t(lang, "lead.auto")
    return t(lang, f"lead.{ev.value}", by=incident.get("acknowledged_by") or "—")


def _sla(seconds: float | None, breached: bool, lang: str) -> str:
    return format_duration(seconds, lang) + t(lang, "breached" if breached else "within")


def _app_line(payload: Mapping[str, Any], lang: str) -> str:
    app, incident = payload.get("app") or {}, payload["incident"]
    tier = app.get("tier")
    tier_text = None
    if isinstance(tier, int):
        number = t(lang, f"tier.{tier}") if f"tier.{tier}" in _T else str(tier)
        tier_text = t(lang, "tier", n=number)
    meta = [str(v) for v in (app.get("department"), app.get("category"), tier_text) if v]
    name = app.get("name") or incident["app_name"]
    if not meta:
        return str(name)
    return f"{name}（{' · '.join(meta)}）" if lang == ZH else f"{name} ({' · '.join(meta)})"


def facts(payload: Mapping[str, Any], event: str, lang: str) -> list[tuple[str, str]]:
    """(label, value) rows: what every format shows, in this order."""
    if notice := notice_of(payload):
        return [(str(label), str(value)) for label, value in notice["facts"]]
    incident, ev = payload["incident"], _event(event)
    deadlines = payload.get("deadlines") or {}
    rows: list[tuple[str, str]] = [
        ("row.app", _app_line(payload, lang)),
        ("row.check", check_title_of(payload)),
        ("row.severity", t(lang, f"sev.{incident['severity']}")),
        ("row.summary", _one_line(incident.get("summary") or "—")),
        ("row.started", format_time(incident.get("started_at"))),
        ("row.opened", format_time(incident.get("opened_at"))),
    ]
    breach = {True: t(lang, "breached"), False: ""}
    if (incident.get("kind") or "outage") not in ("outage", "request"):
        deadlines = {}  # warnings and the monitor's own outages carry no SLA clocks
    if ev in ACTIONABLE and deadlines:
        rows.append(("row.respond_by", format_time(deadlines.get("response"))
                     + breach[bool(incident.get("response_breached"))]))
    if ev is not Event.RESOLVED and deadlines:
        rows.append(("row.resolve_by", format_time(deadlines.get("resolution"))
                     + breach[bool(incident.get("resolution_breached"))]))
    if incident.get("acknowledged_at") and ev in (Event.ACKNOWLEDGED, Event.RESOLVED):
        who = incident.get("acknowledged_by") or "—"
        rows.append(("row.acked", f"{who} · {format_time(incident['acknowledged_at'])}"))
        rows.append(("row.response", _sla(incident.get("response_seconds"),
                                          bool(incident.get("response_breached")), lang)))
    if ev is Event.RESOLVED:
        by = t(lang, "auto") if incident.get("auto_resolved") else incident.get("resolved_by")
        rows += [
            ("row.resolved", format_time(incident.get("resolved_at"))),
            ("row.resolved_by", str(by or "—")),
            ("row.duration", _sla(incident.get("resolution_seconds"),
                                  bool(incident.get("resolution_breached")), lang)),
        ]
        if incident.get("cause"):
            rows.append(("row.cause", _one_line(incident["cause"])))
    owner = (payload.get("app") or {}).get("owner_name")
    if owner:
        rows.append(("row.owner", str(owner)))
    rows.append(("row.incident", str(incident["id"])))
    return [(t(lang, key), value) for key, value in rows]


def ack_link(payload: Mapping[str, Any], event: str) -> str | None:
    """The acknowledge page, for events that still ask someone to act."""
    if notice_of(payload) is not None or _event(event) not in ACTIONABLE:
        return None
    return (payload.get("links") or {}).get("ack") or None


def markdown(payload: Mapping[str, Any], event: str, lang: str, *, with_ack_link: bool) -> str:
    """DingTalk markdown (mentions are the channel's to add). `with_ack_link` puts the
    acknowledge link in the text, for when there is no actionCard button to carry it."""
    lines = [f"### {mark(payload, event)} {title(payload, event, lang)}", "",
             f"**{lead(payload, event, lang)}**", ""]
    lines += [f"- **{label}**：{value}" if lang == ZH else f"- **{label}**: {value}"
              for label, value in facts(payload, event, lang)]
    link = ack_link(payload, event)
    if with_ack_link and link:
        lines += ["", f"👉 [{t(lang, 'ack')}]({link})"]
    return "\n".join(lines)


def plain(payload: Mapping[str, Any], event: str, lang: str) -> str:
    """The text/plain email body."""
    sep = "：" if lang == ZH else ": "
    lines = [title(payload, event, lang), "", lead(payload, event, lang), ""]
    lines += [f"{label}{sep}{value}" for label, value in facts(payload, event, lang)]
    links = payload.get("links") or {}
    if (notice := notice_of(payload)) and notice.get("link"):
        links = {"incident": notice["link"]}
    if link := ack_link(payload, event):
        lines += ["", f"{t(lang, 'ack')}{sep}{link}"]
    if links.get("incident"):
        lines.append(f"{t(lang, 'details')}{sep}{links['incident']}")
    return "\n".join(lines) + "\n"


# The email HTML. Autoescaped: summaries, names and causes come from probes and people.
_HTML: Final = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
).get_template("notification.html")


def html(payload: Mapping[str, Any], event: str, lang: str) -> str:
    """The text/html email body (Jinja2 autoescaped: summaries and names are untrusted)."""
    ev = _event(event)
    if notice := notice_of(payload):
        color, details = str(notice.get("color") or "#ff8800"), notice.get("link")
    else:
        color = _EVENT_COLOR.get(ev) or _COLOR.get(payload["incident"]["severity"], "#d83931")
        details = (payload.get("links") or {}).get("incident")
    return _HTML.render(
        lang=lang, title=title(payload, event, lang), mark=mark(payload, event),
        lead=lead(payload, event, lang), rows=facts(payload, event, lang),
        color=color, ack=ack_link(payload, event), ack_label=t(lang, "ack"),
        details=details, details_label=t(lang, "details"),
    )


def digest(items: Sequence[tuple[Mapping[str, Any], str]], lang: str) -> tuple[str, str]:
    """(title, markdown) of one message standing for several deliveries: a line each."""
    heading = t(lang, "digest.title", n=len(items))
    lines = [f"### 📋 {heading}", "", t(lang, "digest.lead"), ""]
    for number, (payload, event) in enumerate(items, 1):
        when = format_time(_happened_at(payload, event))[5:16]  # 'MM-DD HH:MM'
        line = f"{number}. {mark(payload, event)} {title(payload, event, lang)} · {when}"
        if link := ack_link(payload, event):
            line += f" [{t(lang, 'ack.short')}]({link})"
        lines.append(line)
    return heading, "\n".join(lines)


def _happened_at(payload: Mapping[str, Any], event: str) -> str | None:
    if notice := notice_of(payload):
        return notice.get("at")
    at_key = {Event.ACKNOWLEDGED: "acknowledged_at", Event.RESOLVED: "resolved_at"}.get(
        _event(event))
    value = payload["incident"].get(at_key or "opened_at")
    return None if value is None else str(value)


def cut_utf8(text: str, max_bytes: int, lang: str) -> str:
    """`text` cut to at most `max_bytes` UTF-8 bytes with a note saying so; the cut falls on a
    line break when one is near, so a phone never shows half a row."""
    if len(text.encode()) <= max_bytes:
        return text
    note = t(lang, "truncated")
    room = max_bytes - len(note.encode())
    if room <= 0:  # no room even for the note: just the bytes that fit
        return text.encode()[: max(0, max_bytes)].decode("utf-8", "ignore")
    head = text.encode()[:room].decode("utf-8", "ignore")
    newline = head.rfind("\n")
    if newline >= len(head) * 3 // 4:
        head = head[:newline]
    return head + note
