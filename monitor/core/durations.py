"""Durations written for people, in the reader's language; the words are the catalog's
(monitor/core/catalog/units.py). Each page keeps the style its readers know: a probe's time
(2.6 秒), a span (1小时5分), the wall's countdown (5分03秒), a report's span (8 分 20 秒)."""

from __future__ import annotations

from monitor.core.catalog import pick
from monitor.core.catalog.units import WORDS


def took(seconds: float, lang: str) -> str:
    """2.6s / 850ms, or 2.6 秒 / 850 毫秒: how long something took."""
    if seconds >= 1:
        return pick(WORDS, lang, "took.seconds", n=f"{seconds:.1f}".removesuffix(".0"))
    return pick(WORDS, lang, "took.milliseconds", n=f"{seconds * 1000:.0f}")


def span(seconds: float | None, lang: str) -> str:
    """1小时5分 / 1h 5m: two units at most, as people say a duration ("" for None)."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    d, h, m, sec = s // 86400, s % 86400 // 3600, s % 3600 // 60, s % 60
    if d:
        return pick(WORDS, lang, "span.days", d=d, h=h)
    if h:
        return pick(WORDS, lang, "span.hours", h=h, m=m)
    return pick(WORDS, lang, "span.minutes", m=m, s=sec)


def countdown(seconds: float | None, lang: str) -> str:
    """5分03秒 / 1小时5分, like console.js writes its countdowns ("" for None)."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    hours, minutes, secs = s // 3600, s % 3600 // 60, s % 60
    if hours:
        return pick(WORDS, lang, "span.hours", h=hours, m=minutes)
    return pick(WORDS, lang, "countdown.minutes", m=minutes, s=secs)


def report_span(seconds: float, lang: str) -> str:
    """8 分 20 秒 / 8 min 20 s: a span in a report, to the second below an hour."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return pick(WORDS, lang, "report.hours", h=hours, m=minutes)
    if minutes:
        return pick(WORDS, lang, "report.minutes", m=minutes, s=secs)
    return pick(WORDS, lang, "report.seconds", s=secs)


def weekday(index: int, lang: str) -> str:
    """周一 / Mon for 0 (Monday) ... 周日 / Sun for 6."""
    return pick(WORDS, lang, f"weekday.{index}")
