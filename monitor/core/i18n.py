"""The service's own words (CLI, run/check/demo output, error kinds, the acknowledge page),
read from the catalog (monitor.core.catalog); `text(lang, key, **values)` formats one.
"""

from __future__ import annotations

from monitor.core.catalog import AREAS, EN, ZH, pick

__all__ = ["EN", "MESSAGES", "ZH", "error_label", "pick", "text"]

MESSAGES = AREAS["service"]


def text(lang: str, key: str, **values: object) -> str:
    return pick(MESSAGES, lang, key, **values)


def error_label(lang: str, error_kind: str | None) -> str:
    """A person's name for an error kind ('' when there is none)."""
    if not error_kind:
        return ""
    key = f"error.kind.{error_kind}"
    return text(lang, key) if key in MESSAGES else error_kind
