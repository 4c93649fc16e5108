"""The human sections of an analysis report, routed from the incident's notes and cause.

Notes come from the acknowledge, note and resolve entries of the timeline; each is split by the
convention in notes.py. The resolve `cause` is split the same way, its plain text being the
direct cause. A resolve entry whose note *is* the cause (a resolve without a separate note)
is read once, as the cause. Every section is in time order.
"""

from __future__ import annotations

from alerting.model import Entry, Incident
from monitor.reports.incident.model import ActionItem, Analysis, NoteText
from monitor.reports.incident.notes import (
    ACTION,
    DIRECT_CAUSE,
    LESSONS,
    ROOT_CAUSE,
    parse_action,
    split_note,
)

_NOTE_ENTRIES = frozenset({Entry.ACKNOWLEDGED, Entry.NOTE, Entry.RESOLVED})
STEPS = "steps"


def analyse(incident: Incident) -> Analysis:
    texts: dict[str, list[NoteText]] = {DIRECT_CAUSE: [], ROOT_CAUSE: [], LESSONS: [], STEPS: []}
    actions: list[ActionItem] = []

    def route(note: str, at: float, by: str | None, plain: str) -> None:
        for part in split_note(note):
            if part.section == ACTION:
                fields = parse_action(part.text)
                actions.append(ActionItem(fields.what, fields.owner, fields.deadline,
                                          fields.deadline_valid, at, by))
            else:
                texts[part.section or plain].append(NoteText(at, by, part.text))

    for entry in incident.timeline:
        if entry.type not in _NOTE_ENTRIES or not entry.note:
            continue
        if entry.type == Entry.RESOLVED and entry.note == incident.cause:
            continue  # the cause itself, read below
        route(entry.note, entry.at, entry.by, STEPS)
    if incident.cause:
        at = incident.resolved_at if incident.resolved_at is not None else incident.opened_at
        route(incident.cause, at, incident.resolved_by, DIRECT_CAUSE)

    def ordered(items: list[NoteText]) -> tuple[NoteText, ...]:
        return tuple(sorted(items, key=lambda n: n.at))

    return Analysis(
        direct_cause=ordered(texts[DIRECT_CAUSE]),
        root_cause=ordered(texts[ROOT_CAUSE]),
        actions=tuple(sorted(actions, key=lambda a: a.at)),
        lessons=ordered(texts[LESSONS]),
        steps=ordered(texts[STEPS]),
    )
