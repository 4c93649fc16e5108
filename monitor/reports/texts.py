"""Report wording in zh-CN (default) and English: the methods notes and the CLI's messages.

Kept beside the reports rather than in monitor/i18n.py because these texts are long, change
with the report's rules, and the renderer reads them from the model, never from here.
"""

from __future__ import annotations

from monitor.core.catalog.report_methods import WORDS as REPORT_METHODS_WORDS
from monitor.core.i18n import EN, ZH, pick

_TEXTS = REPORT_METHODS_WORDS  # the words live in the catalog (monitor/core/catalog)


def report_text(lang: str, key: str, **values: object) -> str:
    return pick(_TEXTS, lang, key, **values)


def duration_text(lang: str, seconds: float) -> str:
    """15m -> "15 分钟" / "15 min": how an SLA limit reads in a sentence."""
    whole = round(seconds)
    if whole and whole % 3600 == 0:
        return report_text(lang, "unit.hours", n=whole // 3600)
    if whole and whole % 60 == 0:
        return report_text(lang, "unit.minutes", n=whole // 60)
    return report_text(lang, "unit.seconds", n=f"{seconds:g}")


__all__ = ["EN", "ZH", "duration_text", "report_text"]
