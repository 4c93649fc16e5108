"""The audit as one self-contained page (`--format html`), in the reader's language, phone
first.

Apps needing attention come first (flagged, then warnings, then gaps in the record), each as a
card, so the page reads at 375 px without a wide table; the sheet (xlsx.py) has the table.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from monitor.core.catalog import AREAS, pick
from monitor.governance.inventory import texts, words
from monitor.governance.inventory.model import (
    CLASSES,
    FLAGGED,
    LEVELS,
    STATUSES,
    WARNING,
    AppAudit,
    Audit,
)
from monitor.templating import environment

INVENTORY_WORDS = AREAS["inventory"]


def attention(app: AppAudit) -> tuple[int, str]:
    """Sort key: flagged apps, then warnings only, then apps with a gap, then the rest."""
    levels = {f.level for f in app.findings}
    rank = 0 if FLAGGED in levels else 1 if WARNING in levels \
        else 2 if app.rectification is not None else 3
    return rank, app.id


def render_html(audit: Audit, lang: str | None = None) -> str:
    """The audit as a page in `lang` (default: the audit's, i.e. service.language)."""
    lang = lang or audit.language
    tz = ZoneInfo(audit.timezone)
    apps = sorted(audit.apps, key=attention)
    return environment().get_template("inventory.html").render(
        t=lambda key, **values: pick(INVENTORY_WORDS, lang, key, **values),
        lang=lang,
        audit=audit,
        generated=words.when(audit.generated_at, tz),
        summary=audit.summary(),
        apps=[_card(app, tz, lang) for app in apps],
        classes=CLASSES,
        levels=LEVELS,
        labels=_labels(lang),
        rules=words.rules(lang),
    )


def _labels(lang: str) -> SimpleNamespace:
    """What the page template says by code: labels.STATUS_LABELS[status],
    labels.class_level(cls, level), labels.pct_text(value)."""
    return SimpleNamespace(
        STATUS_LABELS={s: texts.label(lang, "status", s) for s in STATUSES},
        class_level=lambda cls, level: words.class_level(cls, level, lang),
        pct_text=lambda value: texts.pct_text(value, lang),
    )


def _card(app: AppAudit, tz: ZoneInfo, lang: str) -> dict[str, Any]:
    rect = app.rectification
    if rect is not None:  # the page lists app.rectification.actions: those of `lang`
        app = dataclasses.replace(app, rectification=dataclasses.replace(
            rect, actions=texts.actions(rect, lang)))
    return {
        "app": app,
        "reach": words.reach_text(app, tz, lang),
        "missing": words.missing_text(app, lang),
        "duplicates": words.duplicates_text(app, lang),
        "traffic_note": words.traffic_note(app.traffic_status, app.traffic_last_day, lang),
        "findings": [{"finding": {"cls": f.cls, "level": f.level,
                                  "basis": texts.basis(f, lang)},
                      "label": texts.label(lang, "class", f.cls),
                      "level": texts.label(lang, "level", f.level),
                      "trend": words.trend_text(f.trend, lang)}
                     for f in app.findings],
        "tier": texts.tier_text(app.tier, lang),
    }
