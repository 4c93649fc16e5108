"""Words of the listing lifecycle and rectification notices (zh-CN first, English too).

The audit's evidence and suggested actions (monitor.governance.inventory.texts) are sentences
in the service language when the audit runs: they are copied into items as they are.
"""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.listing import WORDS as LISTING_WORDS
from monitor.core.i18n import EN, ZH, pick

_T = LISTING_WORDS  # the words live in the catalog (monitor/core/catalog)

CLASS_SEP: Final = {ZH: "、", EN: ", "}


def t(lang: str, key: str, **values: object) -> str:
    return pick(_T, lang, key, **values)


def classes_text(lang: str, classes: tuple[str, ...]) -> str:
    return CLASS_SEP.get(lang, "、").join(t(lang, f"class.{c}") for c in classes)
