"""The note convention that fills the human sections of an analysis report from the API.

People write incident notes (POST .../notes, the ack and resolve notes, the resolve `cause`).
A line starting with one of these prefixes (full- or half-width colon, any case) opens a
section; the lines after it, up to the next prefix, belong to it:

    直接原因: / direct cause:   the direct cause
    根本原因: / root cause:     the root cause
    整改: / action:             a corrective action, "整改: <what>; 负责人: <who>; 期限: YYYY-MM-DD"
                               (English: "action: <what>; owner: <who>; deadline: YYYY-MM-DD")
    经验: / lessons:            lessons learned

Anything before the first prefix is a plain note: a handling step. The resolve `cause`
follows the same convention, and its plain text is the direct cause.

A note that begins with 已缓解 / mitigated (e.g. "已缓解：已切换到备用线路") records the moment
the service was usable again before the cause was fixed: the timeline shows it as 已缓解.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

DIRECT_CAUSE: Final = "direct_cause"
ROOT_CAUSE: Final = "root_cause"
ACTION: Final = "action"
LESSONS: Final = "lessons"

_SECTIONS: Final = {
    "直接原因": DIRECT_CAUSE, "direct cause": DIRECT_CAUSE,
    "根本原因": ROOT_CAUSE, "root cause": ROOT_CAUSE,
    "整改": ACTION, "action": ACTION,
    "经验": LESSONS, "lessons": LESSONS,
}  # fmt: skip
_PREFIX: Final = re.compile(
    r"^\s*(" + "|".join(map(re.escape, _SECTIONS)) + r")\s*[:：]\s*(.*)$", re.IGNORECASE
)
_MITIGATED: Final = re.compile(r"^\s*(已缓解|缓解|mitigated)\s*([:：]|$)", re.IGNORECASE)
_FIELD_SEPARATOR: Final = re.compile(r"[;；]")
_OWNER: Final = re.compile(r"^\s*(?:负责人|owner)\s*[:：]\s*(.*)$", re.IGNORECASE)
_DEADLINE: Final = re.compile(r"^\s*(?:期限|deadline)\s*[:：]\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NotePart:
    section: str | None  # one of the section constants; None for a plain note
    text: str


@dataclass(frozen=True, slots=True)
class ActionFields:
    what: str
    owner: str | None
    deadline: str | None  # as written
    deadline_valid: bool  # the deadline is a real YYYY-MM-DD date


def is_mitigation(note: str | None) -> bool:
    """Whether a note records that the outage was mitigated (已缓解)."""
    return bool(note) and _MITIGATED.match(note or "") is not None


def split_note(note: str) -> list[NotePart]:
    """The parts of a note, in order; empty parts are dropped."""
    parts: list[NotePart] = []
    section: str | None = None
    lines: list[str] = []

    def close() -> None:
        text = "\n".join(lines).strip()
        if text:
            parts.append(NotePart(section, text))

    for line in note.splitlines():
        match = _PREFIX.match(line)
        if match is None:
            lines.append(line)
            continue
        close()
        section, lines = _SECTIONS[match.group(1).lower()], [match.group(2)]
    close()
    return parts


def parse_action(text: str) -> ActionFields:
    """Split "<what>; 负责人: <who>; 期限: <date>"; fields other than these stay in `what`."""
    what: list[str] = []
    owner = deadline = None
    for field in _FIELD_SEPARATOR.split(text):
        if (match := _OWNER.match(field)) is not None:
            owner = match.group(1).strip() or None
        elif (match := _DEADLINE.match(field)) is not None:
            deadline = match.group(1).strip() or None
        elif field.strip():
            what.append(field.strip())
    return ActionFields("; ".join(what), owner, deadline, _is_date(deadline))


def _is_date(text: str | None) -> bool:
    if text is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
