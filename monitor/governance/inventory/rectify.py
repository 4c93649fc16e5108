"""Suggested rectification (整改建议) per app, all due by the audit's one deadline
(quarter.rectification_deadline): the quarterly notice counts every app on the same day.

Actions are codes with their figures (texts.action_text says them), kept in the order found
and each once; the words in the audit's language are stored beside them for listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from monitor.core.reasons import Reason
from monitor.governance.inventory import texts
from monitor.governance.inventory.fields import Duplicate
from monitor.governance.inventory.model import (
    FLAGGED,
    LOW_FREQUENCY,
    WARNING,
    ZOMBIE,
    Finding,
    Rectification,
)
from monitor.governance.inventory.thresholds import (
    AVAILABILITY_TARGET_PCT,
    LOW_FREQUENCY_MONTHS,
    ZOMBIE_WARNING_DAYS,
    ZOMBIE_ZERO_DAYS,
)

# The figures an action's words put in, by action code.
_FIGURES: Final[dict[str, dict[str, object]]] = {
    f"action.{ZOMBIE}.{WARNING}": {"warning": ZOMBIE_WARNING_DAYS, "limit": ZOMBIE_ZERO_DAYS},
    f"action.{LOW_FREQUENCY}.{WARNING}": {"months": LOW_FREQUENCY_MONTHS},
    "action.low_availability.month_below_target": {
        "target": texts.number(AVAILABILITY_TARGET_PCT)},
}


def _action(code: str) -> Reason:
    return Reason(code, _FIGURES.get(code, {}))


def actions_for(finding: Finding) -> list[Reason]:
    """Zombie and low-availability get one action per reason; a warning asks to watch."""
    if finding.level == WARNING:
        return [_action(f"action.{finding.cls}.{WARNING}")]
    if finding.cls == LOW_FREQUENCY:
        return [_action(f"action.{finding.cls}.{FLAGGED}")]
    codes = (f"action.{finding.cls}.{reason}" for reason in finding.reasons)
    return [_action(code) for code in codes if code in texts.WORDS]


def rectification(findings: Sequence[Finding], missing: Sequence[str],
                  duplicates: Sequence[Duplicate], deadline: dt.date, *, lang: str
                  ) -> Rectification | None:
    """None when the app has nothing to put right; the stored words in `lang`."""
    items: list[Reason] = []
    for finding in findings:
        for item in actions_for(finding):
            if item not in items:
                items.append(item)
    if missing:
        items.append(Reason("action.missing", {"fields": tuple(missing)}))
    if duplicates:
        ids = sorted({other for d in duplicates for other in d.others})
        items.append(Reason("action.duplicate", {"ids": tuple(ids)}))
    if not items:
        return None
    return Rectification(tuple(texts.action_text(item, lang) for item in items), deadline,
                         tuple(items))
