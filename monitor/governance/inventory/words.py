"""The audit in sentences, in the reader's language: the rules as readers see them, and one
app's cells, shared by the sheet and the page so both say exactly the same."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from monitor.governance.inventory import texts
from monitor.governance.inventory.model import AppAudit, Trend
from monitor.governance.inventory.texts import label, list_text, sep, word
from monitor.governance.inventory.thresholds import (
    AVAILABILITY_TARGET_PCT,
    DEADLINE_BEFORE_QUARTER_END_DAYS,
    DEADLINE_MIN_DAYS,
    LOW_FREQUENCY_MONTHS,
    MIN_VISITORS,
    TARGET_SHARE,
    TRAFFIC_STALE_DAYS,
    TREND_MONTHS,
    TREND_PCT_POINTS,
    TREND_VISITOR_SHARE,
    UNREACHABLE_DAYS,
    WEEK_FAILED_LIMIT_PCT,
    WEEKS_CHECKED,
    ZOMBIE_WARNING_DAYS,
    ZOMBIE_ZERO_DAYS,
)


def rules(lang: str) -> tuple[str, ...]:
    """How every class, figure and date was decided; on the page and in the JSON."""
    share = f"{TARGET_SHARE * 100:g}%"
    return (
        word(lang, "rule.zombie", zero=ZOMBIE_ZERO_DAYS, warning=ZOMBIE_WARNING_DAYS,
             unreachable=UNREACHABLE_DAYS),
        word(lang, "rule.low_frequency", min=MIN_VISITORS, share=share,
             months=LOW_FREQUENCY_MONTHS),
        word(lang, "rule.low_availability", target=f"{AVAILABILITY_TARGET_PCT:g}",
             weeks=WEEKS_CHECKED, limit=WEEK_FAILED_LIMIT_PCT),
        word(lang, "rule.traffic", stale=TRAFFIC_STALE_DAYS),
        word(lang, "rule.trend", months=TREND_MONTHS, points=f"{TREND_PCT_POINTS:g}",
             share=f"{TREND_VISITOR_SHARE * 100:g}%"),
        word(lang, "rule.deadline", before=DEADLINE_BEFORE_QUARTER_END_DAYS,
             min=DEADLINE_MIN_DAYS),
        word(lang, "rule.tier"),
    )


def traffic_note(status: str, last_day: str | None, lang: str) -> str | None:
    return texts.traffic_note(status, last_day, lang)


def when(ts: float | None, tz: ZoneInfo) -> str:
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M")


def reach_text(app: AppAudit, tz: ZoneInfo, lang: str) -> str:
    reach = app.reachability
    status = label(lang, "status", reach.status)
    if reach.since is None:
        return status
    return word(lang, "status_since", status=status, when=when(reach.since, tz))


def class_level(cls: str, level: str, lang: str) -> str:
    return word(lang, "class_level", label=label(lang, "class", cls),
                level=label(lang, "level", level))


def classes_text(app: AppAudit, lang: str) -> str:
    return sep(lang).join(class_level(f.cls, f.level, lang) for f in app.findings)


def basis_text(app: AppAudit, lang: str) -> str:
    lines = [word(lang, "labelled", label=label(lang, "class", f.cls),
                  text=texts.basis(f, lang)) for f in app.findings]
    note = traffic_note(app.traffic_status, app.traffic_last_day, lang)
    if note:
        lines.append(note)
    return "\n".join(lines)


def trend_text(trend: Trend, lang: str) -> str:
    shown = " → ".join(_value(trend.metric, v, lang) for v in trend.values)
    return word(lang, "trend_text", metric=label(lang, "metric", trend.metric),
                direction=label(lang, "trend", trend.direction), values=shown)


def trends_text(app: AppAudit, lang: str) -> str:
    return "\n".join(word(lang, "labelled", label=label(lang, "class", f.cls),
                          text=trend_text(f.trend, lang)) for f in app.findings)


def _value(metric: str, value: float | int | None, lang: str) -> str:
    if value is None:
        return word(lang, "no_data")
    return texts.pct_text(float(value), lang) if metric == "availability_pct" else str(value)


def missing_text(app: AppAudit, lang: str) -> str:
    return texts.fields_text(app.missing, lang)


def duplicates_text(app: AppAudit, lang: str) -> str:
    return sep(lang).join(word(lang, "labelled", label=label(lang, "duplicate", d.by),
                               text=list_text(lang, d.others)) for d in app.duplicates)


def actions_text(app: AppAudit, lang: str) -> str:
    rect = app.rectification
    return "" if rect is None else "\n".join(
        f"{n}. {action}" for n, action in enumerate(texts.actions(rect, lang), 1))
