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
from monitor.core.i18n import EN, ZH, pick

ACTIONABLE: Final = frozenset({Event.OPENED, Event.ESCALATED, Event.REMINDER})

_T: Final[dict[str, dict[str, str]]] = {
    "sev.critical": {ZH: "严重故障", EN: "CRITICAL"},
    "sev.major": {ZH: "重要故障", EN: "MAJOR"},
    "sev.minor": {ZH: "一般故障", EN: "MINOR"},
    "tag.incident.reminder": {ZH: "未确认提醒", EN: "REMINDER"},
    "tag.incident.escalated": {ZH: "升级", EN: "ESCALATED"},
    "tag.incident.acknowledged": {ZH: "已确认", EN: "ACKNOWLEDGED"},
    "tag.incident.resolved": {ZH: "已恢复", EN: "RESOLVED"},
    "lead.incident.opened": {
        ZH: "应用发生故障，请在响应时限前确认并处理。",
        EN: "An app is failing. Please acknowledge before the response deadline.",
    },
    "lead.incident.reminder": {
        ZH: "故障仍未确认，请尽快响应！", EN: "Still not acknowledged. Please respond now."
    },
    "lead.incident.escalated": {
        ZH: "故障未及时确认，已升级通知。", EN: "Not acknowledged in time: escalated."
    },
    "lead.incident.acknowledged": {ZH: "{by} 已确认，正在处理。", EN: "{by} acknowledged it."},
    "lead.incident.resolved": {ZH: "故障已恢复。", EN: "The incident is resolved."},
    "lead.auto": {
        ZH: "检查已连续通过，故障自动恢复。", EN: "Checks pass again: resolved automatically."
    },
    "kind.warning": {ZH: "预警", EN: "WARNING"},
    "kind.monitor": {ZH: "监测中断", EN: "MONITOR CUT OFF"},
    "lead.warning.incident.opened": {
        ZH: "预警：尚未故障，但需安排处理（如续期证书）；不计响应和解决时限。",
        EN: "A warning, not an outage: plan the fix (renew the certificate); no SLA clocks.",
    },
    "lead.warning.incident.reminder": {
        ZH: "预警提醒：期限临近，请尽快处理。", EN: "Warning reminder: the deadline is near.",
    },
    "lead.monitor.incident.opened": {
        ZH: "监测服务本机网络中断：期间各应用状态无法判断，不开故障单、不计入可用率。",
        EN: "The monitor is cut off from the network: no app can be judged meanwhile; no app "
            "incident opens and availability is not charged.",
    },
    "lead.monitor.incident.resolved": {
        ZH: "监测服务网络已恢复，继续正常监测。", EN: "The monitor is back online.",
    },
    "lead.flapping": {
        ZH: "仍不稳定：检查反复失败与恢复，故障保持打开，稳定后自动恢复。",
        EN: "Still unstable: the check keeps failing and recovering; the incident stays open "
            "until it is stable.",
    },
    "row.app": {ZH: "应用", EN: "App"},
    "row.check": {ZH: "检查项", EN: "Check"},
    "row.severity": {ZH: "级别", EN: "Severity"},
    "row.summary": {ZH: "故障现象", EN: "What failed"},
    "row.started": {ZH: "首次失败", EN: "Failing since"},
    "row.opened": {ZH: "告警时间", EN: "Opened"},
    "row.respond_by": {ZH: "响应时限", EN: "Respond by"},
    "row.resolve_by": {ZH: "恢复时限", EN: "Resolve by"},
    "row.acked": {ZH: "确认人", EN: "Acknowledged by"},
    "row.response": {ZH: "响应用时", EN: "Response time"},
    "row.resolved": {ZH: "恢复时间", EN: "Resolved at"},
    "row.resolved_by": {ZH: "处理人", EN: "Resolved by"},
    "row.duration": {ZH: "故障时长", EN: "Time to resolve"},
    "row.cause": {ZH: "原因", EN: "Cause"},
    "row.owner": {ZH: "负责人", EN: "Owner"},
    "row.incident": {ZH: "事件编号", EN: "Incident"},
    "breached": {ZH: "（已超时）", EN: " (SLA breached)"},
    "within": {ZH: "（达标）", EN: " (within SLA)"},
    "auto": {ZH: "自动恢复", EN: "automatic"},
    "tier": {ZH: "{n}级", EN: "tier {n}"},
    "ack": {ZH: "立即确认", EN: "Acknowledge"},
    "ack.short": {ZH: "确认", EN: "ack"},
    "details": {ZH: "查看详情", EN: "Details"},
    "digest.title": {ZH: "{n} 条告警合并发送", EN: "{n} alerts in one message"},
    "digest.lead": {
        ZH: "1 分钟内告警较多，已合并为一条发送；逐条详情见控制台。",
        EN: "Too many alerts for one minute, so they come merged; see the console for each.",
    },
    "truncated": {ZH: "\n\n……（内容过长，已截断）", EN: "\n\n… (too long, truncated)"},
}
_TIER_ZH: Final = {1: "一", 2: "二", 3: "三"}
_UNITS: Final = {ZH: ("天", "小时", "分", "秒"), EN: ("d", "h", "m", "s")}
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
    for unit, size in zip(_UNITS.get(lang, _UNITS[ZH]), (86400, 3600, 60, 1), strict=True):
        if rest >= size or (size == 1 and not parts):
            parts.append(f"{rest // size}{unit}")
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
    name = f"{incident['app_name']} / {incident['check_id']}"
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
        tier_text = t(lang, "tier", n=_TIER_ZH.get(tier, str(tier)) if lang == ZH else tier)
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
        ("row.check", str(incident["check_id"])),
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
