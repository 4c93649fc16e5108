"""Words on the HTML/PDF report pages (headings, column names, badges), read from the catalog
(monitor.core.catalog.report_labels). Severity, state and error-kind names come from
monitor.core.i18n, shared with the console and the notifications.
"""

from __future__ import annotations

from monitor.core.catalog import EN, ZH, pick
from monitor.core.catalog.report_labels import WORDS as REPORT_LABELS_WORDS

_L = REPORT_LABELS_WORDS  # the words live in the catalog (monitor/core/catalog)


def label(lang: str, key: str, **values: object) -> str:
    return pick(_L, lang, key, **values)


def has_label(key: str) -> bool:
    return key in _L


__all__ = ["EN", "ZH", "has_label", "label"]
