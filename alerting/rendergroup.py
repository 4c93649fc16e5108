"""Texts of a correlated incident (大面积故障): a parent standing for several apps' outages.

Its payload names no app of its own ("app" is {}); it lists its children under
incident.children, and an `incident.joined` delivery names the children that just joined under
"joined". Every child is named in every format, however many: a DingTalk message holds 20,000
bytes, so past `FULL_MAX` children (or a block too big) the list becomes names only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from alerting.model import Event, IncidentKind
from alerting.renderbase import parse_time, t
from alerting.rendertext import one_line

Escape = Callable[[object], str]

FULL_MAX: Final = 30  # more children than this: names only
FULL_MAX_BYTES: Final = 9_000  # ...or when the one-line-each list would be bigger than this
NAME_CHARS: Final = 40  # a name (app or check) in the one-line-each form
COMPACT_NAME_CHARS: Final = 20  # a name in the names-only form: 200 of them fit a robot message
SUMMARY_CHARS: Final = 80


def is_parent(payload: Mapping[str, Any]) -> bool:
    incident = payload.get("incident")
    return isinstance(incident, Mapping) and incident.get("kind") == IncidentKind.CORRELATED


def children(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    kids = payload["incident"].get("children") or []
    return [kid for kid in kids if isinstance(kid, Mapping)]


def joined(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The children an `incident.joined` delivery announces (all of them if it names none)."""
    ids = payload.get("joined")
    kids = children(payload)
    if not isinstance(ids, list) or not ids:
        return kids
    wanted = {str(i) for i in ids}
    return [kid for kid in kids if str(kid.get("id")) in wanted]


def app_count(kids: Sequence[Mapping[str, Any]]) -> int:
    """Apps, not checks: two failing checks of one app are one app."""
    return len({str(kid.get("app_id") or kid.get("app_name") or kid.get("id")) for kid in kids})


def _cut(value: object, limit: int) -> str:
    text = one_line(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def title_text(payload: Mapping[str, Any], ev: Event, lang: str) -> str:
    """What follows the 【tag】 of a parent's title: its own words and counts only."""
    total = app_count(children(payload))
    if ev is Event.JOINED:
        return t(lang, "corr.title.joined", k=app_count(joined(payload)), n=total)
    if ev in (Event.ACKNOWLEDGED, Event.RESOLVED):
        return t(lang, "corr.title.done", n=total)
    return t(lang, "corr.title", n=total)


def lead_text(payload: Mapping[str, Any], ev: Event, lang: str) -> str:
    incident = payload["incident"]
    key = f"lead.correlated.{ev.value}"
    return t(lang, key, n=app_count(children(payload)), k=app_count(joined(payload)),
             by=one_line(incident.get("acknowledged_by") or "—"))


def earliest_start(payload: Mapping[str, Any]) -> str | None:
    """Since when: the earliest start among the parent and its children (ISO, as given)."""
    values = [payload["incident"].get("started_at")] + [
        kid.get("started_at") for kid in children(payload)]
    dated = [(parsed, str(v)) for v in values if (parsed := parse_time(v)) is not None]
    return min(dated, key=lambda pair: pair[0].timestamp())[1] if dated else None


@dataclass(frozen=True, slots=True)
class ChildBlock:
    """The list of children as a format shows it: a heading and one line per child, or (for
    many) one line naming every app."""

    heading: str
    lines: tuple[str, ...]
    compact: bool


def _child_line(kid: Mapping[str, Any], lang: str, esc: Escape) -> str:
    started = parse_time(kid.get("started_at"))
    return t(lang, "corr.child",
             app=esc(_cut(kid.get("app_name") or kid.get("app_id") or "—", NAME_CHARS)),
             check=esc(_cut(kid.get("check_title") or kid.get("check_id") or "—", NAME_CHARS)),
             summary=esc(_cut(kid.get("summary") or "—", SUMMARY_CHARS)),
             at=started.strftime("%H:%M:%S") if started else "—")


def names_line(kids: Sequence[Mapping[str, Any]], lang: str, esc: Escape) -> str:
    """Every app once, by name: 'A、B、C' / 'A, B, C'."""
    names = dict.fromkeys(
        _cut(kid.get("app_name") or kid.get("app_id") or "—", COMPACT_NAME_CHARS)
        for kid in kids)
    return t(lang, "corr.names.sep").join(esc(name) for name in names)


def child_block(payload: Mapping[str, Any], ev: Event, lang: str, esc: Escape, *,
                allow_compact: bool = True) -> ChildBlock:
    """The children a message lists: the ones that just joined for `incident.joined`, else
    all; one line each, or names only when there are too many for a robot message."""
    kids = joined(payload) if ev is Event.JOINED else children(payload)
    heading = (t(lang, "corr.joined", k=app_count(kids)) if ev is Event.JOINED
               else t(lang, "corr.children", n=app_count(kids)))
    lines = tuple(_child_line(kid, lang, esc) for kid in kids)
    too_big = len(kids) > FULL_MAX or sum(len(line.encode()) for line in lines) > FULL_MAX_BYTES
    if allow_compact and too_big:
        return ChildBlock(heading, (names_line(kids, lang, esc),), compact=True)
    return ChildBlock(heading, lines, compact=False)


def fold(items: Sequence[tuple[Mapping[str, Any], str]]) -> list[tuple[Mapping[str, Any], str]]:
    """A batch as people should read it: a correlated incident once, not once per event.

    Within one message, a parent's `opened` and `joined` deliveries become one item showing
    its latest list of apps (an `opened` if the batch has one, else a `joined` naming every
    newcomer), and an app's own `opened` is left out when that parent lists it: the burst
    reads "26 apps, probably one cause", not 26 lines and a summary. Other items are kept.
    """
    announce = (Event.OPENED.value, Event.JOINED.value)
    latest: dict[str, tuple[Mapping[str, Any], str]] = {}
    newcomers: dict[str, list[str]] = {}
    for payload, event in items:
        if event in announce and is_parent(payload):
            pid = str(payload["incident"]["id"])
            snapshot, kind = latest.get(pid, (payload, event))
            if len(children(payload)) >= len(children(snapshot)):
                snapshot = payload
            latest[pid] = (snapshot, Event.OPENED.value if event == Event.OPENED.value else kind)
            newcomers.setdefault(pid, []).extend(str(i) for i in payload.get("joined") or [])
    listed = {str(kid.get("id")) for payload, _ in latest.values() for kid in children(payload)}
    folded: list[tuple[Mapping[str, Any], str]] = []
    shown: set[str] = set()
    for payload, event in items:
        incident = payload.get("incident")
        if not isinstance(incident, Mapping):
            folded.append((payload, event))
            continue
        pid = str(incident.get("id"))
        if pid in latest and event in announce:
            if pid not in shown:
                shown.add(pid)
                merged, kind = latest[pid]
                if kind == Event.JOINED.value:
                    merged = {**merged, "joined": list(dict.fromkeys(newcomers[pid]))}
                folded.append((merged, kind))
        elif event == Event.OPENED.value and pid in listed:
            continue
        else:
            folded.append((payload, event))
    return folded
