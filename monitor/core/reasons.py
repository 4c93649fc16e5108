"""Why a probe run failed, as people read it: a reason code with parameters, rendered in the
reader's language (状态码 503（期望 200）, 页面未包含“柯桥”, 响应 2.6 秒，超过上限 2 秒).

Probes build a `Reason` where they fail; the English rendering is also the result's `message`
(logs, tests), so both come from this one table. Parameters whose names end in `_s` are
durations in seconds and are written the reader's way (2.6s, 850ms / 2.6 秒, 850 毫秒).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from monitor.core.catalog.reasons import WORDS as REASONS_WORDS
from monitor.core.durations import took
from monitor.core.i18n import ZH

_NO_PARAMS: Final[Mapping[str, object]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: Mapping[str, object] = field(default_factory=lambda: _NO_PARAMS)


REASONS = REASONS_WORDS  # the words live in the catalog (monitor/core/catalog)


def render(reason: Reason, lang: str) -> str:
    """`reason` in `lang` (zh-CN where the table lacks it); KeyError for an unknown code."""
    entry = REASONS[reason.code]
    template = entry.get(lang) or entry[ZH]
    return template.format(**{name: _param(name, value, lang)
                              for name, value in reason.params.items()})


def _param(name: str, value: object, lang: str) -> object:
    if isinstance(value, Reason):  # a reason inside another (a flow step's failure)
        return render(value, lang)
    if name.endswith("_s") and isinstance(value, int | float):
        return duration_text(value, lang)
    return value


def duration_text(seconds: float, lang: str) -> str:
    """2.6s / 850ms, or 2.6 秒 / 850 毫秒: how long something took, for people."""
    return took(seconds, lang)
