"""The audit as one self-contained page (`--format html`), zh-CN, phone first.

Apps needing attention come first (flagged, then warnings, then gaps in the record), each as a
card, so the page reads at 375 px without a wide table; the sheet (xlsx.py) has the table.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from monitor.core.catalog import AREAS, ZH, pick
from monitor.inventory import texts, words
from monitor.inventory.model import CLASSES, FLAGGED, LEVELS, WARNING, AppAudit, Audit
from monitor.templating import environment

INVENTORY_WORDS = AREAS["inventory"]


def attention(app: AppAudit) -> tuple[int, str]:
    """Sort key: flagged apps, then warnings only, then apps with a gap, then the rest."""
    levels = {f.level for f in app.findings}
    rank = 0 if FLAGGED in levels else 1 if WARNING in levels \
        else 2 if app.rectification is not None else 3
    return rank, app.id


def render_html(audit: Audit, lang: str = ZH) -> str:
    """The audit as a page; its headings in `lang` (the findings are the audit's own words)."""
    tz = ZoneInfo(audit.timezone)
    apps = sorted(audit.apps, key=attention)
    return environment().get_template("inventory.html").render(
        t=lambda key, **values: pick(INVENTORY_WORDS, lang, key, **values),
        lang=lang,
        audit=audit,
        generated=words.when(audit.generated_at, tz),
        summary=audit.summary(),
        apps=[_card(app, tz) for app in apps],
        classes=CLASSES,
        levels=LEVELS,
        labels=texts,
        rules=words.rules(),
    )


def _card(app: AppAudit, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "app": app,
        "reach": words.reach_text(app, tz),
        "missing": words.missing_text(app),
        "duplicates": words.duplicates_text(app),
        "traffic_note": words.traffic_note(app.traffic_status, app.traffic_last_day),
        "findings": [{"finding": f, "label": texts.CLASS_LABELS[f.cls],
                      "level": texts.LEVEL_LABELS[f.level], "trend": words.trend_text(f.trend)}
                     for f in app.findings],
        "tier": texts.TIER_LABELS.get(app.tier, str(app.tier)),
    }


