"""One e-mail standing for several deliveries to the same people: a subject counting them, and
plain and HTML bodies with each item's title, lead, time, and links (every app of a
correlated incident named)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from alerting import render
from alerting import rendergroup as group
from alerting.model import Event
from alerting.renderbase import event_of, format_time, t
from alerting.rendertext import one_line
from monitor.core.i18n import ZH

_HTML: Final = render.TEMPLATES.get_template("notification_digest.html")

Item = tuple[Mapping[str, Any], str]  # (payload, event)


@dataclass(frozen=True, slots=True)
class DigestItem:
    number: int
    mark: str
    title: str
    lead: str
    at: str
    color: str
    names: str  # a correlated incident: its apps ('' otherwise)
    ack: str | None
    details: str | None


def _item(number: int, payload: Mapping[str, Any], event: str, lang: str) -> DigestItem:
    names = ""
    if render.notice_of(payload) is None and group.is_parent(payload):
        kids = (group.joined(payload) if event_of(event) is Event.JOINED
                else group.children(payload))
        names = t(lang, "corr.digest.apps", names=group.names_line(kids, lang, one_line))
    return DigestItem(
        number=number, mark=render.mark(payload, event), title=render.title(payload, event, lang),
        lead=render.lead(payload, event, lang),
        at=format_time(render.happened_at(payload, event)), color=render.color(payload, event),
        names=names, ack=render.ack_link(payload, event), details=render.details_link(payload),
    )


def subject(items: Sequence[Item], lang: str) -> str:
    return t(lang, "mail.digest.subject", n=len(items))


def plain(items: Sequence[Item], lang: str) -> str:
    sep = "：" if lang == ZH else ": "
    lines = [subject(items, lang), "", t(lang, "mail.digest.lead", n=len(items))]
    for number, (payload, event) in enumerate(items, 1):
        item = _item(number, payload, event, lang)
        lines += ["", f"{item.number}. {item.title}", f"   {item.lead}",
                  f"   {t(lang, 'row.at')}{sep}{item.at}"]
        if item.names:
            lines.append(f"   {item.names}")
        if item.ack:
            lines.append(f"   {t(lang, 'ack')}{sep}{item.ack}")
        if item.details:
            lines.append(f"   {t(lang, 'details')}{sep}{item.details}")
    return "\n".join(lines) + "\n"


def html(items: Sequence[Item], lang: str) -> str:
    """Autoescaped like the single mail; the only hrefs are our own links."""
    return _HTML.render(
        lang=lang, title=subject(items, lang), lead=t(lang, "mail.digest.lead", n=len(items)),
        items=[_item(n, payload, event, lang) for n, (payload, event) in enumerate(items, 1)],
        at_label=t(lang, "row.at"), sep="：" if lang == ZH else ": ",
        ack_label=t(lang, "ack"), details_label=t(lang, "details"),
    )

