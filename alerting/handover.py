"""The handover message: at each change of the person on duty, the rotation's channels hear
who hands over to whom and which incidents are still open.

A notice delivery (payload "notice", event "oncall.handover") like the rectification notices:
every channel renders it, a webhook gets it as data. The new person is @-mentioned on the
DingTalk robots, so their phone rings at the start of their duty. The delivery id is derived
from the rotation and the moment, so a restart never announces one handover twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final
from zoneinfo import ZoneInfo

from alerting.delivery import Delivery, Recipients, delivery_id
from alerting.model import Incident
from alerting.rota import Shift
from monitor.core.catalog.notify import WORDS
from monitor.core.config.model import NotifierConfig
from monitor.core.config.oncall import Rotation
from monitor.core.i18n import pick

EVENT: Final = "oncall.handover"
MAX_LISTED: Final = 30  # open incidents named one per row; the rest counted


def t(lang: str, key: str, **values: object) -> str:
    return pick(WORDS, lang, key, **values)


def handover_deliveries(
    rotation: Rotation, change: tuple[float, Shift | None, Shift],
    active: Iterable[Incident], notifiers: Mapping[str, NotifierConfig], *,
    tz: ZoneInfo, lang: str, now: float, console_url: str,
) -> list[Delivery]:
    """One delivery per notifier of the rotation's `notify`; `change` is (moment, before,
    after) as Rota.handovers gives it."""
    moment, before, after = change
    targets = [n for n in rotation.notify if n in notifiers]
    if not targets:
        return []
    subject = f"oncall:{rotation.id}:{int(moment)}"
    payload = {"notice": _notice(rotation, moment, before, after, list(active), tz=tz,
                                 lang=lang, link=console_url)}
    mobiles = (after.member.mobile,) if after.member.mobile else ()
    return [
        Delivery(id=delivery_id(subject, EVENT, "0", target), incident_id=subject, event=EVENT,
                 step="0", notifier_id=target, target=target, payload=payload,
                 created_at=now, recipients=Recipients(at_mobiles=mobiles))
        for target in targets
    ]


def _when(ts: float, tz: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M")


def _notice(rotation: Rotation, moment: float, before: Shift | None, after: Shift,
            active: list[Incident], *, tz: ZoneInfo, lang: str, link: str) -> dict[str, object]:
    handing = before.member.name if before else "—"
    facts: list[tuple[str, str]] = [
        (t(lang, "handover.row.rotation"), rotation.title),
        (t(lang, "handover.row.from"), handing),
        (t(lang, "handover.row.to"), after.member.name),
        (t(lang, "handover.row.until"), _when(after.until, tz)),
        (t(lang, "handover.row.open"), t(lang, "handover.open_count", n=len(active))),
    ]
    ordered = sorted(active, key=lambda i: (i.state != "open", i.opened_at))
    for incident in ordered[:MAX_LISTED]:
        state = t(lang, f"handover.state.{incident.state.value}")
        facts.append((f"{incident.app_name} / {incident.check_title(lang)}",
                      f"{incident.summary}（{state}）" if lang != "en"
                      else f"{incident.summary} ({state})"))
    if len(ordered) > MAX_LISTED:
        facts.append(("…", t(lang, "handover.more", n=len(ordered) - MAX_LISTED)))
    return {
        "title": t(lang, "handover.title", rotation=rotation.title, before=handing,
                   after=after.member.name),
        "lead": t(lang, "handover.lead", after=after.member.name, until=_when(after.until, tz),
                  n=len(active)),
        "facts": [list(row) for row in facts],
        "at": dt.datetime.fromtimestamp(moment, tz).isoformat(timespec="seconds"),
        "mark": "🔁", "color": "#3370ff", "link": link,
    }
