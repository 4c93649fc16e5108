"""Message texts for the notification channels: pure functions of a delivery's payload snapshot.

zh-CN by default, English for "en". Every format is built from the same rows (`facts`), so the
DingTalk message on a phone and the email say the same thing. Short labelled lines, one fact per
line, because most of these are read on a phone in a group chat.

Values from outside (names, summaries, notes, causes) are neutralised for their format
(`alerting.rendertext`): one line in plain text and titles, inert text in DingTalk markdown
(`md_text`), autoescaped in the HTML mail. Only the links we generate are ever links.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import jinja2

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
    reopen_number,
    t,
)
from alerting.renderfacts import facts
from alerting.rendertext import md_text, one_line
from monitor.core.i18n import ZH

__all__ = ["ACTIONABLE", "check_title_of", "facts", "format_duration", "format_time", "md_text",
           "notice_of", "one_line", "reopen_number", "t"]

_MARK: Final = {"critical": "🔴", "major": "🟠", "minor": "🟡"}
_EVENT_MARK: Final = {Event.ACKNOWLEDGED: "🔵", Event.RESOLVED: "✅"}
_COLOR: Final = {"critical": "#d83931", "major": "#de7802", "minor": "#dc9b04"}
_EVENT_COLOR: Final = {Event.ACKNOWLEDGED: "#3370ff", Event.RESOLVED: "#2ea121"}
MAX_TITLE_CHARS: Final = 120  # a title is a chat preview line and a mail subject


def _head(payload: Mapping[str, Any], ev: Event, lang: str) -> str:
    incident = payload["incident"]
    kind = incident.get("kind") or "outage"
    severity = t(lang, f"sev.{incident['severity']}") if kind == "outage" else (
        t(lang, f"kind.{kind}"))
    if ev in (Event.ACKNOWLEDGED, Event.RESOLVED):
        return t(lang, f"tag.{ev.value}")
    if ev is Event.OPENED:
        tag = t(lang, "tag.reopened", n=n) if (n := reopen_number(payload, ev)) else None
    else:
        tag = t(lang, f"tag.{ev.value}")
    if tag is None:
        return severity
    return f"{severity}·{tag}" if lang == ZH else f"{severity} · {tag}"


def title(payload: Mapping[str, Any], event: str, lang: str, esc: group.Escape = one_line) -> str:
    """'【严重故障】柯桥区协同办公 / 首页：状态码异常' — chat title and mail subject. `esc`
    neutralises the values from outside for where the title goes (one line by default)."""
    if notice := notice_of(payload):
        text = esc(notice["title"])
    else:
        incident, ev = payload["incident"], event_of(event)
        head = _head(payload, ev, lang)
        if group.is_parent(payload):
            text = f"【{head}】" if lang == ZH else f"[{head}] "
            text += group.title_text(payload, ev, lang)
        else:
            name = f"{esc(incident['app_name'])} / {esc(check_title_of(payload))}"
            summary = esc(incident.get("summary") or "")
            text = f"【{head}】{name}：{summary}" if lang == ZH else (
                f"[{head}] {name}: {summary}")
    return text if len(text) <= MAX_TITLE_CHARS else text[: MAX_TITLE_CHARS - 1] + "…"


def mark(payload: Mapping[str, Any], event: str) -> str:
    if notice := notice_of(payload):
        return one_line(notice.get("mark") or "📋")
    return _EVENT_MARK.get(event_of(event)) or _MARK.get(payload["incident"]["severity"], "🔴")


def lead(payload: Mapping[str, Any], event: str, lang: str) -> str:
    """One line saying what happened and what to do (one line: it may quote a name)."""
    if notice := notice_of(payload):
        return one_line(notice["lead"])
    incident, ev = payload["incident"], event_of(event)
    if group.is_parent(payload):
        return group.lead_text(payload, ev, lang)
    kind = incident.get("kind") or "outage"
    special = f"lead.{kind}.{ev.value}"
    if has_word(special):
        return t(lang, special)
    if n := reopen_number(payload, event):
        return t(lang, "lead.reopened", n=n)
    if incident.get("flapping") and ev in (Event.REMINDER, Event.ESCALATED):
        return t(lang, "lead.flapping")
    if ev is Event.RESOLVED and incident.get("auto_resolved"):
        return t(lang, "lead.auto")
    return t(lang, f"lead.{ev.value}", by=one_line(incident.get("acknowledged_by") or "—"))


def ack_link(payload: Mapping[str, Any], event: str) -> str | None:
    """The acknowledge page, for events that still ask someone to act."""
    if notice_of(payload) is not None or event_of(event) not in (*ACTIONABLE, Event.JOINED):
        return None
    if event_of(event) is Event.JOINED and payload["incident"].get("acknowledged_at"):
        return None  # already acknowledged: the joined apps were acknowledged with it
    return (payload.get("links") or {}).get("ack") or None


def details_link(payload: Mapping[str, Any]) -> str | None:
    """The incident's console page (or the notice's own page)."""
    if notice := notice_of(payload):
        return str(notice["link"]) if notice.get("link") else None
    return (payload.get("links") or {}).get("incident") or None


def children_block(payload: Mapping[str, Any], event: str, lang: str, esc: group.Escape, *,
                   allow_compact: bool) -> group.ChildBlock | None:
    if notice_of(payload) is not None or not group.is_parent(payload):
        return None
    return group.child_block(payload, event_of(event), lang, esc, allow_compact=allow_compact)


def markdown_parts(payload: Mapping[str, Any], event: str, lang: str, *,
                   with_ack_link: bool) -> tuple[str, str]:
    """(body, links) of a DingTalk markdown text: the links are kept whole when a long body
    is cut. `with_ack_link` puts the acknowledge link in, for when there is no actionCard
    button to carry it. Every value from outside goes through `md_text`."""
    sep = "：" if lang == ZH else ": "
    lines = [f"### {mark(payload, event)} {title(payload, event, lang, md_text)}", "",
             f"**{md_text(lead(payload, event, lang))}**", ""]
    lines += [f"- **{md_text(label)}**{sep}{md_text(value)}"
              for label, value in facts(payload, event, lang)]
    if block := children_block(payload, event, lang, md_text, allow_compact=True):
        lines += ["", f"**{block.heading}**", ""]
        lines += list(block.lines) if block.compact else [f"- {line}" for line in block.lines]
    links = []
    if with_ack_link and (link := ack_link(payload, event)):
        links.append(f"👉 [{t(lang, 'ack')}]({link})")
    if link := details_link(payload):
        links.append(f"[{t(lang, 'details')}]({link})")
    return "\n".join(lines), "\n\n".join(links)


def markdown(payload: Mapping[str, Any], event: str, lang: str, *, with_ack_link: bool) -> str:
    """DingTalk markdown (mentions are the channel's to add)."""
    body, links = markdown_parts(payload, event, lang, with_ack_link=with_ack_link)
    return f"{body}\n\n{links}" if links else body


def plain(payload: Mapping[str, Any], event: str, lang: str) -> str:
    """The text/plain email body: one line per value."""
    sep = "：" if lang == ZH else ": "
    lines = [title(payload, event, lang), "", lead(payload, event, lang), ""]
    lines += [f"{label}{sep}{value}" for label, value in facts(payload, event, lang)]
    if block := children_block(payload, event, lang, one_line, allow_compact=False):
        lines += ["", block.heading] + [f"- {line}" for line in block.lines]
    if link := ack_link(payload, event):
        lines += ["", f"{t(lang, 'ack')}{sep}{link}"]
    if link := details_link(payload):
        lines.append(f"{t(lang, 'details')}{sep}{link}")
    return "\n".join(lines) + "\n"


# The email HTML. Autoescaped: summaries, names and causes come from probes and people.
TEMPLATES: Final = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_HTML: Final = TEMPLATES.get_template("notification.html")


def color(payload: Mapping[str, Any], event: str) -> str:
    if notice := notice_of(payload):
        return one_line(notice.get("color") or "#ff8800")
    return _EVENT_COLOR.get(event_of(event)) or _COLOR.get(payload["incident"]["severity"],
                                                           "#d83931")


def html(payload: Mapping[str, Any], event: str, lang: str) -> str:
    """The text/html email body (Jinja2 autoescaped: summaries and names are untrusted)."""
    return _HTML.render(
        lang=lang, title=title(payload, event, lang), mark=mark(payload, event),
        lead=lead(payload, event, lang), rows=facts(payload, event, lang),
        color=color(payload, event), ack=ack_link(payload, event), ack_label=t(lang, "ack"),
        details=details_link(payload), details_label=t(lang, "details"),
        children=children_block(payload, event, lang, one_line, allow_compact=False),
    )


def digest(items: Sequence[tuple[Mapping[str, Any], str]], lang: str) -> tuple[str, str]:
    """(title, markdown) of one message standing for several deliveries: a line each, and
    under a correlated incident the names of all its apps."""
    heading = t(lang, "digest.title", n=len(items))
    lines = [f"### 📋 {heading}", "", t(lang, "digest.lead"), ""]
    for number, (payload, event) in enumerate(items, 1):
        when = format_time(happened_at(payload, event))[5:16]  # 'MM-DD HH:MM'
        line = f"{number}. {mark(payload, event)} {title(payload, event, lang, md_text)} · {when}"
        if link := ack_link(payload, event):
            line += f" [{t(lang, 'ack.short')}]({link})"
        lines.append(line)
        if notice_of(payload) is None and group.is_parent(payload):
            kids = (group.joined(payload) if event_of(event) is Event.JOINED
                    else group.children(payload))
            names = group.names_line(kids, lang, md_text)
            lines.append("   " + t(lang, "corr.digest.apps", names=names))
    return heading, "\n".join(lines)


def happened_at(payload: Mapping[str, Any], event: str) -> str | None:
    if notice := notice_of(payload):
        return notice.get("at")
    at_key = {Event.ACKNOWLEDGED: "acknowledged_at", Event.RESOLVED: "resolved_at"}.get(
        event_of(event))
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
