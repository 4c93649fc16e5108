"""The audit's words in the reader's language, from the catalog (monitor/core/catalog/
inventory_audit.py). Codes stay English in the JSON; every view names them here.

The evidence behind a class and the suggested rectifications are kept as reason codes with
their figures (monitor.core.reasons.Reason), so each view says them in its reader's language:
`note_text` and `action_text` turn one into a sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final, cast

from monitor.core.catalog import AREAS, pick
from monitor.core.reasons import Reason
from monitor.governance.inventory.model import Finding, Rectification

WORDS: Final = AREAS["inventory_audit"]

Params = Mapping[str, object]


def word(lang: str, key: str, **values: object) -> str:
    return pick(WORDS, lang, key, **values)


def label(lang: str, group: str, code: object) -> str:
    """The name of a code: group "class", "level", "status", "trend", "metric", "duplicate",
    "field"; the code itself where the catalog has no name for it."""
    key = f"{group}.{code}"
    return word(lang, key) if key in WORDS else str(code)


def sep(lang: str) -> str:
    """Joins several items in one cell or line."""
    return word(lang, "sep")


def list_text(lang: str, items: Iterable[str]) -> str:
    return word(lang, "list_sep").join(items)


def fields_text(codes: Sequence[str], lang: str) -> str:
    return list_text(lang, (label(lang, "field", code) for code in codes))


def number(value: object) -> str:
    """A threshold as people write it: 99.0 -> 99, 0.1 -> 0.1."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def pct_text(value: float | None, lang: str) -> str:
    return word(lang, "no_data") if value is None else f"{value:g}%"


def tier_text(tier: int, lang: str) -> str:
    return label(lang, "tier", tier)


def traffic_note(status: str, last_day: str | None, lang: str) -> str | None:
    key = f"traffic.{status}"
    return word(lang, key, day=last_day or "-") if key in WORDS else None


# --- the evidence: one sentence per reason code, from its figures ----------------------------

def _more(at_least: object, lang: str) -> str:
    return word(lang, "basis.more") if at_least else ""


def _pct(value: object, lang: str) -> str:
    return pct_text(float(value) if isinstance(value, int | float) else None, lang)


def _no_owner(_: Params, lang: str) -> str:
    return word(lang, "basis.no_owner")


def _zero_visitors(p: Params, lang: str) -> str:
    gaps = word(lang, "basis.gap_days", n=p["gaps"]) if p["gaps"] else ""
    return word(lang, "basis.zero_visitors", since=p["since"], until=p["until"],
                days=p["days"], more=_more(p["at_least"], lang), gaps=gaps,
                last=p["last"] or word(lang, "basis.no_visit"), limit=p["limit"],
                warning=p["warning"])


def _unreachable(p: Params, lang: str) -> str:
    since = str(p["since"])[:16].replace("T", " ")  # local minute of the ISO timestamp
    return word(lang, "basis.unreachable", since=since, days=p["days"],
                more=_more(p["at_least"], lang), hours=p["hours"], failed=p["failed"],
                limit=p["limit"])


def _under_threshold(p: Params, lang: str) -> str:
    months = cast("Sequence[tuple[str, int | None]]", p["months"])  # as classify builds it
    figures = list_text(lang, (f"{month} {word(lang, 'no_data') if uv is None else uv}"
                               for month, uv in months))
    target = word(lang, "basis.no_target") if p["target"] is None else p["target"]
    return word(lang, "basis.under_threshold", figures=figures, run=p["run"],
                threshold=p["threshold"], min=p["min"], share=p["share"], target=target,
                required=p["required"])


def _month_below_target(p: Params, lang: str) -> str:
    return word(lang, "basis.month_below_target", month=p["month"], pct=_pct(p["pct"], lang),
                target=number(p["target"]), probes=p["probes"], failed=p["failed"],
                excluded=p["excluded"])


def _bad_week(p: Params, lang: str) -> str:
    return word(lang, "basis.bad_week", start=p["start"], end=p["end"],
                pct=_pct(p["pct"], lang), failed=p["failed"], probes=p["probes"],
                limit=p["limit"])


_NOTES: Final[dict[str, Callable[[Params, str], str]]] = {
    "no_owner": _no_owner,
    "zero_visitors": _zero_visitors,
    "unreachable": _unreachable,
    "under_threshold": _under_threshold,
    "month_below_target": _month_below_target,
    "bad_week": _bad_week,
}


def note_text(note: Reason, lang: str) -> str:
    """One piece of evidence (a reason code of classify.py with its figures) in words."""
    return _NOTES[note.code](note.params, lang)


def basis(finding: Finding, lang: str) -> str:
    """The evidence of a finding in `lang`; its stored words when it was built without codes."""
    if not finding.notes:
        return finding.basis
    return sep(lang).join(note_text(note, lang) for note in finding.notes)


# --- suggested rectification (整改建议) --------------------------------------------------------

def action_text(item: Reason, lang: str) -> str:
    """One action: "action.<class>.<reason or level>", "action.missing" (fields: codes) or
    "action.duplicate" (ids)."""
    p = item.params
    if item.code == "action.missing":
        return word(lang, item.code, fields=fields_text(cast("Sequence[str]", p["fields"]), lang))
    if item.code == "action.duplicate":
        return word(lang, item.code, ids=list_text(lang, cast("Sequence[str]", p["ids"])))
    return word(lang, item.code, **p)


def actions(rect: Rectification, lang: str) -> tuple[str, ...]:
    """The actions in `lang`; their stored words when they were built without codes."""
    if not rect.items:
        return rect.actions
    return tuple(action_text(item, lang) for item in rect.items)
