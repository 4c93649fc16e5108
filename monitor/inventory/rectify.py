"""Suggested rectification (整改建议) per app, all due by the audit's one deadline
(quarter.rectification_deadline): the quarterly notice counts every app on the same day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from monitor.inventory import texts
from monitor.inventory.fields import Duplicate
from monitor.inventory.model import WARNING, Finding, Rectification
from monitor.inventory.thresholds import AVAILABILITY_TARGET_PCT


def actions_for(finding: Finding) -> list[str]:
    """Zombie and low-availability get one action per reason; a warning asks to watch."""
    if finding.level == WARNING:
        return [texts.ACTIONS[(finding.cls, WARNING)]]
    if finding.cls == "low_frequency":
        return [texts.ACTIONS[(finding.cls, "flagged")]]
    return [texts.ACTIONS[(finding.cls, reason)].format(target=f"{AVAILABILITY_TARGET_PCT:g}")
            for reason in finding.reasons if (finding.cls, reason) in texts.ACTIONS]


def rectification(findings: Sequence[Finding], missing: Sequence[str],
                  duplicates: Sequence[Duplicate], deadline: dt.date) -> Rectification | None:
    """None when the app has nothing to put right."""
    actions: list[str] = []
    for finding in findings:
        for action in actions_for(finding):
            if action not in actions:
                actions.append(action)
    if missing:
        actions.append(texts.MISSING_ACTION.format(fields=texts.fields_text(tuple(missing))))
    if duplicates:
        ids = sorted({other for d in duplicates for other in d.others})
        actions.append(texts.DUPLICATE_ACTION.format(ids="、".join(ids)))
    return Rectification(tuple(actions), deadline) if actions else None
