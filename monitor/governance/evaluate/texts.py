"""The evaluation's words, read from the catalog (monitor.core.catalog.evaluate)."""

from __future__ import annotations

from monitor.core.catalog import EN, ZH, pick
from monitor.core.catalog.evaluate import WORDS as EVALUATE_WORDS
from monitor.core.reasons import render
from probes.base import ProbeResult

__all__ = ["EN", "ZH", "has", "said", "t"]

_T = EVALUATE_WORDS  # the words live in the catalog (monitor/core/catalog)


def t(lang: str, key: str, **values: object) -> str:
    """The message `key` in `lang` (zh-CN for anything but en), formatted with `values`."""
    return pick(_T, lang, key, **values)


def has(key: str) -> bool:
    return key in _T


def said(result: ProbeResult, lang: str) -> str:
    """What a probe run reported, in `lang`."""
    return render(result.reason, lang) if result.reason is not None else result.message
